import { z } from "zod";
import type { PullRequestState } from "@/lib/supabase/fixes.types";
import {
  applyCheck,
  type CheckEntry,
  type ChecksSummary,
  readChecks,
  summarizeChecks,
} from "./checks";
import {
  applyReview,
  type ReviewEvent,
  type ReviewerEntry,
  type ReviewSummary,
  readReviews,
  summarizeReviews,
} from "./reviews";

/**
 * One pull request's GitHub state as the row keeps it, and how one piece of GitHub activity
 * changes it. Pure: the consumer (inngest/functions/github-pr-activity.ts) reads the row, applies
 * the activity and writes the row back only when something changed, so a redelivery writes
 * nothing and an older delivery arriving late cannot undo a newer state.
 */

export interface PullRequestSnapshot {
  state: PullRequestState;
  stateAt: string | null;
  title: string | null;
  headBranch: string | null;
  headSha: string | null;
  mergeSha: string | null;
  mergedAt: string | null;
  closedAt: string | null;
  checks: CheckEntry[];
  checksState: ChecksSummary;
  reviews: ReviewerEntry[];
  reviewState: ReviewSummary;
  comments: CommentEntry[];
}

export const commentEntry = z.object({
  id: z.number().int().nonnegative(),
  kind: z.enum(["comment", "review"]),
  author: z.string().max(100),
  at: z.string().max(40),
  /** The first 500 characters; the full text stays on GitHub. */
  excerpt: z.string().max(500),
  url: z.string().max(500).nullable(),
  /** For a review body: the review's state (changes_requested…). */
  reviewState: z.string().max(50).nullable(),
});
export type CommentEntry = z.infer<typeof commentEntry>;
export const MAX_COMMENTS = 20;

/** The state of a pull request object (opened, closed, reopened, synchronize…) at GitHub's time. */
export interface PullState {
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  mergeSha: string | null;
  mergedAt: string | null;
  closedAt: string | null;
  title: string | null;
  headBranch: string;
  headSha: string;
  /** pull_request.updated_at */
  at: string;
}

export type Activity =
  | { kind: "pull"; pull: PullState }
  | { kind: "check"; check: CheckEntry }
  | { kind: "review"; review: ReviewEvent; comment?: CommentEntry }
  | { kind: "comment"; action: "created" | "edited" | "deleted"; comment: CommentEntry };

export interface ApplyResult {
  snapshot: PullRequestSnapshot;
  changed: boolean;
  /** Why nothing changed, for the run's record. */
  reason?: "stale" | "duplicate";
}

function pullRequestState(p: PullState): PullRequestState {
  if (p.merged) return "merged";
  if (p.state === "closed") return "closed";
  return p.draft ? "draft" : "open";
}

function applyPull(s: PullRequestSnapshot, p: PullState): ApplyResult {
  // merged is final on GitHub: nothing after a merge re-opens it
  if (s.state === "merged") return { snapshot: s, changed: false, reason: "stale" };
  if (s.stateAt && Date.parse(p.at) < Date.parse(s.stateAt))
    return { snapshot: s, changed: false, reason: "stale" };
  const state = pullRequestState(p);
  const headMoved = s.headSha !== null && s.headSha !== p.headSha;
  const next: PullRequestSnapshot = {
    ...s,
    state,
    stateAt: p.at,
    title: p.title ?? s.title,
    headBranch: p.headBranch,
    headSha: p.headSha,
    mergeSha: state === "merged" ? p.mergeSha : null,
    mergedAt: state === "merged" ? p.mergedAt : null,
    closedAt: state === "merged" || state === "closed" ? p.closedAt : null,
    // a new head commit starts its CI afresh: the old commit's checks no longer describe it
    checks: headMoved ? s.checks.filter((c) => c.sha === p.headSha) : s.checks,
  };
  next.checksState = summarizeChecks(next.checks, next.headSha);
  const changed =
    next.state !== s.state ||
    next.title !== s.title ||
    next.headBranch !== s.headBranch ||
    next.headSha !== s.headSha ||
    next.mergeSha !== s.mergeSha ||
    next.mergedAt !== s.mergedAt ||
    next.closedAt !== s.closedAt ||
    next.checks.length !== s.checks.length ||
    next.stateAt !== s.stateAt;
  return changed ? { snapshot: next, changed } : { snapshot: s, changed, reason: "duplicate" };
}

function upsertComment(comments: CommentEntry[], c: CommentEntry, remove = false) {
  const i = comments.findIndex((x) => x.id === c.id && x.kind === c.kind);
  const current = i >= 0 ? comments[i] : undefined;
  if (remove) {
    if (!current) return { comments, changed: false };
    return { comments: comments.filter((_, j) => j !== i), changed: true };
  }
  if (current && Date.parse(current.at) >= Date.parse(c.at) && current.excerpt === c.excerpt)
    return { comments, changed: false };
  if (current && Date.parse(current.at) > Date.parse(c.at)) return { comments, changed: false };
  const out = comments.filter((_, j) => j !== i);
  out.push(c);
  out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id);
  return { comments: out.slice(-MAX_COMMENTS), changed: true };
}

/** Applies one piece of activity to the snapshot. */
export function applyActivity(s: PullRequestSnapshot, a: Activity): ApplyResult {
  switch (a.kind) {
    case "pull":
      return applyPull(s, a.pull);
    case "check": {
      const r = applyCheck(s.checks, a.check);
      if (!r.changed) return { snapshot: s, changed: false, reason: "stale" };
      return {
        snapshot: { ...s, checks: r.checks, checksState: summarizeChecks(r.checks, s.headSha) },
        changed: true,
      };
    }
    case "review": {
      const r = applyReview(s.reviews, a.review);
      const c = a.comment
        ? upsertComment(s.comments, a.comment)
        : { comments: s.comments, changed: false };
      if (!r.changed && !c.changed) return { snapshot: s, changed: false, reason: "stale" };
      return {
        snapshot: {
          ...s,
          reviews: r.reviews,
          reviewState: summarizeReviews(r.reviews),
          comments: c.comments,
        },
        changed: true,
      };
    }
    case "comment": {
      const c = upsertComment(s.comments, a.comment, a.action === "deleted");
      if (!c.changed) return { snapshot: s, changed: false, reason: "stale" };
      return { snapshot: { ...s, comments: c.comments }, changed: true };
    }
  }
}

/** A stored row (service-role select) as a snapshot. */
export function snapshotFromRow(row: {
  state: PullRequestState;
  state_at: string | null;
  title: string | null;
  head_branch: string | null;
  head_sha: string | null;
  merge_sha: string | null;
  merged_at: string | null;
  closed_at: string | null;
  checks: unknown;
  checks_state: ChecksSummary;
  reviews: unknown;
  review_state: ReviewSummary;
  comments: unknown;
}): PullRequestSnapshot {
  const comments = Array.isArray(row.comments)
    ? row.comments.flatMap((v) => {
        const parsed = commentEntry.safeParse(v);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  return {
    state: row.state,
    stateAt: row.state_at,
    title: row.title,
    headBranch: row.head_branch,
    headSha: row.head_sha,
    mergeSha: row.merge_sha,
    mergedAt: row.merged_at,
    closedAt: row.closed_at,
    checks: readChecks(row.checks),
    checksState: row.checks_state,
    reviews: readReviews(row.reviews),
    reviewState: row.review_state,
    comments,
  };
}

/** The columns a snapshot writes (service role). */
export function rowFromSnapshot(s: PullRequestSnapshot) {
  return {
    state: s.state,
    state_at: s.stateAt,
    title: s.title ? s.title.slice(0, 300) : s.title,
    head_branch: s.headBranch,
    head_sha: s.headSha,
    merge_sha: s.mergeSha,
    merged_at: s.mergedAt,
    closed_at: s.closedAt,
    checks: s.checks,
    checks_state: s.checksState,
    reviews: s.reviews,
    review_state: s.reviewState,
    comments: s.comments,
  };
}

/** A snapshot with nothing known yet (a link before GitHub answered). */
export const EMPTY_SNAPSHOT: PullRequestSnapshot = {
  state: "open",
  stateAt: null,
  title: null,
  headBranch: null,
  headSha: null,
  mergeSha: null,
  mergedAt: null,
  closedAt: null,
  checks: [],
  checksState: "none",
  reviews: [],
  reviewState: "none",
  comments: [],
};
