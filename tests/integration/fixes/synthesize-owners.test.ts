import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  installGithub,
  newWorkspace,
  releaseSharedSandboxAccounts,
  usePipelineEnv,
} from "@/tests/integration/pipeline/fixtures";
import { control } from "@/tests/integration/sandboxes/helpers";

vi.mock("server-only", () => ({}));

/**
 * The owner-synthesis job end to end: a repository of our own without CODEOWNERS, served by the
 * GitHub sandbox, with a year of history (a frequent author, a co-authored commit, dependabot and
 * GitHub Actions commits, one commit older than 365 days, and more than one page of commits), is
 * selected; `synthesize-owners` lists its commits through the GitHub App, reads each commit's
 * files and stores the owners per path with its progress. A second run at the same commit does
 * nothing; a push that adds a CODEOWNERS file stores that fact instead of owners.
 */

const APP_ID = "owners-synthesis-test";
const owner = `plown${randomUUID().slice(0, 6)}`;
const fullName = `${owner}/app`;
const DAY_MS = 86_400_000;
/** Filler commits by ana, so the history spans two pages of 100. */
const FILLER = 100;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let work: string;
let organizationId: string;
let repositoryId: string;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const functionId = `${APP_ID}-synthesize-owners`;

const ana = { name: "Ana Lima", email: "1001+ana@users.noreply.github.com" };
const bo = { name: "Bo Chen", email: "bo@acme.test" };
const cy = { name: "Cy Park", email: "cy@acme.test" };
const old = { name: "Old Timer", email: "old@acme.test" };
const dependabot = {
  name: "dependabot[bot]",
  email: "49699333+dependabot[bot]@users.noreply.github.com",
};
const actions = {
  name: "github-actions",
  email: "41898282+github-actions@users.noreply.github.com",
};

function commitAs(
  who: { name: string; email: string },
  ageDays: number,
  files: Record<string, string>,
  message: string,
) {
  for (const [file, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), body);
  }
  const date = new Date(Date.now() - ageDays * DAY_MS).toISOString();
  execFileSync("git", ["-C", work, "add", "."]);
  execFileSync("git", ["-C", work, "commit", "-q", "-m", message], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
      GIT_COMMITTER_DATE: date,
    },
  });
}

interface OwnersRow {
  status: string;
  commit_sha: string;
  codeowners_path: string | null;
  pages_read: number;
  commits_counted: number;
  owners: Record<string, Array<{ id: string; login: string | null; commits: number }>>;
  error: string | null;
  finished_at: string | null;
}

async function ownersRow(): Promise<OwnersRow | undefined> {
  const [row] = await asSuperuser<OwnersRow>(
    `select status, commit_sha, codeowners_path, pages_read, commits_counted, owners, error,
            finished_at::text from public.repository_owners where repository_id = $1`,
    [repositoryId],
  );
  return row;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const { defineSynthesizeOwners } = await import("@/inngest/functions/synthesize-owners");
  app = await serveApp(inngest, [defineSynthesizeOwners(inngest, { debouncePeriod: "1s" })]);
  await syncApp(executorUrl(), app.url);

  work = mkdtempSync(path.join(os.tmpdir(), "pl-owners-"));
  execFileSync("git", ["-C", work, "init", "-q", "-b", "main"]);
  commitAs(old, 400, { "src/legacy/old.ts": "export const old = 1;\n" }, "feat: legacy");
  commitAs(bo, 300, { "src/cart/total.ts": "export const total = 0;\n" }, "feat: cart total");
  for (let i = 0; i < FILLER; i++)
    commitAs(
      ana,
      200 - i,
      { "src/cart/total.ts": `export const total = ${i + 1};\n` },
      `fix: total ${i}`,
    );
  commitAs(
    cy,
    20,
    { "src/api/handler.ts": "export const handler = 1;\n" },
    "feat: api handler\n\nCo-authored-by: Dee Rao <2002+dee@users.noreply.github.com>\nCo-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
  );
  commitAs(dependabot, 10, { "package.json": '{"v": 2}\n' }, "chore(deps): bump");
  commitAs(actions, 5, { "src/api/handler.ts": "export const handler = 2;\n" }, "chore: format");

  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: work,
    full_name: fullName,
  });
  expect(added.status).toBeLessThan(300);
  const installationId = await installGithub(owner);
  organizationId = await newWorkspace("owners");
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true) returning id`,
    [organizationId, integration?.id, added.json.repository.id, fullName],
  );
  if (!repo) throw new Error("repository not created");
  repositoryId = repo.id;
}, 180_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  if (work) rmSync(work, { recursive: true, force: true });
});

const head = () => execFileSync("git", ["-C", work, "rev-parse", "HEAD"]).toString().trim();

describe("synthesize-owners", () => {
  let firstFinishedAt: string | null = null;

  it("stores owners per path from the last year: bots left out, co-authors credited", async () => {
    const { ids } = await inngest.send(
      events.repositorySelected.create({ organizationId, repositoryId }),
    );
    const row = await waitFor(
      async () => {
        const r = await ownersRow();
        return r && (r.status === "done" || r.status === "failed") ? r : undefined;
      },
      90_000,
      "the synthesis",
    );
    expect(row.error).toBeNull();
    expect(row.status).toBe("done");
    expect(row.commit_sha).toBe(head());
    expect(row.codeowners_path).toBeNull();
    // 105 commits: two pages of 100; the one older than 365 days is not counted
    expect(row.pages_read).toBe(2);
    expect(row.commits_counted).toBe(FILLER + 4);

    const total = row.owners["src/cart/total.ts"] ?? [];
    expect(total.map((o) => o.id)).toEqual(["@ana", "bo@acme.test"]);
    expect(total[0]).toMatchObject({ login: "ana", commits: FILLER });
    // cy and the co-author Dee; dependabot (co-author) and GitHub Actions (author) are bots
    expect((row.owners["src/api/handler.ts"] ?? []).map((o) => o.id).sort()).toEqual([
      "@dee",
      "cy@acme.test",
    ]);
    expect(row.owners["package.json"]).toBeUndefined();
    expect(row.owners["src/legacy/old.ts"]).toBeUndefined();
    expect(JSON.stringify(row.owners)).not.toMatch(/bot|github-actions|old@acme/);
    firstFinishedAt = row.finished_at;
    // the run itself ends just after its last write
    const run = await waitForRun(executorUrl(), functionId, ids[0] ?? "", 10_000);
    expect(run.output).toMatchObject({ status: "synthesized", commit: head(), pages: 2 });
  }, 120_000);

  it("a second run at the same commit does nothing", async () => {
    const { ids } = await inngest.send(
      events.repositorySelected.create({ organizationId, repositoryId }),
    );
    const run = await waitForRun(executorUrl(), functionId, ids[0] ?? "", 30_000);
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ status: "unchanged", commit: head() });
    const row = await ownersRow();
    expect(row?.finished_at).toBe(firstFinishedAt);
    expect(row?.status).toBe("done");
  }, 60_000);

  it("a push that adds CODEOWNERS stores that fact and no synthesised owners", async () => {
    const pushed = await control<{ pushed: Array<{ after: string }> }>("POST", "/github/push", {
      repo: fullName,
      message: "chore: add CODEOWNERS",
      files: { ".github/CODEOWNERS": "* @ana\n" },
    });
    const after = pushed.json.pushed[0]?.after ?? "";
    expect(after).toMatch(/^[0-9a-f]{40}$/);
    await inngest.send(events.repositoryPushed.create({ organizationId, repositoryId, after }));
    const row = await waitFor(
      async () => {
        const r = await ownersRow();
        return r?.commit_sha === after && r.status === "done" ? r : undefined;
      },
      30_000,
      "the run at the pushed commit",
    );
    expect(row.codeowners_path).toBe(".github/CODEOWNERS");
    expect(row.owners).toEqual({});
  }, 60_000);
});
