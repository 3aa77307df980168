/**
 * `npm run dev`: the whole product on one machine. Starts the devstack (Postgres, migrations,
 * gateway, mailbox, executor, provider sandboxes), seeds the demo workspace and people and connects
 * it to the Zendesk sandbox and the GitHub App sandbox, starts the app, has the demo repository
 * indexed by the real job, and prints where to go and how to sign in. Ctrl-C stops everything.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { raisedRateLimitEnv } from "../devstack/auth/rate-limit";
import { readEnvFile, run, startBackground, stopBackground, waitFor } from "./lib/processes";
import {
  DEMO_PASSWORD,
  DEMO_REPOSITORY,
  DEMO_USERS,
  DEMO_WORKSPACE,
  DEMO_ZENDESK_SUBDOMAIN,
} from "./lib/seed-demo";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);
const PORT = Number(process.env.PORT ?? 3000);
const APP_URL = `http://localhost:${PORT}`;
const HOME = path.join(ROOT, process.env.DEVSTACK_HOME ?? ".devstack");
const NODE_OPTIONS = [process.env.NODE_OPTIONS, "--experimental-websocket"]
  .filter(Boolean)
  .join(" ");
const children: ChildProcess[] = [];
let stopping = false;

/**
 * Stops the app, then the devstack (each in its own process group, so everything they spawned
 * goes too), then exits. Runs once: a child exiting because we stopped it is not a second reason.
 */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const c of [...children].reverse()) await stopBackground(c);
  process.exit(code);
}
// `npm run dev` execs this process (package.json), so the SIGTERM a process manager sends to
// npm's pid reaches it here, not only a shell in between.
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

/**
 * One step of the demo seed (scripts/lib/seed-demo-step.ts) in a process of its own: the connect
 * flows it reuses are `server-only` modules, loaded under the `react-server` condition as the app
 * loads them, and read the app's environment, which is the devstack's env file.
 */
async function seedStep(step: "connect" | "index", env: Record<string, string>): Promise<void> {
  const code = await run(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/lib/seed-demo-step.ts", step],
    { ...env, NODE_OPTIONS, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  );
  if (code !== 0) throw new Error(`demo seed (${step}) failed`);
}

async function main(): Promise<void> {
  const envFile = path.join(HOME, "env");
  rmSync(envFile, { force: true });
  const ds = startBackground(path.join(ROOT, "node_modules/.bin/tsx"), ["devstack/cli.ts"], {
    env: {
      NODE_OPTIONS,
      DEVSTACK_HOME: HOME,
      // The suites and a person clicking around stay under [auth.rate_limit]; set a
      // SUPABASE_AUTH_RATE_LIMIT_* variable yourself to try a production limit.
      ...raisedRateLimitEnv(process.env),
      SITE_URL: APP_URL,
      INNGEST_APP_URLS: `${APP_URL}/api/inngest`,
    },
    logPrefix: "[devstack]",
  });
  children.push(ds);
  await waitFor("devstack", () => existsSync(envFile), 120_000, ds);
  const env = readEnvFile(envFile);
  await seedStep("connect", env);

  const app = startBackground(
    path.join(ROOT, "node_modules/.bin/next"),
    ["dev", "-p", String(PORT)],
    {
      env: { ...env, NODE_OPTIONS, NEXT_TELEMETRY_DISABLED: "1" },
      logPrefix: "[app]",
    },
  );
  children.push(app);
  await waitFor(
    "app",
    async () => {
      try {
        return (await fetch(`${APP_URL}/sign-in`)).status < 500;
      } catch {
        return false;
      }
    },
    180_000,
    app,
  );
  await seedStep("index", env);

  console.log(`
  Patchline is running.

    App        ${APP_URL}
    Sign in    ${DEMO_USERS[0].email} / ${DEMO_PASSWORD}  (workspace "${DEMO_WORKSPACE.name}", ${APP_URL}/${DEMO_WORKSPACE.slug})
               also ${DEMO_USERS.slice(1)
                 .map((u) => `${u.email} (${u.role})`)
                 .join(", ")}, same password
    Sandboxes  ${env.SANDBOX_URL}  (Zendesk "${DEMO_ZENDESK_SUBDOMAIN}" connected, GitHub ${DEMO_REPOSITORY} indexed)
               send demo tickets: npm run sandbox -- zendesk demo-batch
    Mailbox    ${env.MAILBOX_URL}
    Jobs       ${env.INNGEST_BASE_URL}
    Database   ${env.DB_URL}

  Ctrl-C stops everything.
`);
  await new Promise<void>((resolve) => {
    ds.once("exit", () => resolve());
    app.once("exit", () => resolve());
  });
  if (stopping) return;
  console.error("[dev] a service stopped; shutting down");
  await shutdown(1);
}

main().catch(async (err) => {
  console.error(`[dev] ${(err as Error).message}`);
  await shutdown(1);
});
