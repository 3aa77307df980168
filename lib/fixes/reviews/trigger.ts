import type { GithubPayload } from "@/lib/webhooks/payloads";

/**
 * Which deliveries ask Patchline for a new patch: a submitted `pull_request_review` whose state is
 * `changes_requested` (GitHub's "Request changes"; the webhook spells states in lower case). A
 * comment-only review or a conversation comment is shown on the bug page and asks nothing: a
 * reviewer says "change this" with the review decision, and guessing it from prose would patch on
 * a question.
 */

export const REVIEW_ROUND_EVENT_TYPE = "pull_request_review.submitted";

export interface ChangesRequested {
  githubRepositoryId: number;
  number: number;
  reviewId: number;
  reviewer: string;
  /** The review's own text (may be empty: the inline comments then carry it). */
  body: string;
}

export function changesRequested(
  eventType: string,
  payload: GithubPayload,
): ChangesRequested | null {
  if (eventType !== REVIEW_ROUND_EVENT_TYPE) return null;
  const review = payload.review;
  const pr = payload.pull_request;
  const repo = payload.repository?.id;
  if (!review || !pr || !repo) return null;
  if (review.state.toLowerCase() !== "changes_requested") return null;
  return {
    githubRepositoryId: repo,
    number: pr.number,
    reviewId: review.id,
    reviewer: review.user?.login ?? "ghost",
    body: review.body ?? "",
  };
}
