/**
 * The demo seed's steps as a process of their own, run by scripts/dev.ts with the devstack's env
 * file in its environment and `--conditions=react-server` (the connect flows are `server-only`
 * modules, loaded here exactly as the app loads them):
 *
 *   connect   the demo people and workspace (seed-demo.ts), then Zendesk and the GitHub App
 *   index     once the app serves /api/inngest: the first index of each selected repository,
 *             waited for with its progress printed (the Codebase page shows the same)
 *
 * Both are idempotent: a second `npm run dev` finds everything in place and says so.
 */
import { DEMO_REPOSITORY, DEMO_WORKSPACE, DEMO_ZENDESK_SUBDOMAIN, seedDemo } from "./seed-demo";
import {
  connectDemoIntegrations,
  demoRepositoryIndexes,
  requestDemoIndexes,
} from "./seed-demo-integrations";

const say = (line: string) => console.log(`[seed] ${line}`);

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through npm run dev)`);
  return v;
}

async function organizationId(): Promise<string> {
  const seeded = await seedDemo({
    API_URL: need("API_URL"),
    ANON_KEY: need("ANON_KEY"),
    SERVICE_ROLE_KEY: need("SERVICE_ROLE_KEY"),
  });
  return seeded.organization.id;
}

async function connect(): Promise<void> {
  const seeded = await seedDemo({
    API_URL: need("API_URL"),
    ANON_KEY: need("ANON_KEY"),
    SERVICE_ROLE_KEY: need("SERVICE_ROLE_KEY"),
  });
  const done = await connectDemoIntegrations({ user: seeded.owner, org: seeded.organization });
  say(
    `workspace "${DEMO_WORKSPACE.name}": Zendesk ${DEMO_ZENDESK_SUBDOMAIN} ${done.zendesk}, GitHub App ${done.github}`,
  );
}

async function index(): Promise<void> {
  const orgId = await organizationId();
  const appUrl = need("NEXT_PUBLIC_SITE_URL");
  // the executor syncs the app every few seconds; asking now means the index function is known
  // before its event arrives (next dev compiles /api/inngest on this first request)
  const sync = await fetch(`${need("INNGEST_BASE_URL")}/v0/sync`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: `${appUrl}/api/inngest` }),
  });
  if (!sync.ok) throw new Error(`the executor cannot reach the app (${sync.status})`);
  const asked = await requestDemoIndexes(orgId);
  if (asked.length === 0) {
    const repos = await demoRepositoryIndexes(orgId);
    for (const r of repos) say(`${r.fullName}: ${r.status} at ${r.commitSha?.slice(0, 12) ?? "-"}`);
    return;
  }
  say(`indexing ${asked.join(", ")} (index-repository on the executor)…`);
  const started = Date.now();
  let last = "";
  while (Date.now() - started < 180_000) {
    const repos = await demoRepositoryIndexes(orgId);
    const line = repos
      .map((r) => `${r.fullName} ${r.status ?? "queued"} ${r.filesDone}/${r.filesTotal} files`)
      .join(", ");
    if (line !== last) say(line);
    last = line;
    if (repos.every((r) => r.status === "ready" || r.status === "error")) {
      const failed = repos.filter((r) => r.status === "error");
      if (failed.length > 0) {
        throw new Error(`indexing failed for ${failed.map((r) => r.fullName).join(", ")}`);
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  say(`${DEMO_REPOSITORY} is still indexing; the Codebase page shows its progress`);
}

const step = process.argv[2];
const run = step === "connect" ? connect : step === "index" ? index : undefined;
if (!run) {
  console.error("usage: seed-demo-step.ts connect|index");
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[seed] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
