import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/supabase/database.types";
import type { FixAttemptFailureKind, FixAttemptStatus } from "@/lib/supabase/fix-attempts.types";

/** What the bug page shows about fix attempts, read as the signed-in member under RLS. */
export interface FixAttemptView {
  id: string;
  status: FixAttemptStatus;
  trigger: "manual" | "auto";
  progress: string | null;
  failureKind: FixAttemptFailureKind | null;
  failureDetail: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface DraftedPullRequestView {
  repository: string;
  number: number;
  url: string;
  title: string | null;
  branch: string | null;
  state: string;
  reviewState: string;
}

export const FAILURE_LABEL: Record<FixAttemptFailureKind, string> = {
  no_provider: "No LLM provider",
  no_locations: "Nothing to patch",
  llm_refused: "The model declined",
  llm_failed: "The LLM provider failed",
  llm_malformed: "The model's answer was unusable",
  no_fix: "The model proposed no change",
  patch_unparsable: "The patch could not be read",
  patch_outside_repository: "The patch touched files outside the repository",
  patch_does_not_apply: "The patch does not apply",
  github_error: "GitHub or Patchline failed",
};

export async function readFixAttempts(
  supabase: SupabaseClient<Database>,
  organizationId: string,
  bugId: string,
): Promise<{ latest: FixAttemptView | null; drafted: DraftedPullRequestView[] }> {
  const [attempts, prs] = await Promise.all([
    supabase
      .from("fix_attempts")
      .select(
        "id, status, trigger, progress, failure_kind, failure_detail, created_at, finished_at",
      )
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .order("created_at", { ascending: false })
      .limit(1),
    supabase
      .from("pull_requests")
      .select("repository_full_name, number, url, title, head_branch, state, review_state")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .eq("origin", "drafted")
      .order("repository_full_name"),
  ]);
  if (attempts.error) throw new Error(`read fix attempts: ${attempts.error.message}`);
  if (prs.error) throw new Error(`read drafted pull requests: ${prs.error.message}`);
  const a = attempts.data[0];
  return {
    latest: a
      ? {
          id: a.id,
          status: a.status,
          trigger: a.trigger,
          progress: a.progress,
          failureKind: a.failure_kind,
          failureDetail: a.failure_detail,
          createdAt: a.created_at,
          finishedAt: a.finished_at,
        }
      : null,
    drafted: prs.data.map((p) => ({
      repository: p.repository_full_name,
      number: p.number,
      url: p.url,
      title: p.title,
      branch: p.head_branch,
      state: p.state,
      reviewState: p.review_state,
    })),
  };
}
