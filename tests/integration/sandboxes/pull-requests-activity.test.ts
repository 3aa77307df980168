import { randomUUID } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyGithub } from "@/lib/webhooks/github";
import { githubPayload } from "@/lib/webhooks/payloads";
import { control, env, formFields, postForm, sandbox, startReceiver } from "./helpers";

/**
 * Conformance of the GitHub sandbox's CI and review APIs, driven by @octokit/rest as the app
 * drives GitHub: check runs and suites, commit statuses, review requests, reviews and PR
 * comments, each answered in GitHub's shape and delivering GitHub's signed webhook (whose body
 * the app's intake schema accepts). The control routes act as a CI system and as reviewers.
 */

const owner = `prs${randomUUID().slice(0, 6)}`;
const repoName = "storefront";
const full = `${owner}/${repoName}`;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let octokit: Octokit;
let prNumber: number;
let headSha: string;

interface Sent {
  event: string;
  body: Record<string, unknown>;
}
/** Deliveries received since `from`, verified and parsed. */
function sentSince(from: number): Sent[] {
  return receiver.received.slice(from).map((r) => {
    expect(
      verifyGithub({
        body: r.raw,
        signature: String(r.headers["x-hub-signature-256"]),
        secrets: [env().GITHUB_WEBHOOK_SECRET],
      }),
    ).toMatchObject({ ok: true });
    const body = JSON.parse(r.raw.toString()) as Record<string, unknown>;
    // the intake keeps these fields: the payload must parse with its schema
    expect(githubPayload.safeParse(body).success).toBe(true);
    return { event: String(r.headers["x-github-event"]), body };
  });
}

beforeAll(async () => {
  receiver = await startReceiver();
  await control("PUT", "/webhook-targets", { github: receiver.url });
  // a repository of our own (the demo repository's code under a fresh owner), installed
  const demo = await control<{ repositories: Array<{ full_name: string; git_dir: string }> }>(
    "GET",
    "/github/repositories",
  );
  const source = demo.json.repositories.find((r) => r.full_name === "acme/storefront");
  const added = await control("POST", "/github/repositories", {
    path: source?.git_dir,
    full_name: full,
  });
  expect(added.status).toBeLessThan(300);
  const slug = env().GITHUB_APP_SLUG!;
  const page = await fetch(sandbox(`/github/web/apps/${slug}/installations/new?account=${owner}`));
  const res = await postForm(sandbox(`/github/web/apps/${slug}/installations/new`), {
    ...formFields(await page.text()),
    account: owner,
    selection: "all",
    decision: "install",
  });
  const installationId = Number(
    new URL(res.headers.get("location") ?? "").searchParams.get("installation_id"),
  );
  octokit = new Octokit({
    baseUrl: env().GITHUB_API_BASE!,
    authStrategy: createAppAuth,
    auth: {
      appId: Number(env().GITHUB_APP_ID),
      privateKey: env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
      installationId,
    },
  });
  const pushed = await control<{ pushed: Array<{ after: string }> }>("POST", "/github/push", {
    repo: full,
    branch: "fix/rounding",
    message: "fix: round the discount once",
    files: { "src/pricing/discount.ts": "export const round = (n: number) => Math.round(n);\n" },
  });
  headSha = pushed.json.pushed[0]?.after ?? "";
  const { data: pr } = await octokit.rest.pulls.create({
    owner,
    repo: repoName,
    title: "fix: round the discount once",
    head: "fix/rounding",
    base: "main",
  });
  prNumber = pr.number;
}, 60_000);

afterAll(async () => {
  await control("PUT", "/webhook-targets", { github: null });
  await receiver?.close();
});

describe("GitHub sandbox: checks, statuses, reviews, comments", () => {
  it("a check run through octokit: created, completed, listed for the ref; check_run and check_suite delivered", async () => {
    const from = receiver.received.length;
    const { data: run } = await octokit.rest.checks.create({
      owner,
      repo: repoName,
      name: "patchline/verify",
      head_sha: headSha,
      status: "in_progress",
    });
    expect(run).toMatchObject({
      name: "patchline/verify",
      status: "in_progress",
      conclusion: null,
    });
    expect(run.pull_requests.map((p) => p.number)).toEqual([prNumber]);
    const { data: done } = await octokit.rest.checks.update({
      owner,
      repo: repoName,
      check_run_id: run.id,
      conclusion: "failure",
      output: { title: "1 test failed", summary: "discount.test.ts" },
    });
    expect(done).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(Date.parse(done.completed_at ?? "")).toBeGreaterThan(0);
    const { data: list } = await octokit.rest.checks.listForRef({
      owner,
      repo: repoName,
      ref: headSha,
    });
    expect(list.total_count).toBe(1);
    expect(list.check_runs[0]?.id).toBe(run.id);
    const { data: suites } = await octokit.rest.checks.listSuitesForRef({
      owner,
      repo: repoName,
      ref: headSha,
    });
    expect(suites.check_suites[0]).toMatchObject({ status: "completed", conclusion: "failure" });

    await receiver.waitFor(from + 3);
    const sent = sentSince(from);
    expect(sent.map((s) => `${s.event}.${s.body.action}`)).toEqual([
      "check_run.created",
      "check_run.completed",
      "check_suite.completed",
    ]);
    const completed = sent[1]?.body.check_run as Record<string, unknown>;
    expect(completed).toMatchObject({ id: run.id, head_sha: headSha, conclusion: "failure" });
    expect((completed.pull_requests as Array<{ number: number }>)[0]?.number).toBe(prNumber);
    expect(sent[2]?.body.check_suite).toMatchObject({ head_sha: headSha, conclusion: "failure" });
  });

  it("a commit status and the combined status; status delivered with sha, context and state", async () => {
    const from = receiver.received.length;
    const { data: s } = await octokit.rest.repos.createCommitStatus({
      owner,
      repo: repoName,
      sha: headSha,
      state: "pending",
      context: "ci/lint",
    });
    expect(s).toMatchObject({ state: "pending", context: "ci/lint" });
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo: repoName,
      sha: headSha,
      state: "success",
      context: "ci/lint",
    });
    const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({
      owner,
      repo: repoName,
      ref: headSha,
    });
    expect(combined).toMatchObject({ state: "success", total_count: 1, sha: headSha });
    await receiver.waitFor(from + 2);
    const sent = sentSince(from);
    expect(sent.map((x) => x.event)).toEqual(["status", "status"]);
    expect(sent[1]?.body).toMatchObject({ sha: headSha, context: "ci/lint", state: "success" });
    await expect(
      octokit.rest.repos.createCommitStatus({
        owner,
        repo: repoName,
        sha: "f".repeat(40),
        state: "success",
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("review requests and reviews: review_requested per reviewer, a review answers the request", async () => {
    const from = receiver.received.length;
    const { data: pr } = await octokit.rest.pulls.requestReviewers({
      owner,
      repo: repoName,
      pull_number: prNumber,
      reviewers: ["alice", "bob"],
    });
    expect(pr.requested_reviewers?.map((u) => u.login)).toEqual(["alice", "bob"]);
    const review = await control<{ review: { id: number; state: string } }>(
      "POST",
      "/github/review",
      {
        repo: full,
        pr: prNumber,
        reviewer: "alice",
        event: "REQUEST_CHANGES",
        body: "Round once.",
      },
    );
    expect(review.status).toBe(201);
    expect(review.json.review.state).toBe("CHANGES_REQUESTED");
    const { data: reviews } = await octokit.rest.pulls.listReviews({
      owner,
      repo: repoName,
      pull_number: prNumber,
    });
    expect(reviews.map((r) => [r.user?.login, r.state])).toEqual([["alice", "CHANGES_REQUESTED"]]);
    const { data: requested } = await octokit.rest.pulls.listRequestedReviewers({
      owner,
      repo: repoName,
      pull_number: prNumber,
    });
    expect(requested.users.map((u) => u.login)).toEqual(["bob"]);
    // the App may comment on its own PR, not approve it (GitHub's rule)
    const { data: own } = await octokit.rest.pulls.createReview({
      owner,
      repo: repoName,
      pull_number: prNumber,
      event: "COMMENT",
      body: "Patchline: rebased.",
    });
    expect(own.state).toBe("COMMENTED");
    await expect(
      octokit.rest.pulls.createReview({
        owner,
        repo: repoName,
        pull_number: prNumber,
        event: "APPROVE",
      }),
    ).rejects.toMatchObject({ status: 422 });

    await receiver.waitFor(from + 4);
    const sent = sentSince(from);
    expect(sent.map((s) => `${s.event}.${s.body.action}`)).toEqual([
      "pull_request.review_requested",
      "pull_request.review_requested",
      "pull_request_review.submitted",
      "pull_request_review.submitted",
    ]);
    expect(sent[0]?.body.requested_reviewer).toMatchObject({ login: "alice" });
    // webhooks say the state lower-case, the REST API upper-case
    expect(sent[2]?.body.review).toMatchObject({
      state: "changes_requested",
      user: { login: "alice" },
      body: "Round once.",
    });
    const updated = sent.map((s) => (s.body.pull_request as { updated_at: string }).updated_at);
    expect([...updated].sort()).toEqual(updated); // every change moves updated_at forward
  });

  it("a PR comment through the issues API delivers issue_comment with issue.pull_request", async () => {
    const from = receiver.received.length;
    const { data: c } = await octokit.rest.issues.createComment({
      owner,
      repo: repoName,
      issue_number: prNumber,
      body: "CI is red on discount.test.ts",
    });
    expect(c.body).toBe("CI is red on discount.test.ts");
    const { data: all } = await octokit.rest.issues.listComments({
      owner,
      repo: repoName,
      issue_number: prNumber,
    });
    expect(all.map((x) => x.id)).toEqual([c.id]);
    await receiver.waitFor(from + 1);
    const [sent] = sentSince(from);
    expect(sent?.event).toBe("issue_comment");
    expect(sent?.body).toMatchObject({
      action: "created",
      issue: { number: prNumber },
      comment: { id: c.id, body: "CI is red on discount.test.ts" },
    });
    expect((sent?.body.issue as { pull_request?: unknown } | undefined)?.pull_request).toBeTruthy();
  });

  it("control: a CI run starts then completes by id, a re-run is a new run; unknown PR is 404", async () => {
    const started = await control<{ check_run: { id: number; status: string } }>(
      "POST",
      "/github/check",
      { repo: full, pr: prNumber, name: "ci" },
    );
    expect(started.json.check_run.status).toBe("in_progress");
    const done = await control<{ check_run: { id: number; conclusion: string } }>(
      "POST",
      "/github/check",
      { repo: full, pr: prNumber, check_run_id: started.json.check_run.id, conclusion: "success" },
    );
    expect(done.json.check_run).toMatchObject({
      id: started.json.check_run.id,
      conclusion: "success",
    });
    const rerun = await control<{ check_run: { id: number } }>("POST", "/github/check", {
      repo: full,
      pr: prNumber,
      name: "ci",
      conclusion: "failure",
    });
    expect(rerun.json.check_run.id).toBeGreaterThan(done.json.check_run.id);
    const { data: latest } = await octokit.rest.checks.listForRef({
      owner,
      repo: repoName,
      ref: headSha,
      check_name: "ci",
    });
    expect(latest.check_runs.map((r) => r.conclusion)).toEqual(["failure"]);
    expect(
      (await control("POST", "/github/check", { repo: full, pr: 999, name: "ci" })).status,
    ).toBe(404);
    expect(
      (await control("POST", "/github/review", { repo: full, pr: prNumber, event: "NOPE" })).status,
    ).toBe(422);
  });
});
