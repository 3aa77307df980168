import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database, Json } from "@/lib/supabase/database.types";
import type { FixAttemptFailureKind } from "@/lib/supabase/fix-attempts.types";
import type { DraftPullRequest } from "./github-writes";

/** The job's writes to public.fix_attempts and public.pull_requests (service role, org-scoped). */

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

/**
 * An automatic attempt's row (a person's click inserted its own under RLS). Null when one is
 * already queued or running for the bug (the partial unique index answers 23505).
 */
export async function createAutoAttempt(
  admin: SupabaseClient<Database>,
  organizationId: string,
  bugId: string,
): Promise<string | null> {
  const { data, error } = await admin
    .from("fix_attempts")
    .insert({ organization_id: organizationId, bug_id: bugId, trigger: "auto" })
    .select("id")
    .single();
  if (error?.code === "23505") return null;
  if (error || !data) fail("create fix attempt", error ?? { message: "no row" });
  return data.id;
}

/** Moves a queued attempt to running; false when it is not queued (a retry, or already done). */
export async function markRunning(
  admin: SupabaseClient<Database>,
  organizationId: string,
  attemptId: string,
): Promise<boolean> {
  const { data, error } = await admin
    .from("fix_attempts")
    .update({ status: "running", started_at: new Date().toISOString(), progress: "Starting" })
    .eq("organization_id", organizationId)
    .eq("id", attemptId)
    .in("status", ["queued", "running"])
    .select("id");
  if (error) fail("start fix attempt", error);
  return data.length > 0;
}

export async function setProgress(
  admin: SupabaseClient<Database>,
  organizationId: string,
  attemptId: string,
  progress: string,
  llmCall?: Json,
): Promise<void> {
  const { error } = await admin
    .from("fix_attempts")
    .update({ progress, ...(llmCall ? { llm_call: llmCall } : {}) })
    .eq("organization_id", organizationId)
    .eq("id", attemptId);
  if (error) fail("record fix attempt progress", error);
}

export async function finishAttempt(
  admin: SupabaseClient<Database>,
  organizationId: string,
  attemptId: string,
  outcome: { ok: true } | { ok: false; kind: FixAttemptFailureKind; detail: string },
): Promise<void> {
  const { error } = await admin
    .from("fix_attempts")
    .update({
      status: outcome.ok ? "opened" : "failed",
      failure_kind: outcome.ok ? null : outcome.kind,
      failure_detail: outcome.ok ? null : outcome.detail.slice(0, 1000),
      progress: null,
      finished_at: new Date().toISOString(),
    })
    .eq("organization_id", organizationId)
    .eq("id", attemptId);
  if (error) fail("finish fix attempt", error);
}

/** The drafted PR on record (one per bug and repository; a retry finds it there). */
export async function recordDraftPullRequest(
  admin: SupabaseClient<Database>,
  organizationId: string,
  bugId: string,
  repositoryId: string,
  pr: DraftPullRequest,
): Promise<void> {
  const requested =
    pr.reviewers.users.length + pr.reviewers.teams.length > 0 && !pr.reviewers.refused;
  const { error } = await admin.from("pull_requests").upsert(
    {
      organization_id: organizationId,
      bug_id: bugId,
      repository_id: repositoryId,
      repository_full_name: "x/x", // replaced by the database from the repository row
      number: pr.number,
      url: pr.url,
      origin: "drafted",
      title: pr.title.slice(0, 300),
      head_branch: pr.branch,
      head_sha: /^[0-9a-f]{40}$/.test(pr.headSha) ? pr.headSha : null,
      state: "draft",
      review_state: requested ? "review_requested" : "none",
    },
    { onConflict: "bug_id,repository_id", ignoreDuplicates: true },
  );
  if (error) fail("record drafted pull request", error);
}
