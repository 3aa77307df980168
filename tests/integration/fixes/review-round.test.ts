import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signGithub } from "@/lib/webhooks/github";
import { type RunView, runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  installGithub,
  newWorkspace,
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
} from "@/tests/integration/pipeline/fixtures";
import { control, sandbox } from "@/tests/integration/sandboxes/helpers";

vi.mock("server-only", () => ({}));

/**
 * Review rounds (issue 17) through the real pieces: a fix attempt drafts a PR (executor, GitHub
 * sandbox, Anthropic stand-in); the sandbox's reviewer asks for changes, its signed delivery goes
 * through the real intake to the executor and `fix-review-round`, which asks the stand-in again
 * with the branch's files and the (redacted) review and commits on top of the same branch. The
 * workspace allows 2 rounds: the third request is only shown; the same review delivered again
 * under a new delivery id asks nothing; without a provider the request is shown.
 */

const APP_ID = "review17-review-round-test";
const FN = `${APP_ID}-fix-review-round`;
const ACCOUNT = `rvw${Date.now().toString(36)}`;
const REPO = "shop";
const CART = [
  "/** Cart totals. */",
  "export function cartTotal(prices: number[]): number {",
  "  return prices.length;",
  "}",
  "",
].join("\n");

let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let handleWebhook: typeof import("@/lib/webhooks/intake").handleWebhook;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let organizationId: string;
let integrationId: string;
let repositoryId = "";
let mainHead = "";
let bugId = "";
let prNumber = 0;
let branch = "";
const dirs: string[] = [];
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const r = { owner: ACCOUNT, repo: REPO };

async function octokit(): Promise<Octokit> {
  const { mintInstallationToken } = await import("@/lib/integrations/github/app");
  const env = devstackEnv();
  const [row] = await asSuperuser<{ external_account_id: string }>(
    "select external_account_id from public.integrations where id = $1",
    [integrationId],
  );
  const { accessToken } = await mintInstallationToken(
    {
      appId: env.GITHUB_APP_ID ?? "",
      privateKey: env.GITHUB_APP_PRIVATE_KEY ?? "",
      apiBaseUrl: env.GITHUB_API_BASE ?? "",
    },
    { externalAccountId: row?.external_account_id ?? "" },
  );
  return new Octokit({ baseUrl: env.GITHUB_API_BASE, auth: accessToken });
}

function gitRepo(files: Record<string, string>): string {
  const work = mkdtempSync(path.join(os.tmpdir(), "pl-review-"));
  dirs.push(work);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, p)), { recursive: true });
    writeFileSync(path.join(work, p), content);
  }
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "Alice",
    GIT_AUTHOR_EMAIL: "alice@corp.example",
    GIT_COMMITTER_NAME: "Alice",
    GIT_COMMITTER_EMAIL: "alice@corp.example",
  };
  const git = (...args: string[]) => execFileSync("git", ["-C", work, ...args], { env });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "first");
  return work;
}

interface Round {
  github_review_id: string;
  reviewer: string;
  status: string;
  round: number | null;
  reason: string | null;
  failure_kind: string | null;
  commit_sha: string | null;
}
const rounds = () =>
  asSuperuser<Round>(
    `select github_review_id::text, reviewer, status, round, reason, failure_kind, commit_sha
       from public.fix_review_rounds where bug_id = $1 order by created_at`,
    [bugId],
  );
async function roundFor(reviewId: number): Promise<Round> {
  return waitFor(
    async () =>
      (await rounds()).find(
        (x) => x.github_review_id === String(reviewId) && x.status !== "running",
      ),
    60_000,
    `the round of review ${reviewId}`,
  );
}

async function review(body: string, reviewer = "cart-lead") {
  const res = await control<{ review: { id: number }; deliveries: Array<{ id: string }> }>(
    "POST",
    "/github/review",
    { repo: `${ACCOUNT}/${REPO}`, pr: prNumber, reviewer, event: "REQUEST_CHANGES", body },
  );
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

async function branchHead(): Promise<string> {
  const { data } = await (await octokit()).rest.git.getRef({ ...r, ref: `heads/${branch}` });
  return data.object.sha;
}

/** The finished run of our function for a GitHub delivery id (via the ledger row). */
async function runFor(githubDeliveryId: string): Promise<RunView> {
  const ledger = await waitFor(
    async () =>
      (
        await asSuperuser<{ id: string }>(
          "select id from public.webhook_deliveries where provider = 'github' and provider_event_id = $1",
          [githubDeliveryId],
        )
      )[0],
    15_000,
    "the delivery in the ledger",
  );
  return waitFor(
    async () =>
      (await runsOf(executorUrl(), FN)).find(
        (x) =>
          x.status === "completed" &&
          (x.output as { deliveryId?: string } | null)?.deliveryId === ledger.id,
      ),
    60_000,
    `the run for delivery ${githubDeliveryId}`,
  );
}

beforeAll(async () => {
  usePipelineEnv();
  const env = devstackEnv();
  process.env.ANTHROPIC_BASE_URL = env.ANTHROPIC_BASE_URL;
  process.env.GITHUB_APP_SLUG = env.GITHUB_APP_SLUG;
  delete process.env.ANTHROPIC_API_KEY;
  (await import("@/lib/env")).resetEnvCacheForTests();
  ({ handleWebhook } = await import("@/lib/webhooks/intake"));
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [{ defineFixAttempt }, { defineFixReviewRound }] = await Promise.all([
    import("@/inngest/functions/fix-attempt"),
    import("@/inngest/functions/fix-review-round"),
  ]);
  app = await serveApp(inngest, [defineFixAttempt(inngest), defineFixReviewRound(inngest)]);
  await syncApp(executorUrl(), app.url);
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  await control("PUT", "/webhook-targets", { github: intake.url("github") });

  const dir = gitRepo({ "src/cart/total.ts": CART });
  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: dir,
    full_name: `${ACCOUNT}/${REPO}`,
  });
  expect(added.status).toBeLessThan(300);
  organizationId = await newWorkspace("review");
  const [owner] = await asSuperuser<{ user_id: string }>(
    "select user_id from public.memberships where organization_id = $1 and role = 'owner'",
    [organizationId],
  );
  const installationId = await installGithub(ACCOUNT);
  const [github] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  integrationId = github?.id ?? "";
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, private, selected)
     values ($1, $2, $3, $4, 'main', true, true) returning id`,
    [organizationId, integrationId, added.json.repository.id, `${ACCOUNT}/${REPO}`],
  );
  repositoryId = repo?.id ?? "";
  mainHead = (await (await octokit()).rest.git.getRef({ ...r, ref: "heads/main" })).data.object.sha;
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { saveLlmSettings } = await import("@/lib/pipeline/llm/workspace-settings");
  const admin = await createAdminClient({ reason: "test", organizationId });
  const saved = await saveLlmSettings(admin, organizationId, owner?.user_id ?? "", {
    provider: "anthropic",
    model: null,
    apiKey: env.ANTHROPIC_API_KEY ?? "",
  });
  expect(saved.ok).toBe(true);
  // the workspace allows two review rounds (the default is 3)
  await asSuperuser(
    "insert into public.fix_settings (organization_id, review_rounds_max) values ($1, 2)",
    [organizationId],
  );

  // a Mapped Bug and its fix attempt's draft PR
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, status, steps, expected, actual,
       extraction_confidence, mapping_confidence, verbatim)
     values ($1, 'Cart total counts items', 'high', 'mapped', array['Add two lamps'],
       'The total is the sum of the prices', 'The total is 2', 0.9, 0.8, 'Hi') returning id`,
    [organizationId],
  );
  bugId = bug?.id ?? "";
  await asSuperuser(
    `insert into public.bug_locations (organization_id, bug_id, repository_id, repository_full_name,
       commit_sha, path, function_name, start_line, end_line, confidence, explanation, rank)
     values ($1, $2, $3, $4, $5, 'src/cart/total.ts', 'cartTotal', 2, 4, 0.8, 'The total.', 1)`,
    [organizationId, bugId, repositoryId, `${ACCOUNT}/${REPO}`, mainHead],
  );
  const [attempt] = await asSuperuser<{ id: string }>(
    "insert into public.fix_attempts (organization_id, bug_id) values ($1, $2) returning id",
    [organizationId, bugId],
  );
  await inngest.send(
    events.fixAttemptRequested.create({ organizationId, bugId, attemptId: attempt?.id ?? "" }),
  );
  const pr = await waitFor(
    async () =>
      (
        await asSuperuser<{ number: number; head_branch: string }>(
          "select number, head_branch from public.pull_requests where bug_id = $1",
          [bugId],
        )
      )[0],
    60_000,
    "the draft PR",
  );
  prNumber = pr.number;
  branch = pr.head_branch;
  await fetch(sandbox("/_control/github/app-writes"), { method: "DELETE" });
  await fetch(sandbox("/_control/llm/requests"), { method: "DELETE" });
}, 150_000);

afterAll(async () => {
  await control("PUT", "/webhook-targets", { github: null }).catch(() => undefined);
  await fetch(sandbox("/_control/llm/fix-answers"), { method: "DELETE" }).catch(() => undefined);
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("a review asking for changes on a drafted PR", () => {
  let first: { review: { id: number }; deliveries: Array<{ id: string }> };

  it("gets a new commit on top of the same branch, made from the redacted review", async () => {
    const before = await branchHead();
    first = await review(
      "Please also handle an empty cart. Questions to lead.reviewer@example.org or +1 415 555 0100.",
    );
    const done = await roundFor(first.review.id);
    expect(done).toMatchObject({
      reviewer: "cart-lead",
      status: "pushed",
      round: 1,
      reason: null,
      failure_kind: null,
    });
    const gh = await octokit();
    const head = await branchHead();
    expect(head).toBe(done.commit_sha);
    const { data: commit } = await gh.rest.repos.getCommit({ ...r, ref: head });
    // a new commit on top of the fix: the branch only moved forward
    expect(commit.parents.map((p) => p.sha)).toEqual([before]);
    expect(commit.commit.message).toContain("fix: address review by @cart-lead (round 1)");
    expect(commit.commit.message).toContain(`Patchline-Review: ${first.review.id}`);
    expect((commit.files ?? []).map((f) => [f.filename, f.status])).toEqual([
      ["src/cart/total.ts", "modified"],
    ]);
    const { data: file } = await gh.rest.repos.getContent({
      ...r,
      path: "src/cart/total.ts",
      ref: branch,
      mediaType: { format: "raw" },
    });
    expect(String(file)).toContain(
      "// Patchline review round 1: Please also handle an empty cart.",
    );
    expect(String(file)).toContain("// Patchline fix: Cart total counts items");
    // what left for the model: the branch's files and the review, redacted
    const seen = await control<{ requests: Array<{ user: string; system: string }> }>(
      "GET",
      "/llm/requests?provider=anthropic",
    );
    const prompt = seen.json.requests.filter((q) => q.system.startsWith("TASK: revise")).pop();
    expect(prompt?.user).toContain("// Patchline fix: Cart total counts items");
    expect(prompt?.user).toContain("tests/patchline/");
    expect(prompt?.user).toContain("Please also handle an empty cart.");
    expect(prompt?.user).not.toContain("lead.reviewer@example.org");
    expect(prompt?.user).not.toContain("555 0100");
    // main did not move; nothing was merged, force-pushed or deleted
    const { data: main } = await gh.rest.git.getRef({ ...r, ref: "heads/main" });
    expect(main.object.sha).toBe(mainHead);
    const writes = await control<{ destructive: unknown[] }>("GET", "/github/app-writes");
    expect(writes.json.destructive).toEqual([]);
  }, 90_000);

  it("the same review delivered again under a new delivery id asks nothing and commits nothing", async () => {
    const head = await branchHead();
    const original = await control<{ delivery: { body: string; headers: Record<string, string> } }>(
      "GET",
      `/deliveries/${first.deliveries.find(() => true)?.id}`,
    );
    const d = original.json.delivery;
    expect(d.headers["x-github-event"]).toBe("pull_request_review");
    const id = randomUUID();
    const res = await handleWebhook(
      "github",
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request_review",
          "x-github-delivery": id,
          "x-hub-signature-256": signGithub(d.body, process.env.GITHUB_WEBHOOK_SECRET ?? ""),
        },
        body: d.body,
      }),
    );
    expect(res.status).toBe(200);
    const run = await runFor(id);
    expect(run.output).toMatchObject({ kind: "duplicate" });
    expect(await branchHead()).toBe(head);
    expect((await rounds()).length).toBe(1);
  }, 90_000);

  it("the workspace's limit holds: round 2 is pushed, the third request is only shown", async () => {
    const second = await review("Name the helper after what it sums.", "alice-dev");
    expect(await roundFor(second.review.id)).toMatchObject({ status: "pushed", round: 2 });
    const head = await branchHead();
    const third = await review("One more thing: add a comment.");
    expect(await roundFor(third.review.id)).toMatchObject({
      status: "shown",
      round: null,
      reason: "limit_reached",
      commit_sha: null,
    });
    expect(await branchHead()).toBe(head);
    const { data: commits } = await (await octokit()).rest.repos.listCommits({
      ...r,
      sha: branch,
    });
    // main's commit, the fix, two review rounds
    expect(commits.length).toBe(4);
  }, 120_000);

  it("a patch that does not apply fails the round, commits nothing, and takes no slot", async () => {
    await asSuperuser(
      "update public.fix_settings set review_rounds_max = 3 where organization_id = $1",
      [organizationId],
    );
    const queued = await control("POST", "/llm/fix-answers", {
      diff: "--- a/src/cart/total.ts\n+++ b/src/cart/total.ts\n@@ -1,1 +1,1 @@\n-nothing like this\n+at all\n",
      summary: "Stale.",
    });
    expect(queued.status).toBe(201);
    const head = await branchHead();
    const bad = await review("Try again please.");
    expect(await roundFor(bad.review.id)).toMatchObject({
      status: "failed",
      round: null,
      failure_kind: "patch_does_not_apply",
    });
    expect(await branchHead()).toBe(head);
  }, 90_000);

  it("without an LLM provider the request is only shown", async () => {
    await asSuperuser("delete from public.llm_settings where organization_id = $1", [
      organizationId,
    ]);
    const head = await branchHead();
    const offline = await review("Please rename the variable.");
    expect(await roundFor(offline.review.id)).toMatchObject({
      status: "shown",
      reason: "no_provider",
    });
    expect(await branchHead()).toBe(head);
  }, 90_000);
});
