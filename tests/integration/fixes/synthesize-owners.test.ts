import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor, waitForRun } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  installGithub,
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
 * nothing; a push re-runs it on the new commits only, with the owners a full run gives; a member
 * opens the draft PR that adds CODEOWNERS (twice: the same PR); a push that adds a CODEOWNERS file
 * stores that fact instead of owners.
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
let integrationId: string;
let member: ApiUser;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const functionId = `${APP_ID}-synthesize-owners`;
const nowFunctionId = `${APP_ID}-synthesize-owners-now`;

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
  commits_total: number | null;
  synthesized_sha: string | null;
  history: Array<{ sha: string }>;
  codeowners_pr_number: number | null;
  codeowners_pr_url: string | null;
  owners: Record<
    string,
    Array<{ id: string; login: string | null; commits: number; weight: number }>
  >;
  error: string | null;
  finished_at: string | null;
}

async function ownersRow(): Promise<OwnersRow | undefined> {
  const [row] = await asSuperuser<OwnersRow>(
    `select status, commit_sha, codeowners_path, pages_read, commits_counted, commits_total,
            synthesized_sha, history, codeowners_pr_number, codeowners_pr_url, owners, error,
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
  const { defineSynthesizeOwners, defineSynthesizeOwnersNow } = await import(
    "@/inngest/functions/synthesize-owners"
  );
  app = await serveApp(inngest, [
    defineSynthesizeOwners(inngest, { debouncePeriod: "1s" }),
    defineSynthesizeOwnersNow(inngest),
  ]);
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
  // the workspace's owner (bugs.write) opens the CODEOWNERS pull request
  member = await signedInUser("owners-member");
  const { data: org, error } = await member.client.rpc("create_organization", {
    p_name: "Owners",
    p_slug: `owners-${randomUUID().slice(0, 8)}`,
  });
  if (error) throw new Error(error.message);
  organizationId = (org as { id: string }).id;
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
  integrationId = integration?.id ?? "";
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
    // the total came from GitHub's count (the `last` page at one per page) before reading
    expect(row.commits_total).toBe(FILLER + 4);
    expect(row.synthesized_sha).toBe(head());
    expect(row.history).toHaveLength(FILLER + 4);

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

  let incrementalOwners: OwnersRow["owners"] = {};

  it("a push re-runs on the new commits only", async () => {
    await control("POST", "/github/push", {
      repo: fullName,
      message: "feat: cart discounts",
      files: { "src/cart/discount.ts": "export const discount = 1;\n" },
      author: bo,
    });
    const pushed = await control<{ pushed: Array<{ after: string }> }>("POST", "/github/push", {
      repo: fullName,
      message:
        "fix: discount rounding\n\nCo-authored-by: Ana Lima <1001+ana@users.noreply.github.com>",
      files: { "src/cart/discount.ts": "export const discount = 2;\n" },
      author: cy,
    });
    const after = pushed.json.pushed[0]?.after ?? "";
    expect(after).toMatch(/^[0-9a-f]{40}$/);
    const { ids } = await inngest.send(
      events.repositoryPushed.create({ organizationId, repositoryId, after }),
    );
    const run = await waitForRun(executorUrl(), functionId, ids[0] ?? "", 60_000);
    expect(run.status).toBe("completed");
    // two new commits read (one page), the stored year not read again
    expect(run.output).toMatchObject({
      status: "synthesized",
      commit: after,
      incremental: true,
      commits: 2,
      pages: 1,
    });
    const row = await ownersRow();
    expect(row).toMatchObject({ status: "done", commit_sha: after, synthesized_sha: after });
    expect(row?.commits_total).toBe(2); // the Compare API's count of new commits
    expect(row?.history).toHaveLength(FILLER + 6);
    expect((row?.owners["src/cart/discount.ts"] ?? []).map((o) => o.id).sort()).toEqual([
      "@ana",
      "bo@acme.test",
      "cy@acme.test",
    ]);
    expect(row?.owners["src/cart/total.ts"]?.[0]).toMatchObject({ id: "@ana", commits: FILLER });
    incrementalOwners = row?.owners ?? {};
  }, 90_000);

  it("a full run at that commit gives the owners the re-run stored", async () => {
    // forget the stored window, as if never synthesised, and ask as a person does
    await asSuperuser(
      `update public.repository_owners
          set status = 'queued', history = '[]', synthesized_sha = null, owners = '{}'
        where repository_id = $1`,
      [repositoryId],
    );
    const { ids } = await inngest.send(
      events.ownersRequested.create({ organizationId, repositoryId }),
    );
    const run = await waitForRun(executorUrl(), nowFunctionId, ids[0] ?? "", 60_000);
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ status: "synthesized", incremental: false, pages: 2 });
    const full = (await ownersRow())?.owners ?? {};
    const shape = (owners: OwnersRow["owners"]) =>
      Object.fromEntries(
        Object.entries(owners).map(([path, list]) => [
          path,
          list.map((o) => ({ id: o.id, login: o.login, commits: o.commits })),
        ]),
      );
    expect(shape(full)).toEqual(shape(incrementalOwners));
    expect(Object.keys(full).sort()).toEqual([
      "src/api/handler.ts",
      "src/cart/discount.ts",
      "src/cart/total.ts",
    ]);
    // weights agree up to the seconds between the two runs' decay
    for (const [path, list] of Object.entries(full))
      list.forEach((o, i) => {
        const other = incrementalOwners[path]?.[i]?.weight ?? 0;
        expect(Math.abs(o.weight - other) / other).toBeLessThan(1e-4);
      });
  }, 90_000);

  it("a member opens the draft CODEOWNERS pull request, once", async () => {
    const { openCodeownersPullRequest, CODEOWNERS_BRANCH, CODEOWNERS_TITLE } = await import(
      "@/lib/fixes/owners/codeowners-pr"
    );
    const { installationOctokit } = await import("@/lib/integrations/github/app");
    const { getAccessToken } = await import("@/lib/integrations/access-token");
    const { serverEnv } = await import("@/lib/env");
    const octokit = installationOctokit(
      serverEnv().GITHUB_API_BASE,
      await getAccessToken({ id: integrationId, organizationId }),
    );
    const [o = "", r = ""] = fullName.split("/");
    const mainSha = async () =>
      (await octokit.rest.git.getRef({ owner: o, repo: r, ref: "heads/main" })).data.object.sha;
    const mainBefore = await mainSha();
    const pr = await openCodeownersPullRequest(
      member.client,
      organizationId,
      repositoryId,
      member.id,
    );
    expect(pr.existing).toBe(false);
    expect(pr.url).toMatch(new RegExp(`/${fullName}/pull/${pr.number}$`));
    const again = await openCodeownersPullRequest(
      member.client,
      organizationId,
      repositoryId,
      member.id,
    );
    expect(again).toEqual({ ...pr, existing: true });

    // GitHub's side, read through the App: one open draft PR from a new branch off main
    const { data: pull } = await octokit.rest.pulls.get({
      owner: o,
      repo: r,
      pull_number: pr.number,
    });
    expect(pull).toMatchObject({ draft: true, state: "open", title: CODEOWNERS_TITLE });
    expect(pull.head.ref).toBe(CODEOWNERS_BRANCH);
    expect(pull.base.ref).toBe("main");
    expect(pull.body).toContain("Co-authored-by");
    expect(pull.body).not.toMatch(/acme\.test|noreply/);
    const open = await octokit.rest.pulls.list({
      owner: o,
      repo: r,
      head: `${o}:${CODEOWNERS_BRANCH}`,
      state: "open",
    });
    expect(open.data).toHaveLength(1);
    const { data: file } = await octokit.rest.repos.getContent({
      owner: o,
      repo: r,
      path: ".github/CODEOWNERS",
      ref: CODEOWNERS_BRANCH,
    });
    const text = Buffer.from((file as { content: string }).content, "base64").toString("utf8");
    // read back with GitHub's rules: ana owns the cart total, dee the API handler (cy has no login)
    const { ownersOf, parseCodeOwners } = await import("@/lib/fixes/codeowners");
    const parsed = parseCodeOwners(text);
    expect(parsed.errors).toEqual([]);
    const logins = (path: string) =>
      ownersOf(parsed, path).map((x) => (x.kind === "user" ? x.login : "?"));
    expect(logins("src/cart/total.ts")).toEqual(["ana"]);
    expect(logins("src/api/handler.ts")).toEqual(["dee"]);
    expect(text).not.toMatch(/acme\.test|\[bot\]|dependabot/);

    // main did not move, nothing destructive, and the PR is on record for the page
    expect(await mainSha()).toBe(mainBefore);
    const writes = await control<{ destructive: Array<{ repo: string }> }>(
      "GET",
      "/github/app-writes",
    );
    expect(writes.json.destructive.filter((w) => w.repo === fullName)).toEqual([]);
    const row = await ownersRow();
    expect(row).toMatchObject({ codeowners_pr_number: pr.number, codeowners_pr_url: pr.url });
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
