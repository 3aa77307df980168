import { describe, expect, it, vi } from "vitest";
import { matchCel } from "@/devstack/executor/cel";
import { pullRequestDelivery } from "@/lib/fixes/pull-requests/from-delivery";
import { describeGithub } from "@/lib/webhooks/describe";
import { githubPayload } from "@/lib/webhooks/payloads";

vi.mock("server-only", () => ({}));

/**
 * GitHub's CI and review deliveries as the intake keeps them and the consumer reads them:
 * payloads shaped like GitHub's documentation examples (trimmed), through the intake's schema,
 * into the activity and the keys that find the linked PR; and which deliveries start a run.
 */

const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const repository = { id: 186853002, full_name: "Codertocat/Hello-World", private: false };
const installation = { id: 2311213 };
const pull_request = {
  id: 279147437,
  number: 2,
  state: "open",
  merged: false,
  merge_commit_sha: null,
  title: "Update the README with new information.",
  draft: false,
  updated_at: "2019-05-15T15:20:33Z",
  closed_at: null,
  merged_at: null,
  head: { ref: "changes", sha: SHA },
  base: { ref: "master" },
  user: { login: "Codertocat" },
};

function through(event: string, body: Record<string, unknown>) {
  const headers = new Headers({ "x-github-delivery": "d-1", "x-github-event": event });
  const described = describeGithub(JSON.parse(JSON.stringify(body)), headers);
  if (!described.ok || described.delivery.provider !== "github")
    throw new Error(described.ok ? "not github" : String(described.error));
  expect(described.delivery.ignoredReason).toBeNull();
  // a parsed payload parses again unchanged (the Inngest event schema re-validates it)
  expect(githubPayload.parse(described.delivery.payload)).toEqual(described.delivery.payload);
  return pullRequestDelivery(described.delivery.eventType, described.delivery.payload);
}

describe("PR activity from GitHub deliveries", () => {
  it("check_run.completed: name, conclusion, the PRs it names, its head", () => {
    const d = through("check_run", {
      action: "completed",
      check_run: {
        id: 128620228,
        name: "Octocoders-linter",
        head_sha: SHA,
        status: "completed",
        conclusion: "failure",
        started_at: "2019-05-15T15:21:12Z",
        completed_at: "2019-05-15T15:21:45Z",
        html_url: "https://github.com/Codertocat/Hello-World/runs/128620228",
        output: { title: "x", summary: "y", annotations_count: 2 },
        app: { id: 29310, slug: "octocoders-linter", name: "octocoders-linter" },
        pull_requests: [{ url: "u", id: 1, number: 2, head: { ref: "changes", sha: SHA } }],
      },
      repository,
      installation,
    });
    expect(d).toMatchObject({
      githubRepositoryId: repository.id,
      numbers: [2],
      headSha: SHA,
      activity: {
        kind: "check",
        check: { name: "Octocoders-linter", outcome: "failing", at: "2019-05-15T15:21:45Z" },
      },
    });
  });

  it("status: a commit status names only its commit", () => {
    const d = through("status", {
      id: 6805126730,
      sha: SHA,
      name: repository.full_name,
      target_url: null,
      context: "default",
      description: null,
      state: "success",
      updated_at: "2019-05-15T15:20:55Z",
      repository,
      installation,
    });
    expect(d).toMatchObject({
      numbers: [],
      headSha: SHA,
      activity: { check: { source: "status", name: "default", outcome: "passing" } },
    });
  });

  it("pull_request_review.submitted: reviewer, lower-case state, its body kept as an excerpt", () => {
    const d = through("pull_request_review", {
      action: "submitted",
      review: {
        id: 237895671,
        user: { login: "Codertocat" },
        body: "Please round once.",
        state: "changes_requested",
        submitted_at: "2019-05-15T15:20:38Z",
        html_url: "https://github.com/x",
      },
      pull_request,
      repository,
      installation,
    });
    expect(d).toMatchObject({
      numbers: [2],
      activity: {
        kind: "review",
        review: { login: "Codertocat", state: "changes_requested", id: 237895671 },
        comment: { excerpt: "Please round once.", reviewState: "changes_requested" },
      },
    });
  });

  it("pull_request: review_requested and closed with merged", () => {
    expect(
      through("pull_request", {
        action: "review_requested",
        number: 2,
        pull_request,
        requested_reviewer: { login: "alice" },
        repository,
        installation,
      })?.activity,
    ).toMatchObject({ kind: "review", review: { kind: "requested", login: "alice" } });
    const merged = through("pull_request", {
      action: "closed",
      number: 2,
      pull_request: {
        ...pull_request,
        state: "closed",
        merged: true,
        merge_commit_sha: "c".repeat(40),
        merged_at: "2019-05-15T16:00:00Z",
        closed_at: "2019-05-15T16:00:00Z",
        updated_at: "2019-05-15T16:00:00Z",
      },
      repository,
      installation,
    });
    expect(merged?.activity).toMatchObject({
      kind: "pull",
      pull: { merged: true, mergeSha: "c".repeat(40), at: "2019-05-15T16:00:00Z" },
    });
  });

  it("issue_comment on a PR is activity; on an issue it is not", () => {
    const comment = {
      id: 492700400,
      user: { login: "Codertocat" },
      body: "You are totally right! I'll get this fixed right away.",
      created_at: "2019-05-15T15:20:21Z",
      updated_at: "2019-05-15T15:20:21Z",
      html_url: "https://github.com/x",
    };
    expect(
      through("issue_comment", {
        action: "created",
        issue: { number: 2, pull_request: { url: "https://api.github.com/x" } },
        comment,
        repository,
        installation,
      })?.activity,
    ).toMatchObject({ kind: "comment", action: "created", comment: { author: "Codertocat" } });
    expect(
      through("issue_comment", {
        action: "created",
        issue: { number: 1 },
        comment,
        repository,
        installation,
      }),
    ).toBeNull();
  });

  it("only these deliveries start github-pr-activity", async () => {
    const { githubPrActivity } = await import("@/inngest/functions/github-pr-activity");
    const triggers = (githubPrActivity as unknown as { opts: { triggers: Array<{ if: string }> } })
      .opts.triggers;
    const starts = (provider: string, eventType: string) =>
      triggers.some((t) => matchCel(t.if, { event: { data: { provider, eventType } } }));
    for (const t of [
      "check_run.completed",
      "status",
      "pull_request.closed",
      "pull_request_review.submitted",
      "issue_comment.created",
    ])
      expect(starts("github", t), t).toBe(true);
    for (const t of ["push", "installation", "deployment_status.created"])
      expect(starts("github", t), t).toBe(false);
    expect(starts("zendesk", "status")).toBe(false);
  });
});
