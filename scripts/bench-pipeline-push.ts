/**
 * The 10-file push measured through the real path (issue 14's "a 10-file push under 2 s"), against
 * a running devstack (`DEVSTACK_HOME`, default `.devstack`):
 *
 *   the GitHub sandbox commits 10 edited files on a copy of the demo repository and delivers the
 *   signed `push` → the real intake (lib/webhooks/intake.ts, verify + ledger) → the executor →
 *   `record-github-push` (head recorded, `repository/pushed`) → `index-repository` (tree listed,
 *   the 10 blobs downloaded through the GitHub App's installation token, index updated and
 *   written) → the row ready at the new commit.
 *
 * The clock starts before the sandbox is asked to push and stops when `code_indexes` is ready at
 * the pushed commit (polled every 20 ms). Run under `--conditions=react-server` (bench-pipeline.ts
 * does, with `--push`): the job's modules are `server-only`, loaded here as the app loads them.
 *
 *   PUSHES (default 8) pushes after one warm-up push. Prints `@@push <json>` for the parent.
 */

import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import pg from "pg";
import { buildDemoRepo } from "@/devstack/demo-repo/build";
import { devstackEnv } from "./lib/devstack-env";
import { runsOf, serveApp, syncApp, waitFor } from "./lib/inngest-harness";

const APP_ID = "bench-pipeline-push";
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** The app's environment pointed at the devstack and its sandboxes (as `npm run dev` does). */
function pointAtDevstack(): ReturnType<typeof devstackEnv> {
  const env = devstackEnv();
  for (const [k, v] of Object.entries(env)) process.env[k] ??= v;
  Object.assign(process.env, {
    NEXT_PUBLIC_SUPABASE_URL: env.API_URL,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: env.ANON_KEY,
    NEXT_PUBLIC_SITE_URL: "http://localhost:3000",
    SUPABASE_SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY,
    MAIL_TRANSPORT: "mailbox",
    INNGEST_DEV: env.INNGEST_BASE_URL,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  return env;
}

async function main(): Promise<void> {
  const env = pointAtDevstack();
  const pushes = Number(process.env.PUSHES ?? 8);
  const sandboxUrl = env.SANDBOX_URL ?? "";
  const control = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandboxUrl}/_control${p}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const db = new pg.Pool({ connectionString: env.DB_URL, max: 2 });
  const sql = async <T>(text: string, params: unknown[] = []) =>
    (await db.query(text, params)).rows as T[];

  const [{ handleWebhook }, indexing, push] = await Promise.all([
    import("@/lib/webhooks/intake"),
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/record-github-push"),
  ]);
  const inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: env.INNGEST_BASE_URL });
  const app = await serveApp(inngest, [
    indexing.defineIndexRepository(inngest),
    push.defineRecordGithubPush(inngest),
  ]);
  await syncApp(env.INNGEST_BASE_URL, app.url);

  // the app's webhook route, in this process: the real intake behind a plain HTTP server
  const intake = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await handleWebhook(
      "github",
      new Request(`http://localhost${req.url}`, {
        method: "POST",
        headers,
        body: Buffer.concat(chunks),
      }),
    );
    res.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((r) => intake.listen(0, "127.0.0.1", () => r()));
  const intakeUrl = `http://127.0.0.1:${(intake.address() as AddressInfo).port}/api/webhooks/github`;
  const before = await control<{ targets: Record<string, string> }>("GET", "/webhook-targets");
  await control("PUT", "/webhook-targets", { github: intakeUrl });

  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-push-"));
  const owner = `bpush${randomUUID().slice(0, 6)}`;
  const fullName = `${owner}/storefront`;
  try {
    // a copy of the demo repository under an account of its own, the App installed on it
    const demo = await buildDemoRepo(tmp);
    const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
      path: demo.gitDir,
      full_name: fullName,
    });
    const installationId = await installApp(sandboxUrl, env.GITHUB_APP_SLUG ?? "", owner);
    const organizationId = await newWorkspace(db);
    const [integration] = await sql<{ id: string }>(
      `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
       values ($1, 'github', $2, now()) returning id`,
      [organizationId, installationId],
    );
    const [repo] = await sql<{ id: string }>(
      `insert into public.integration_repositories
         (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
       values ($1, $2, $3, $4, 'main', true) returning id`,
      [organizationId, integration?.id, added.repository.id, fullName],
    );
    const repositoryId = repo?.id ?? "";
    const events = await import("@/inngest/events");
    const f0 = performance.now();
    await inngest.send(events.repositorySelected.create({ organizationId, repositoryId }));
    await waitFor(() => ready(sql, repositoryId, undefined), 120_000, "first index");
    const firstIndexMs = performance.now() - f0;

    // ten indexed source files, spread over the tree
    const git = (...args: string[]) =>
      execFileSync("git", [`--git-dir=${demo.gitDir}`, ...args], { encoding: "utf8" });
    const indexable = git("ls-tree", "-r", "--name-only", "HEAD")
      .split("\n")
      .filter(
        (p) => /\.(ts|js)$/.test(p) && !/(^|\/)(test|tests|docs)\//.test(p) && !/\.test\./.test(p),
      );
    const step = Math.max(1, Math.floor(indexable.length / 10));
    const paths = indexable.filter((_, i) => i % step === 0).slice(0, 10);
    const content = new Map(paths.map((p) => [p, git("show", `HEAD:${p}`)]));

    const totals: number[] = [];
    const jobs: number[] = [];
    const queued: number[] = [];
    const phases: Record<string, number[]> = {};
    const record = (name: string, ms: number) => {
      const list = phases[name] ?? [];
      list.push(ms);
      phases[name] = list;
    };
    // from the signed delivery reaching the intake: what Patchline itself takes
    const fromIntake: number[] = [];
    for (let n = 0; n <= pushes; n++) {
      const files: Record<string, string> = {};
      for (const p of paths) {
        const next = `${content.get(p)}// push ${n}: ${randomUUID()}\n`;
        content.set(p, next);
        files[p] = next;
      }
      const t0 = performance.now();
      const wall0 = Date.now();
      const pushed = await control<{ pushed: Array<{ after: string }> }>("POST", "/github/push", {
        repo: fullName,
        message: `bench push ${n}`,
        files,
      });
      const committed = performance.now() - t0;
      const after = pushed.pushed[0]?.after ?? "";
      const row = await waitFor(() => ready(sql, repositoryId, after), 60_000, `push ${n}`);
      const total = performance.now() - t0;
      const readyAt = Date.now();
      const run = await waitFor(
        async () =>
          (await runsOf(env.INNGEST_BASE_URL, `${APP_ID}-index-repository`)).find(
            (r) => r.status === "completed" && (r.output as { commit?: string })?.commit === after,
          ),
        10_000,
        "the index run",
      );
      const out = run.output as {
        ms?: number;
        changed?: number;
        mode?: string;
        phases?: Record<string, number>;
      };
      if (out.mode !== "incremental" || out.changed !== 10) {
        throw new Error(
          `push ${n}: expected an incremental run over 10 files, got ${JSON.stringify(out)}`,
        );
      }
      if (n === 0) continue; // warm-up: the first push loads modules and mints a token
      totals.push(total);
      jobs.push(out.ms ?? 0);
      for (const [k, v] of Object.entries(out.phases ?? {})) record(k, v);
      queued.push(new Date(row.started_at).getTime() - wall0);
      const [ledger] = await sql<{ received_at: Date; sent_at: Date }>(
        `select received_at, sent_at from public.webhook_deliveries
         where organization_id = $1 and event_type = 'push' order by received_at desc limit 1`,
        [organizationId],
      );
      record("push:sandbox-commit", committed);
      if (ledger) {
        record("push:to-intake", ledger.received_at.getTime() - wall0);
        fromIntake.push(readyAt - ledger.received_at.getTime());
        record("push:event-sent", ledger.sent_at.getTime() - wall0);
      }
    }
    const figures = {
      pushes,
      firstIndexMs,
      p50Ms: quantile(totals, 0.5),
      p95Ms: quantile(totals, 0.95),
      maxMs: Math.max(...totals),
      fromIntakeP50Ms: quantile(fromIntake, 0.5),
      fromIntakeP95Ms: quantile(fromIntake, 0.95),
      jobP50Ms: quantile(jobs, 0.5),
      jobP95Ms: quantile(jobs, 0.95),
      toJobStartP50Ms: quantile(queued, 0.5),
      jobPhasesP50Ms: Object.fromEntries(
        Object.entries(phases).map(([k, v]) => [k, quantile(v, 0.5)]),
      ),
      indexBytes: Number(
        (
          await sql<{ index_bytes: string }>(
            "select index_bytes from public.code_indexes where repository_id = $1",
            [repositoryId],
          )
        )[0]?.index_bytes ?? 0,
      ),
    };
    process.stdout.write(`\n@@push ${JSON.stringify(figures)}\n`);
    await sql("delete from public.organizations where id = $1", [organizationId]);
  } finally {
    await control("PUT", "/webhook-targets", { github: before.targets.github ?? null }).catch(
      () => {},
    );
    intake.closeAllConnections();
    intake.close();
    await app.close();
    await db.end();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The row once ready at `commit` (or at any commit), with when its last run started. */
async function ready(
  sql: <T>(text: string, params?: unknown[]) => Promise<T[]>,
  repositoryId: string,
  commit: string | undefined,
) {
  const [row] = await sql<{ status: string; commit_sha: string; started_at: string }>(
    "select status, commit_sha, started_at from public.code_indexes where repository_id = $1",
    [repositoryId],
  );
  if (row?.status !== "ready") return undefined;
  return commit === undefined || row.commit_sha === commit ? row : undefined;
}

/** A workspace made as the app makes one: a user, then `create_organization` as that user. */
async function newWorkspace(db: pg.Pool): Promise<string> {
  const userId = randomUUID();
  const client = await db.connect();
  try {
    await client.query(
      `insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
         raw_user_meta_data, created_at, updated_at)
       values ($1, 'authenticated', 'authenticated', $2, now(),
         '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
      [userId, `push-bench-${userId.slice(0, 8)}@bench.test`],
    );
    await client.query("begin");
    await client.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({ sub: userId, role: "authenticated", aal: "aal1" }),
    ]);
    await client.query("set local role authenticated");
    const { rows } = await client.query<{ id: string }>(
      "select id from public.create_organization($1, $2)",
      ["Push bench", `push-bench-${userId.slice(0, 8)}`],
    );
    await client.query("commit");
    if (!rows[0]) throw new Error("workspace not created");
    return rows[0].id;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Installs the sandbox's GitHub App on an account through its own consent form. */
async function installApp(sandboxUrl: string, slug: string, account: string): Promise<string> {
  const url = `${sandboxUrl}/github/web/apps/${slug}/installations/new`;
  const page = await (await fetch(`${url}?account=${account}`)).text();
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[m[1] ?? ""] = (m[2] ?? "").replaceAll("&amp;", "&");
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, account, selection: "all", decision: "install" }),
    redirect: "manual",
  });
  const id = new URL(res.headers.get("location") ?? "").searchParams.get("installation_id");
  if (!id) throw new Error(`GitHub sandbox installation failed (${res.status})`);
  return id;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
