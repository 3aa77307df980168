import { randomUUID } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signGithub } from "@/lib/webhooks/github";
import {
  getJson,
  type RunView,
  runsOf,
  serveApp,
  syncApp,
  waitFor,
} from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { seedBugs } from "@/tests/integration/pipeline-pages/fixtures";
import { control, env } from "@/tests/integration/sandboxes/helpers";
import {
  installGithub,
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
} from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * CI and review state of a linked pull request, end to end and offline: a member links an
 * existing PR of the workspace's repository by number (read through the GitHub App); then the
 * GitHub sandbox acts as CI and reviewers, its signed deliveries go through the real intake and
 * the executor to `github-pr-activity`, and each step shows on the row: checks fail then pass,
 * review requested, changes requested, approved, merged. A redelivery and an older delivery
 * arriving late change nothing; a PR no bug links is ignored.
 */

const APP_ID = "prs17-pr-activity-test";
const FN = `${APP_ID}-github-pr-activity`;
const owner = `prci${randomUUID().slice(0, 6)}`;
const fullName = `${owner}/storefront`;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let handleWebhook: typeof import("@/lib/webhooks/intake").handleWebhook;
let linkPullRequest: typeof import("@/lib/fixes/pull-requests/link").linkPullRequest;
let octokit: Octokit;
let member: ApiUser;
let organizationId: string;
let bugId: string;
let prNumber: number;
let otherPrNumber: number;

interface Row {
  id: string;
  state: string;
  head_sha: string | null;
  checks_state: string;
  checks: Array<{ name: string; outcome: string; source: string }>;
  review_state: string;
  reviews: Array<{ login: string; state: string }>;
  comments: Array<{ excerpt: string }>;
  merge_sha: string | null;
  merged_at: string | null;
  updated_at: string;
}
async function row(): Promise<Row> {
  const [r] = await asSuperuser<Row>(
    `select id, state, head_sha, checks_state, checks, review_state, reviews, comments, merge_sha,
            merged_at::text, updated_at::text
       from public.pull_requests where organization_id = $1 and bug_id = $2`,
    [organizationId, bugId],
  );
  if (!r) throw new Error("no pull request row");
  return r;
}
const until = (what: string, ok: (r: Row) => boolean) =>
  waitFor(
    async () => {
      const r = await row();
      return ok(r) ? r : undefined;
    },
    30_000,
    what,
  );

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
        (r) =>
          r.status === "completed" &&
          (r.output as { deliveryId?: string } | null)?.deliveryId === ledger.id,
      ),
    30_000,
    `the run for delivery ${githubDeliveryId}`,
  );
}

interface DeliveryRef {
  id: string;
  event: string;
}
async function sandboxDelivery(ref: DeliveryRef) {
  const d = await control<{ delivery: { body: string; headers: Record<string, string> } }>(
    "GET",
    `/deliveries/${ref.id}`,
  );
  return d.json.delivery;
}
/** A stored sandbox delivery sent again under a new delivery id: a late copy of an old event. */
async function replayAsNew(ref: DeliveryRef): Promise<string> {
  const d = await sandboxDelivery(ref);
  const id = randomUUID();
  const res = await handleWebhook(
    "github",
    new Request("http://localhost/api/webhooks/github", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": d.headers["x-github-event"] ?? "",
        "x-github-delivery": id,
        "x-hub-signature-256": signGithub(d.body, process.env.GITHUB_WEBHOOK_SECRET ?? ""),
      },
      body: d.body,
    }),
  );
  expect(res.status).toBe(200);
  return id;
}
async function act<T extends { deliveries: DeliveryRef[] }>(path: string, body: unknown) {
  const res = await control<T>("POST", path, body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  ({ handleWebhook } = await import("@/lib/webhooks/intake"));
  ({ linkPullRequest } = await import("@/lib/fixes/pull-requests/link"));
  const inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const { defineGithubPrActivity } = await import("@/inngest/functions/github-pr-activity");
  app = await serveApp(inngest, [defineGithubPrActivity(inngest)]);
  await syncApp(executorUrl(), app.url);
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  await control("PUT", "/webhook-targets", { github: intake.url("github") });

  // a repository of our own (the demo code under a fresh account), the App installed on it
  const repos = await control<{ repositories: Array<{ full_name: string; git_dir: string }> }>(
    "GET",
    "/github/repositories",
  );
  const demo = repos.json.repositories.find((r) => r.full_name === "acme/storefront");
  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: demo?.git_dir,
    full_name: fullName,
  });
  const installationId = await installGithub(owner);
  octokit = new Octokit({
    baseUrl: env().GITHUB_API_BASE!,
    authStrategy: createAppAuth,
    auth: {
      appId: Number(env().GITHUB_APP_ID),
      privateKey: env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
      installationId: Number(installationId),
    },
  });

  // the workspace: its owner links (bugs.write), with the GitHub integration and the repository
  member = await signedInUser("prci-owner");
  const { data: org, error } = await member.client.rpc("create_organization", {
    p_name: "PR CI",
    p_slug: `prci-${randomUUID().slice(0, 8)}`,
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
  const [bug] = await seedBugs(organizationId, { id: repo.id, fullName }, 1);
  if (!bug) throw new Error("bug not created");
  bugId = bug.id;

  // two pull requests on GitHub; the bug will link the first
  for (const branch of ["fix/rounding", "chore/other"]) {
    await control("POST", "/github/push", {
      repo: fullName,
      branch,
      message: `${branch}: change`,
      files: { [`src/${branch.replace("/", "-")}.ts`]: "export const x = 1;\n" },
    });
  }
  prNumber = (
    await octokit.rest.pulls.create({
      owner,
      repo: "storefront",
      title: "fix: round the discount once",
      head: "fix/rounding",
      base: "main",
    })
  ).data.number;
  otherPrNumber = (
    await octokit.rest.pulls.create({
      owner,
      repo: "storefront",
      title: "chore: other",
      head: "chore/other",
      base: "main",
    })
  ).data.number;
}, 120_000);

afterAll(async () => {
  await control("PUT", "/webhook-targets", { github: null });
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
});

describe("a linked pull request follows GitHub", () => {
  const refs: Record<string, DeliveryRef[]> = {};

  it("links PR by number through the GitHub App; errors for unknown PR, unknown repository, twice", async () => {
    await expect(
      linkPullRequest(member.client, organizationId, { bugId, repository: fullName, number: 999 }),
    ).rejects.toMatchObject({
      code: "not_found",
      fieldErrors: { reference: [expect.stringContaining("#999")] },
    });
    await expect(
      linkPullRequest(member.client, organizationId, { bugId, repository: "acme/nope", number: 1 }),
    ).rejects.toMatchObject({
      code: "not_found",
      fieldErrors: { repository: [expect.any(String)] },
    });
    const linked = await linkPullRequest(member.client, organizationId, {
      bugId,
      repository: fullName,
      number: prNumber,
    });
    expect(linked).toMatchObject({ repository: fullName, number: prNumber });
    const r = await row();
    expect(r).toMatchObject({ state: "open", checks_state: "none", review_state: "none" });
    expect(r.head_sha).toMatch(/^[0-9a-f]{40}$/);
    await expect(
      linkPullRequest(member.client, organizationId, {
        bugId,
        repository: fullName,
        number: prNumber,
      }),
    ).rejects.toMatchObject({ code: "conflict" });
  }, 60_000);

  it("checks fail, then pass", async () => {
    refs.fail = (
      await act("/github/check", {
        repo: fullName,
        pr: prNumber,
        name: "ci",
        conclusion: "failure",
      })
    ).deliveries;
    let r = await until("checks failing", (x) => x.checks_state === "failing");
    // the row keeps the app's check suite too (its delivery may be applied before or after the
    // run's); what the page shows drops it while the app has runs (read.ts)
    expect(r.checks.filter((c) => c.source === "check_run")).toMatchObject([
      { name: "ci", outcome: "failing" },
    ]);
    await act("/github/check", { repo: fullName, pr: prNumber, name: "ci", conclusion: "success" });
    r = await until("checks passing", (x) => x.checks_state === "passing");
    expect(r.checks.filter((c) => c.name === "ci")).toMatchObject([{ outcome: "passing" }]);
    // a change is announced for the bug (its Slack message is edited in place: notify-slack.ts)
    const announced = await waitFor(
      async () =>
        (await runsOf(executorUrl(), FN)).find(
          (run) =>
            run.status === "completed" &&
            ((run.output as { changedBugIds?: string[] } | null)?.changedBugIds ?? []).includes(
              bugId,
            ),
        ),
      30_000,
      "a run announcing the bug's PR change",
    );
    const detail = await getJson<RunView>(`${executorUrl()}/v1/runs/${announced.id}`);
    expect(detail.steps.map((s) => s.name)).toContain("pull-request-changed");
  }, 60_000);

  it("review requested, changes requested (the review's text shown), approved", async () => {
    await act("/github/request-review", { repo: fullName, pr: prNumber, reviewers: ["alice"] });
    await until("review requested", (x) => x.review_state === "review_requested");
    refs.changes = (
      await act("/github/review", {
        repo: fullName,
        pr: prNumber,
        reviewer: "alice",
        event: "REQUEST_CHANGES",
        body: "Round once, at the end.",
      })
    ).deliveries;
    const r = await until("changes requested", (x) => x.review_state === "changes_requested");
    expect(r.comments.map((c) => c.excerpt)).toContain("Round once, at the end.");
    await act("/github/comment", {
      repo: fullName,
      pr: prNumber,
      author: "bob",
      body: "Pushed a fix.",
    });
    await until("comment shown", (x) => x.comments.some((c) => c.excerpt === "Pushed a fix."));
    refs.approve = (
      await act("/github/review", {
        repo: fullName,
        pr: prNumber,
        reviewer: "alice",
        event: "APPROVE",
      })
    ).deliveries;
    const approved = await until("approved", (x) => x.review_state === "approved");
    expect(approved.reviews).toMatchObject([{ login: "alice", state: "approved" }]);
  }, 60_000);

  it("merged: merge sha and time", async () => {
    const merged = await act<{ sha: string; deliveries: DeliveryRef[] }>("/github/merge", {
      repo: fullName,
      number: prNumber,
    });
    const r = await until("merged", (x) => x.state === "merged");
    expect(r.merge_sha).toBe(merged.sha);
    expect(r.merged_at).toBeTruthy();
  }, 60_000);

  it("a redelivery and older deliveries arriving late change nothing", async () => {
    const before = await row();
    // the sandbox redelivers the approval (same X-GitHub-Delivery): the intake drops it
    const approval = refs.approve?.[0];
    if (!approval) throw new Error("no approval delivery");
    const again = await control("POST", `/deliveries/${approval.id}/redeliver`);
    expect(again.status).toBeLessThan(300);
    // late copies under new delivery ids: the failed check, the change request, the approval
    const late = [refs.fail?.[0], refs.changes?.[0], approval].filter(Boolean) as DeliveryRef[];
    for (const ref of late) {
      const run = await runFor(await replayAsNew(ref));
      expect(run.output).toMatchObject({ outcome: "recorded", updated: 0, unchanged: 1 });
    }
    const after = await row();
    expect(after).toEqual(before);
    expect(after).toMatchObject({
      state: "merged",
      checks_state: "passing",
      review_state: "approved",
    });
  }, 90_000);

  it("a delivery about a PR no bug links is ignored, and the run says so", async () => {
    const out = await act("/github/check", {
      repo: fullName,
      pr: otherPrNumber,
      name: "ci",
      conclusion: "failure",
    });
    const ref = out.deliveries.find((d) => d.event === "check_run.completed");
    const d = await sandboxDelivery(ref ?? { id: "", event: "" });
    const run = await runFor(d.headers["x-github-delivery"] ?? "");
    expect(run.output).toMatchObject({ ignored: "no linked pull request" });
  }, 60_000);
});
