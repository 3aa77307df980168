import type {
  FixReviewRoundFailureKind,
  FixReviewRoundReason,
  FixReviewRoundStatus,
} from "@/lib/supabase/fix-review-rounds.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { fixSettingsFromRow } from "../settings";

/**
 * The bug page's view (RLS: bugs.read) of the reviews that asked for changes on its drafted pull
 * requests, and what Patchline did with each: a round pushed as a new commit, a round running or
 * failed, or a request only shown (limit reached, no provider) for the team to handle by hand.
 */

export interface ReviewRoundView {
  id: string;
  reviewer: string;
  status: FixReviewRoundStatus;
  round: number | null;
  reason: FixReviewRoundReason | null;
  failureKind: FixReviewRoundFailureKind | null;
  failureDetail: string | null;
  commitSha: string | null;
  at: string;
}

export interface BugReviewRounds {
  /** The workspace's limit (fix_settings.review_rounds_max). */
  max: number;
  byPullRequest: Record<string, ReviewRoundView[]>;
}

export async function listBugReviewRounds(
  supabase: ServerSupabaseClient,
  organizationId: string,
  bugId: string,
): Promise<BugReviewRounds> {
  const [rounds, settings] = await Promise.all([
    supabase
      .from("fix_review_rounds")
      .select(
        "id, pull_request_id, reviewer, status, round, reason, failure_kind, failure_detail, commit_sha, created_at",
      )
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .order("created_at"),
    supabase.from("fix_settings").select("*").eq("organization_id", organizationId).maybeSingle(),
  ]);
  if (rounds.error) throw new Error(`read review rounds: ${rounds.error.message}`);
  if (settings.error) throw new Error(`read fix settings: ${settings.error.message}`);
  const byPullRequest: Record<string, ReviewRoundView[]> = {};
  for (const r of rounds.data ?? []) {
    const list = byPullRequest[r.pull_request_id] ?? [];
    list.push({
      id: r.id,
      reviewer: r.reviewer,
      status: r.status,
      round: r.round,
      reason: r.reason,
      failureKind: r.failure_kind,
      failureDetail: r.failure_detail,
      commitSha: r.commit_sha,
      at: r.created_at,
    });
    byPullRequest[r.pull_request_id] = list;
  }
  return { max: fixSettingsFromRow(settings.data).reviewRoundsMax, byPullRequest };
}
