import type { GithubPayload } from "@/lib/webhooks/payloads";
import type { Activity, CommentEntry } from "./activity";
import { checkRunOutcome, commitStatusOutcome } from "./checks";

/**
 * Turns one GitHub delivery (event name + the payload the intake kept) into the activity it
 * carries and the keys that find the pull requests it is about: PR numbers, or only a head commit
 * (a commit status names no PR). Null: not PR activity (an issue's comment, an unknown action).
 */

export interface PullRequestDelivery {
  githubRepositoryId: number;
  numbers: number[];
  headSha: string | null;
  activity: Activity;
}

/** Every `event.action` the consumer handles; its trigger is built from this list. */
export const PR_ACTIVITY_EVENT_TYPES = [
  "check_run.created",
  "check_run.completed",
  "check_run.rerequested",
  "check_suite.completed",
  "check_suite.requested",
  "check_suite.rerequested",
  "status",
  "pull_request.opened",
  "pull_request.edited",
  "pull_request.closed",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
  "pull_request.review_requested",
  "pull_request.review_request_removed",
  "pull_request_review.submitted",
  "pull_request_review.edited",
  "pull_request_review.dismissed",
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
] as const;

const EXCERPT = 500;
const excerpt = (body: string | null | undefined) => {
  const flat = (body ?? "").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
};

export function pullRequestDelivery(
  eventType: string,
  p: GithubPayload,
): PullRequestDelivery | null {
  const repo = p.repository?.id;
  if (!repo) return null;
  const [event, action] = eventType.split(".", 2);
  const pr = p.pull_request;

  if (event === "check_run" && p.check_run) {
    const c = p.check_run;
    return {
      githubRepositoryId: repo,
      numbers: (c.pull_requests ?? []).map((x) => x.number),
      headSha: c.head_sha,
      activity: {
        kind: "check",
        check: {
          name: c.name,
          source: "check_run",
          id: c.id,
          sha: c.head_sha,
          outcome: checkRunOutcome(c.status, c.conclusion),
          conclusion: c.conclusion ?? null,
          // a completed run's time is its completion; a queued or running one's, its start
          at: c.completed_at ?? c.started_at ?? new Date(0).toISOString(),
          url: c.html_url ?? c.details_url ?? null,
          app: c.app?.slug ?? c.app?.name ?? null,
        },
      },
    };
  }
  if (event === "check_suite" && p.check_suite) {
    const s = p.check_suite;
    const appName = s.app?.name ?? "checks";
    return {
      githubRepositoryId: repo,
      numbers: (s.pull_requests ?? []).map((x) => x.number),
      headSha: s.head_sha,
      activity: {
        kind: "check",
        check: {
          name: appName,
          source: "check_suite",
          id: s.id,
          sha: s.head_sha,
          outcome: checkRunOutcome(s.status ?? "queued", s.conclusion),
          conclusion: s.conclusion ?? null,
          at: s.updated_at ?? new Date(0).toISOString(),
          url: null,
          app: s.app?.slug ?? appName,
        },
      },
    };
  }
  if (event === "status" && p.sha && p.context && p.state && p.id) {
    return {
      githubRepositoryId: repo,
      numbers: [],
      headSha: p.sha,
      activity: {
        kind: "check",
        check: {
          name: p.context,
          source: "status",
          id: p.id,
          sha: p.sha,
          outcome: commitStatusOutcome(p.state),
          conclusion: p.state,
          at: p.updated_at ?? new Date(0).toISOString(),
          url: p.target_url ?? null,
          app: null,
        },
      },
    };
  }
  if (event === "pull_request" && pr) {
    const at = pr.updated_at ?? new Date(0).toISOString();
    const base = { githubRepositoryId: repo, numbers: [pr.number], headSha: null };
    if (action === "review_requested" || action === "review_request_removed") {
      const who =
        p.requested_reviewer?.login ?? (p.requested_team ? `@${p.requested_team.slug}` : null);
      if (!who) return null;
      return {
        ...base,
        activity: {
          kind: "review",
          review: {
            kind: action === "review_requested" ? "requested" : "request_removed",
            login: who,
            at,
          },
        },
      };
    }
    return {
      ...base,
      activity: {
        kind: "pull",
        pull: {
          state: pr.state === "closed" ? "closed" : "open",
          draft: pr.draft ?? false,
          // merged needs its merge commit (the row's constraint); GitHub always sends both
          merged: pr.merged === true && Boolean(pr.merge_commit_sha),
          mergeSha: pr.merged ? (pr.merge_commit_sha ?? null) : null,
          mergedAt: pr.merged_at ?? null,
          closedAt: pr.closed_at ?? null,
          title: pr.title ?? null,
          headBranch: pr.head.ref,
          headSha: pr.head.sha,
          at,
        },
      },
    };
  }
  if (event === "pull_request_review" && pr && p.review) {
    const r = p.review;
    const login = r.user?.login ?? "ghost";
    const at = r.submitted_at ?? pr.updated_at ?? new Date(0).toISOString();
    const state = r.state.toLowerCase();
    const comment: CommentEntry | undefined =
      r.body?.trim() && state !== "dismissed"
        ? {
            id: r.id,
            kind: "review",
            author: login,
            at,
            excerpt: excerpt(r.body),
            url: r.html_url ?? null,
            reviewState: state,
          }
        : undefined;
    return {
      githubRepositoryId: repo,
      numbers: [pr.number],
      headSha: null,
      activity: {
        kind: "review",
        review: { kind: "review", login, state, id: r.id, at },
        ...(comment ? { comment } : {}),
      },
    };
  }
  if (event === "issue_comment" && p.issue?.pull_request && p.comment) {
    const c = p.comment;
    if (action !== "created" && action !== "edited" && action !== "deleted") return null;
    return {
      githubRepositoryId: repo,
      numbers: [p.issue.number],
      headSha: null,
      activity: {
        kind: "comment",
        action,
        comment: {
          id: c.id,
          kind: "comment",
          author: c.user?.login ?? "ghost",
          at: c.updated_at ?? c.created_at,
          excerpt: excerpt(c.body),
          url: c.html_url ?? null,
          reviewState: null,
        },
      },
    };
  }
  return null;
}
