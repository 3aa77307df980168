import { z } from "zod";
import { compareMoments } from "./checks";

/**
 * Review state per reviewer, latest by GitHub's time: a review request, a submitted review
 * (approved, changes requested, commented) or a dismissal. What the PR shows is summarised from
 * it the way a person reads GitHub's reviewers box:
 *   changes requested (anyone's latest decisive review) > review requested (someone asked and
 *   has not answered) > approved > none.
 * A comment-only review never undoes an approval or a change request (GitHub's review decision
 * ignores comments too); it only answers an outstanding request.
 */

export type ReviewerState =
  | "requested"
  | "approved"
  | "changes_requested"
  | "commented"
  | "dismissed";
export type ReviewSummary = "none" | "review_requested" | "changes_requested" | "approved";

export const reviewerEntry = z.object({
  login: z.string().min(1).max(100),
  state: z.enum(["requested", "approved", "changes_requested", "commented", "dismissed"]),
  /** The review's GitHub id (0 for a request). */
  id: z.number().int().nonnegative(),
  at: z.string().max(40),
});
export type ReviewerEntry = z.infer<typeof reviewerEntry>;

export function readReviews(value: unknown): ReviewerEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const parsed = reviewerEntry.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

export type ReviewEvent =
  | { kind: "requested"; login: string; at: string }
  | { kind: "request_removed"; login: string; at: string }
  | {
      kind: "review";
      login: string;
      /** GitHub's review state, any case: approved, changes_requested, commented, dismissed. */
      state: string;
      id: number;
      at: string;
    };

const DECISIVE = new Set<ReviewerState>(["approved", "changes_requested"]);

/** Applies one review event; older than what is stored for that reviewer changes nothing. */
export function applyReview(
  reviews: ReviewerEntry[],
  event: ReviewEvent,
): { reviews: ReviewerEntry[]; changed: boolean } {
  const login = event.login;
  const i = reviews.findIndex((r) => r.login.toLowerCase() === login.toLowerCase());
  const current = i >= 0 ? reviews[i] : undefined;
  let next: ReviewerEntry | null | undefined; // undefined: no change; null: remove
  if (event.kind === "requested") {
    const candidate: ReviewerEntry = { login, state: "requested", id: 0, at: event.at };
    if (!current || compareMoments(current, candidate) < 0) next = candidate;
  } else if (event.kind === "request_removed") {
    if (current?.state === "requested" && Date.parse(current.at) <= Date.parse(event.at))
      next = null;
  } else {
    const state = event.state.toLowerCase();
    if (!["approved", "changes_requested", "commented", "dismissed"].includes(state))
      return { reviews, changed: false };
    const candidate: ReviewerEntry = {
      login,
      state: state as ReviewerState,
      id: event.id,
      at: event.at,
    };
    if (!current) next = candidate;
    else if (state === "dismissed") {
      // a dismissal carries the dismissed review's own time: it replaces that review (or an
      // older one, when the review's own delivery is still on its way); a newer review stays
      if (compareMoments(current, candidate) < 0) next = candidate;
      else if (current.id === event.id && current.state !== "dismissed")
        next = { ...current, state: "dismissed" };
    } else if (compareMoments(current, candidate) < 0) {
      // a comment keeps an earlier decision (but answers a request)
      next = state === "commented" && DECISIVE.has(current.state) ? undefined : candidate;
    }
  }
  if (next === undefined) return { reviews, changed: false };
  const out = reviews.filter((_, j) => j !== i);
  if (next) out.push(next);
  out.sort((a, b) => a.login.localeCompare(b.login));
  return { reviews: out, changed: true };
}

export function summarizeReviews(reviews: ReviewerEntry[]): ReviewSummary {
  if (reviews.some((r) => r.state === "changes_requested")) return "changes_requested";
  if (reviews.some((r) => r.state === "requested")) return "review_requested";
  if (reviews.some((r) => r.state === "approved")) return "approved";
  return "none";
}
