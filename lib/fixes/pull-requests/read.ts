import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { type CommentEntry, snapshotFromRow } from "./activity";
import type { CheckEntry, ChecksSummary } from "./checks";
import type { ReviewerEntry, ReviewSummary } from "./reviews";

/** A bug's pull request as the bug page shows it (one per repository: the stack). */
export interface BugPullRequest {
  id: string;
  repository: string;
  number: number;
  url: string;
  origin: "drafted" | "linked";
  title: string | null;
  state: "draft" | "open" | "merged" | "closed";
  headBranch: string | null;
  headSha: string | null;
  checksState: ChecksSummary;
  /** The head commit's checks, one per name (the latest). */
  checks: CheckEntry[];
  reviewState: ReviewSummary;
  reviews: ReviewerEntry[];
  comments: CommentEntry[];
  mergeSha: string | null;
  mergedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
}

/** The caller's view (RLS: bugs.read) of a bug's pull requests, by repository name. */
export async function listBugPullRequests(
  supabase: ServerSupabaseClient,
  organizationId: string,
  bugId: string,
): Promise<BugPullRequest[]> {
  const { data, error } = await supabase
    .from("pull_requests")
    .select(
      "id, repository_full_name, number, url, origin, title, state, state_at, head_branch, head_sha, checks, checks_state, reviews, review_state, comments, merge_sha, merged_at, closed_at, updated_at",
    )
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId)
    .order("repository_full_name");
  if (error) throw new Error(`read pull requests: ${error.message}`);
  return (data ?? []).map((row) => {
    const s = snapshotFromRow(row);
    // only the head's checks, latest per name (a re-run replaces the earlier run of that name)
    const latest = new Map<string, CheckEntry>();
    for (const c of s.checks.filter((c) => !s.headSha || c.sha === s.headSha)) {
      const key = `${c.source}:${c.name}`;
      const seen = latest.get(key);
      if (!seen || Date.parse(seen.at) <= Date.parse(c.at)) latest.set(key, c);
    }
    // a suite stands for its app only while that app reported no check run (as the summary)
    const runApps = new Set(s.checks.filter((c) => c.source === "check_run").map((c) => c.app));
    for (const [key, c] of latest)
      if (c.source === "check_suite" && runApps.has(c.app)) latest.delete(key);
    return {
      id: row.id,
      repository: row.repository_full_name,
      number: row.number,
      url: row.url,
      origin: row.origin,
      title: s.title,
      state: s.state,
      headBranch: s.headBranch,
      headSha: s.headSha,
      checksState: s.checksState,
      checks: [...latest.values()].sort((a, b) => a.name.localeCompare(b.name)),
      reviewState: s.reviewState,
      reviews: s.reviews,
      comments: s.comments,
      mergeSha: s.mergeSha,
      mergedAt: s.mergedAt,
      closedAt: s.closedAt,
      updatedAt: row.updated_at,
    };
  });
}
