import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { createTwoFilesPatch } from "diff";
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
import { control, sandbox } from "@/tests/integration/sandboxes/helpers";

vi.mock("server-only", () => ({}));

/**
 * Issue 17's fix attempt through the real pieces: the devstack executor runs `fix-attempt`
 * (served over HTTP by the SDK), which reads the mapped files through the GitHub sandbox with an
 * installation token, asks the Anthropic stand-in (the workspace's own key) for a diff + test,
 * checks it with jsdiff, and opens draft PRs through the Git Data API. Two repositories of the
 * test's own account: `shop` has a CODEOWNERS file, `api` has none and a history by bob-dev.
 */

const ACCOUNT = `fixco${Date.now().toString(36)}`;
const CART = [
  "/** Cart totals. */",
  "export function cartTotal(prices: number[]): number {",
  "  return prices.length;",
  "}",
  "",
].join("\n");
const ORDERS = [
  "/** Orders. */",
  "export function listOrders(ids: string[]): string[] {",
  "  return ids.slice(1);",
  "}",
  "",
].join("\n");
const CODEOWNERS = `* @alice-dev\nsrc/cart/ @cart-lead @${ACCOUNT}/cart-team\n`;

let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let organizationId: string;
let ownerId: string;
let integrationId: string;
const repos: Record<string, { id: string; head: string }> = {};
const dirs: string[] = [];
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

function gitRepo(name: string, files: Record<string, string>, who: string): string {
  const work = mkdtempSync(path.join(os.tmpdir(), `pl-fix-${name}-`));
  dirs.push(work);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, p)), { recursive: true });
    writeFileSync(path.join(work, p), content);
  }
  const [n, e] = who.split("|") as [string, string];
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: n,
    GIT_AUTHOR_EMAIL: e,
    GIT_COMMITTER_NAME: n,
    GIT_COMMITTER_EMAIL: e,
  };
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", work, ...args], { env })
      .toString()
      .trim();
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "first");
  return work;
}

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

beforeAll(async () => {
  usePipelineEnv();
  const env = devstackEnv();
  process.env.ANTHROPIC_BASE_URL = env.ANTHROPIC_BASE_URL;
  process.env.GITHUB_APP_SLUG = env.GITHUB_APP_SLUG;
  delete process.env.ANTHROPIC_API_KEY;
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: "fix-attempt-test", isDev: true, baseUrl: executorUrl() });
  const { defineFixAttempt } = await import("@/inngest/functions/fix-attempt");
  app = await serveApp(inngest, [defineFixAttempt(inngest)]);
  await syncApp(executorUrl(), app.url);

  const shop = gitRepo(
    "shop",
    { "src/cart/total.ts": CART, ".github/CODEOWNERS": CODEOWNERS },
    "Alice|alice@corp.example",
  );
  const api = gitRepo(
    "api",
    { "src/orders/list.ts": ORDERS },
    "Bob|1234+bob-dev@users.noreply.github.com",
  );
  organizationId = await newWorkspace("fix");
  const [owner] = await asSuperuser<{ user_id: string }>(
    "select user_id from public.memberships where organization_id = $1 and role = 'owner'",
    [organizationId],
  );
  ownerId = owner?.user_id ?? "";
  const added: Record<string, number> = {};
  for (const [name, dir] of [
    ["shop", shop],
    ["api", api],
  ] as const) {
    const res = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
      path: dir,
      full_name: `${ACCOUNT}/${name}`,
    });
    expect(res.status).toBeLessThan(300);
    added[name] = res.json.repository.id;
  }
  const installationId = await installGithub(ACCOUNT);
  const [github] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  integrationId = github?.id ?? "";
  const gh = await octokit();
  for (const name of ["shop", "api"]) {
    const [row] = await asSuperuser<{ id: string }>(
      `insert into public.integration_repositories
         (organization_id, integration_id, github_repository_id, full_name, default_branch, private, selected)
       values ($1, $2, $3, $4, 'main', true, true) returning id`,
      [organizationId, integrationId, added[name], `${ACCOUNT}/${name}`],
    );
    const { data } = await gh.rest.git.getRef({ owner: ACCOUNT, repo: name, ref: "heads/main" });
    repos[name] = { id: row?.id ?? "", head: data.object.sha };
  }
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { saveLlmSettings } = await import("@/lib/pipeline/llm/workspace-settings");
  const admin = await createAdminClient({ reason: "test", organizationId });
  const saved = await saveLlmSettings(admin, organizationId, ownerId, {
    provider: "anthropic",
    model: null,
    apiKey: env.ANTHROPIC_API_KEY ?? "",
  });
  expect(saved.ok).toBe(true);
  await fetch(sandbox("/_control/github/app-writes"), { method: "DELETE" });
}, 120_000);

afterAll(async () => {
  await fetch(sandbox("/_control/llm/fix-answers"), { method: "DELETE" }).catch(() => undefined);
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let ticketNo = 7000;
/** A Mapped Bug with locations in the given repositories and a linked Zendesk ticket from Dana. */
async function mappedBug(
  title: string,
  where: Array<"shop" | "api">,
  mappingConfidence = 0.8,
): Promise<{ bugId: string; ticket: string }> {
  const ticket = String(ticketNo++);
  const [t] = await asSuperuser<{ id: string }>(
    `insert into public.tickets (organization_id, provider, external_id, subject, requester_name, status, provider_created_at)
     values ($1, 'zendesk', $2, $3, 'Dana Whitfield', 'bug', now()) returning id`,
    [organizationId, ticket, title],
  );
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, status, steps, expected, actual,
       extraction_confidence, mapping_confidence, verbatim, source_ticket_id)
     values ($1, $2, 'high', 'mapped', array['Dana adds two lamps to the cart'],
       'The total is the sum of the prices', 'Dana sees 2; write to dana.whitfield@example.org',
       0.9, $4, 'Hi, Dana here', $3) returning id`,
    [organizationId, title, t?.id, mappingConfidence],
  );
  await asSuperuser(
    "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
    [organizationId, bug?.id, t?.id],
  );
  let rank = 1;
  for (const name of where) {
    await asSuperuser(
      `insert into public.bug_locations (organization_id, bug_id, repository_id, repository_full_name,
         commit_sha, path, function_name, start_line, end_line, confidence, explanation, rank)
       values ($1, $2, $3, $4, $5, $6, $7, 2, 4, 0.8, 'The report names the total.', $8)`,
      [
        organizationId,
        bug?.id,
        repos[name]?.id,
        `${ACCOUNT}/${name}`,
        repos[name]?.head,
        name === "shop" ? "src/cart/total.ts" : "src/orders/list.ts",
        name === "shop" ? "cartTotal" : "listOrders",
        rank++,
      ],
    );
  }
  return { bugId: bug?.id ?? "", ticket };
}

async function attempt(bugId: string) {
  const [row] = await asSuperuser<{ id: string }>(
    "insert into public.fix_attempts (organization_id, bug_id) values ($1, $2) returning id",
    [organizationId, bugId],
  );
  await inngest.send(
    events.fixAttemptRequested.create({ organizationId, bugId, attemptId: row?.id ?? "" }),
  );
  return waitFor(
    async () => {
      const [a] = await asSuperuser<{
        status: string;
        failure_kind: string | null;
        failure_detail: string | null;
      }>("select status, failure_kind, failure_detail from public.fix_attempts where id = $1", [
        row?.id,
      ]);
      return a && (a.status === "opened" || a.status === "failed") ? a : undefined;
    },
    60_000,
    "the fix attempt finished",
  );
}

const prsOf = (bugId: string) =>
  asSuperuser<{
    repository_full_name: string;
    number: number;
    origin: string;
    state: string;
    head_branch: string;
    review_state: string;
    title: string;
  }>(
    "select repository_full_name, number, origin, state, head_branch, review_state, title from public.pull_requests where bug_id = $1 order by repository_full_name",
    [bugId],
  );

describe("fix attempt → draft pull request", () => {
  it("opens a draft PR on a new branch with the patch and a test, reviewers from CODEOWNERS, no customer name or email", async () => {
    const { bugId, ticket } = await mappedBug("Cart total counts items instead of prices", [
      "shop",
    ]);
    const done = await attempt(bugId);
    expect(done).toMatchObject({ status: "opened", failure_kind: null });
    const [pr, ...more] = await prsOf(bugId);
    expect(more).toEqual([]);
    expect(pr).toMatchObject({
      origin: "drafted",
      state: "draft",
      review_state: "review_requested",
    });
    expect(pr?.head_branch).toMatch(
      /^patchline\/fix-cart-total-counts-items-instead-of-price-[0-9a-f]{8}$/,
    );
    expect(pr?.title).toBe("fix(cart): cart total counts items instead of prices");

    const gh = await octokit();
    const r = { owner: ACCOUNT, repo: "shop" };
    const { data: pull } = await gh.rest.pulls.get({ ...r, pull_number: pr?.number ?? 0 });
    expect(pull.draft).toBe(true);
    expect(pull.base.ref).toBe("main");
    expect(pull.head.ref).toBe(pr?.head_branch);
    expect(pull.body).toContain(`Zendesk ticket #${ticket}`);
    expect(pull.body).toContain("`src/cart/total.ts:2-4` (`cartTotal`)");
    expect(pull.body).not.toMatch(/dana/i);
    expect(pull.body).not.toContain("Whitfield");
    expect(pull.body).not.toContain("@example.org");
    // the branch is one commit on main with the change and a new test
    const { data: commit } = await gh.rest.repos.getCommit({ ...r, ref: pull.head.sha });
    expect(commit.parents.map((p) => p.sha)).toEqual([repos.shop?.head]);
    expect((commit.files ?? []).map((f) => [f.filename, f.status]).sort()).toEqual([
      ["src/cart/total.ts", "modified"],
      ["tests/patchline/cart-total-counts-items-instead-of-price.test.ts", "added"],
    ]);
    const { data: file } = await gh.rest.repos.getContent({
      ...r,
      path: "src/cart/total.ts",
      ref: pull.head.ref,
      mediaType: { format: "raw" },
    });
    expect(String(file)).toContain(
      "// Patchline fix: Cart total counts items instead of prices\nexport function cartTotal",
    );
    const { data: requested } = await gh.rest.pulls.listRequestedReviewers({
      ...r,
      pull_number: pull.number,
    });
    expect(requested.users.map((u) => u.login)).toEqual(["cart-lead", "alice-dev"]);
    expect(requested.teams.map((t) => t.slug)).toEqual(["cart-team"]);
    // main did not move, and nothing was merged, force-pushed or deleted
    const { data: main } = await gh.rest.git.getRef({ ...r, ref: "heads/main" });
    expect(main.object.sha).toBe(repos.shop?.head);
    const writes = await control<{ destructive: unknown[] }>("GET", "/github/app-writes");
    expect(writes.json.destructive).toEqual([]);
    // what left for the model was redacted
    const seen = await control<{ requests: Array<{ user: string; system: string }> }>(
      "GET",
      "/llm/requests?provider=anthropic",
    );
    const fixPrompt = seen.json.requests.filter((q) => q.system.startsWith("TASK: fix")).pop();
    expect(fixPrompt?.user).toContain("export function cartTotal");
    expect(fixPrompt?.user).not.toContain("dana.whitfield@example.org");
  }, 90_000);

  it("a patch that does not apply fails the attempt with the reason, and opens no PR", async () => {
    const stale = createTwoFilesPatch(
      "a/src/cart/total.ts",
      "b/src/cart/total.ts",
      CART.replace("prices.length", "prices.size"),
      CART.replace("prices.length", "prices.reduce((a, b) => a + b, 0)"),
    );
    const queued = await control("POST", "/llm/fix-answers", {
      diff: stale,
      summary: "Sums the prices.",
    });
    expect(queued.status).toBe(201);
    const gh = await octokit();
    const before = (await gh.rest.pulls.list({ owner: ACCOUNT, repo: "shop", state: "all" })).data
      .length;
    const { bugId } = await mappedBug("Cart total is wrong again", ["shop"]);
    const done = await attempt(bugId);
    expect(done).toMatchObject({ status: "failed", failure_kind: "patch_does_not_apply" });
    expect(done.failure_detail).toContain("src/cart/total.ts does not apply cleanly");
    expect(await prsOf(bugId)).toEqual([]);
    const after = (await gh.rest.pulls.list({ owner: ACCOUNT, repo: "shop", state: "all" })).data
      .length;
    expect(after).toBe(before);
  }, 90_000);

  it("two repositories give two draft PRs; without CODEOWNERS the reviewers come from the history", async () => {
    const { bugId } = await mappedBug("Order list drops the first order", ["shop", "api"]);
    const done = await attempt(bugId);
    expect(done).toMatchObject({ status: "opened" });
    const prs = await prsOf(bugId);
    expect(prs.map((p) => [p.repository_full_name, p.state, p.origin])).toEqual([
      [`${ACCOUNT}/api`, "draft", "drafted"],
      [`${ACCOUNT}/shop`, "draft", "drafted"],
    ]);
    const gh = await octokit();
    const api = prs[0];
    const { data: requested } = await gh.rest.pulls.listRequestedReviewers({
      owner: ACCOUNT,
      repo: "api",
      pull_number: api?.number ?? 0,
    });
    expect(requested.users.map((u) => u.login)).toEqual(["bob-dev"]);
    const { data: pull } = await gh.rest.pulls.get({
      owner: ACCOUNT,
      repo: "api",
      pull_number: api?.number ?? 0,
    });
    expect(pull.draft).toBe(true);
    expect(pull.body).toContain("No CODEOWNERS file");
    const writes = await control<{ destructive: unknown[] }>("GET", "/github/app-writes");
    expect(writes.json.destructive).toEqual([]);
  }, 90_000);

  it("with owners stored by the synthesis job, the reviewers come from them, not a fresh read of the history", async () => {
    const carol = {
      id: "@carol-dev",
      login: "carol-dev",
      email: "carol@example.org",
      name: "Carol",
      weight: 3,
      commits: 3,
    };
    await asSuperuser(
      `insert into public.repository_owners
         (organization_id, repository_id, commit_sha, status, owners, finished_at)
       values ($1, $2, $3, 'done', $4, now())`,
      [
        organizationId,
        repos.api?.id,
        repos.api?.head,
        JSON.stringify({ "src/orders/": [], "src/orders/list.ts": [carol] }),
      ],
    );
    const { bugId } = await mappedBug("Order list repeats the last order", ["api"]);
    expect(await attempt(bugId)).toMatchObject({ status: "opened" });
    const [api] = await prsOf(bugId);
    const { data: requested } = await (await octokit()).rest.pulls.listRequestedReviewers({
      owner: ACCOUNT,
      repo: "api",
      pull_number: api?.number ?? 0,
    });
    expect(requested.users.map((u) => u.login)).toEqual(["carol-dev"]);
  }, 90_000);

  it("a new Mapped Bug at or above the auto-fix threshold (0.90) gets an attempt on its own; below it, none", async () => {
    const above = await mappedBug("Wishlist total ignores sale prices", ["shop"], 0.95);
    const below = await mappedBug("Wishlist badge shows stale count", ["shop"], 0.85);
    const sent = await inngest.send([
      events.bugMapped.create({ organizationId, bugId: above.bugId }),
      events.bugMapped.create({ organizationId, bugId: below.bugId }),
    ]);
    const auto = await waitFor(
      async () => {
        const [a] = await asSuperuser<{ status: string; trigger: string }>(
          "select status, trigger from public.fix_attempts where bug_id = $1",
          [above.bugId],
        );
        return a?.status === "opened" || a?.status === "failed" ? a : undefined;
      },
      60_000,
      "the automatic attempt finished",
    );
    expect(auto).toEqual({ status: "opened", trigger: "auto" });
    expect((await prsOf(above.bugId)).map((p) => p.state)).toEqual(["draft"]);
    // the run for the bug below the threshold ended without making an attempt
    const run = await waitForRun(
      executorUrl(),
      "fix-attempt-test-fix-attempt",
      sent.ids[1] ?? "",
      30_000,
    );
    expect([run.status, run.output]).toEqual(["completed", { kind: "skipped" }]);
    const none = await asSuperuser("select 1 from public.fix_attempts where bug_id = $1", [
      below.bugId,
    ]);
    expect(none).toEqual([]);
  }, 90_000);
});
