import type { Octokit } from "@octokit/rest";
import { type Activity, applyActivity, EMPTY_SNAPSHOT, type PullRequestSnapshot } from "./activity";
import { checkRunOutcome, commitStatusOutcome } from "./checks";

/**
 * A pull request's current state read from GitHub's REST API (at link time): the PR, its head
 * commit's check runs and commit statuses, its reviews and requested reviewers, folded through
 * the same reducer the webhook consumer uses, so a linked PR shows what already happened and
 * later deliveries continue from it.
 */

export interface GithubPullRequest {
  number: number;
  url: string;
  snapshot: PullRequestSnapshot;
}

export async function readPullRequestFromGithub(
  octokit: Octokit,
  owner: string,
  repo: string,
  number: number,
): Promise<GithubPullRequest> {
  const { data: pr } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
  const head = pr.head.sha;
  const [runs, statuses, reviews] = await Promise.all([
    octokit.rest.checks
      .listForRef({ owner, repo, ref: head, per_page: 100 })
      .then((r) => r.data.check_runs),
    octokit.rest.repos
      .listCommitStatusesForRef({ owner, repo, ref: head, per_page: 100 })
      .then((r) => r.data),
    octokit.rest.pulls
      .listReviews({ owner, repo, pull_number: number, per_page: 100 })
      .then((r) => r.data),
  ]);
  const updatedAt = pr.updated_at;
  const activities: Activity[] = [
    {
      kind: "pull",
      pull: {
        state: pr.state === "closed" ? "closed" : "open",
        draft: pr.draft ?? false,
        merged: Boolean(pr.merged && pr.merge_commit_sha),
        mergeSha: pr.merged ? pr.merge_commit_sha : null,
        mergedAt: pr.merged_at,
        closedAt: pr.closed_at,
        title: pr.title,
        headBranch: pr.head.ref,
        headSha: head,
        at: updatedAt,
      },
    },
    ...runs.map(
      (c): Activity => ({
        kind: "check",
        check: {
          name: c.name,
          source: "check_run",
          id: c.id,
          sha: c.head_sha,
          outcome: checkRunOutcome(c.status, c.conclusion),
          conclusion: c.conclusion,
          at: c.completed_at ?? c.started_at ?? new Date(0).toISOString(),
          url: c.html_url ?? c.details_url ?? null,
          app: c.app?.slug ?? c.app?.name ?? null,
        },
      }),
    ),
    ...statuses.map(
      (s): Activity => ({
        kind: "check",
        check: {
          name: s.context,
          source: "status",
          id: s.id,
          sha: head,
          outcome: commitStatusOutcome(s.state),
          conclusion: s.state,
          at: s.updated_at,
          url: s.target_url ?? null,
          app: null,
        },
      }),
    ),
    ...(pr.requested_reviewers ?? []).map(
      (u): Activity => ({
        kind: "review",
        review: { kind: "requested", login: u.login, at: updatedAt },
      }),
    ),
    ...reviews
      .filter((r) => r.submitted_at)
      .map(
        (r): Activity => ({
          kind: "review",
          review: {
            kind: "review",
            login: r.user?.login ?? "ghost",
            state: r.state,
            id: r.id,
            at: r.submitted_at ?? updatedAt,
          },
        }),
      ),
  ];
  const snapshot = activities.reduce((s, a) => applyActivity(s, a).snapshot, EMPTY_SNAPSHOT);
  return { number: pr.number, url: pr.html_url, snapshot };
}
