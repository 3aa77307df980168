import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signGithub } from "@/lib/webhooks/github";
import { runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  installGithub,
  newWorkspace,
  releaseSharedSandboxAccounts,
  usePipelineEnv,
} from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Re-indexing on push, end to end: a repository of our own served by the GitHub sandbox is
 * indexed in full when selected; then a commit changes two files, adds one and deletes one, and a
 * signed `push` delivery goes through the real intake → `record-github-push` (new head recorded,
 * `repository/pushed`) → `index-repository`, which re-indexes those four paths only and records
 * the new commit.
 */

const APP_ID = "pipeline-push-test";
const owner = `plpush${randomUUID().slice(0, 6)}`;
const fullName = `${owner}/app`;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let handleWebhook: typeof import("@/lib/webhooks/intake").handleWebhook;
let work: string;
let organizationId: string;
let repositoryId: string;
let githubRepositoryId: number;
let installationId: string;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const git = (...args: string[]) =>
  execFileSync("git", ["-C", work, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  });

const source = (name: string, body: string) =>
  `/** ${name} module. */\nexport function ${name}(input: number): number {\n  ${body}\n}\n`;

async function indexRow() {
  const [row] = await asSuperuser<{
    status: string;
    commit_sha: string | null;
    files_count: number;
    index_data: string | null;
  }>(
    "select status, commit_sha, files_count, index_data from public.code_indexes where repository_id = $1",
    [repositoryId],
  );
  return row;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  ({ handleWebhook } = await import("@/lib/webhooks/intake"));
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [indexing, push] = await Promise.all([
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/record-github-push"),
  ]);
  app = await serveApp(inngest, [
    indexing.defineIndexRepository(inngest),
    push.defineRecordGithubPush(inngest),
  ]);
  await syncApp(executorUrl(), app.url);

  // a small repository on disk, served by the sandbox from its own bare clone
  work = mkdtempSync(path.join(os.tmpdir(), "pl-push-"));
  mkdirSync(path.join(work, "src"));
  for (let i = 0; i < 12; i++) {
    writeFileSync(
      path.join(work, "src", `part${i}.ts`),
      source(`part${i}`, `return input + ${i};`),
    );
  }
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "first");
  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: work,
    full_name: fullName,
  });
  expect(added.status).toBeLessThan(300);
  githubRepositoryId = added.json.repository.id;
  installationId = await installGithub(owner);

  organizationId = await newWorkspace("push");
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true) returning id`,
    [organizationId, integration?.id, githubRepositoryId, fullName],
  );
  if (!repo) throw new Error("repository not created");
  repositoryId = repo.id;
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("index-repository on selection and on push", () => {
  let first: string;

  it("indexes the whole default branch when the repository is selected", async () => {
    await inngest.send(events.repositorySelected.create({ organizationId, repositoryId }));
    const row = await waitFor(
      async () => {
        const r = await indexRow();
        return r?.status === "ready" ? r : undefined;
      },
      60_000,
      "first index",
    );
    expect(row.files_count).toBe(12);
    first = row.commit_sha ?? "";
    expect(first).toMatch(/^[0-9a-f]{40}$/);
  }, 90_000);

  it("a signed push to the default branch re-indexes only the changed files and records the head", async () => {
    // committed in the source directory and fetched by the sandbox (as a developer's push)
    writeFileSync(path.join(work, "src", "part1.ts"), source("part1", "return input * 100;"));
    writeFileSync(path.join(work, "src", "part2.ts"), source("renamedTwo", "return input - 2;"));
    writeFileSync(path.join(work, "src", "fresh.ts"), source("freshlyAdded", "return 42;"));
    rmSync(path.join(work, "src", "part3.ts"));
    git("add", "-A");
    git("commit", "-q", "-m", "change two, add one, delete one");
    const pushed = await control<{ pushed: Array<{ after: string }> }>("POST", "/github/push", {
      repo: fullName,
    });
    const after = pushed.json.pushed[0]?.after ?? "";
    expect(after).toMatch(/^[0-9a-f]{40}$/);

    const deliveryId = randomUUID();
    const body = JSON.stringify({
      ref: "refs/heads/main",
      before: first,
      after,
      repository: {
        id: githubRepositoryId,
        full_name: fullName,
        default_branch: "main",
        private: true,
      },
      installation: { id: Number(installationId) },
    });
    const res = await handleWebhook(
      "github",
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": deliveryId,
          "x-hub-signature-256": signGithub(body, process.env.GITHUB_WEBHOOK_SECRET ?? ""),
        },
        body,
      }),
    );
    expect(res.status).toBe(200);

    const row = await waitFor(
      async () => {
        const r = await indexRow();
        return r?.commit_sha === after && r.status === "ready" ? r : undefined;
      },
      60_000,
      "re-index at the pushed commit",
    );
    expect(row.files_count).toBe(12); // 12 − 1 deleted + 1 added
    expect(row.index_data).toContain("freshlyAdded");
    expect(row.index_data).toContain("renamedTwo");
    expect(row.index_data).not.toContain("src/part3.ts");
    // the run ends just after the row is ready
    const incremental = await waitFor(
      async () =>
        (await runsOf(executorUrl(), `${APP_ID}-index-repository`)).find(
          (r) => r.status === "completed" && (r.output as { commit?: string })?.commit === after,
        ),
      10_000,
      "the re-index run",
    );
    const [repo] = await asSuperuser<{ head_sha: string }>(
      "select head_sha from public.integration_repositories where id = $1",
      [repositoryId],
    );
    expect(repo?.head_sha).toBe(after);
    expect(incremental.output).toMatchObject({
      status: "indexed",
      mode: "incremental",
      changed: 3,
      removed: 1,
    });
  }, 90_000);
});
