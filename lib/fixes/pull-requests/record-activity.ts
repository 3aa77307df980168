import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { applyActivity, rowFromSnapshot, snapshotFromRow } from "./activity";
import type { PullRequestDelivery } from "./from-delivery";

/**
 * Applies one delivery's activity to every linked pull request it is about, in this workspace:
 * read the row, apply, write back only when something changed, and only if nobody wrote the row
 * meanwhile (`updated_at` unchanged; otherwise read again), so two deliveries for one PR never
 * lose each other's update.
 */

export type RecordOutcome =
  | { outcome: "no_linked_pull_request" }
  | {
      outcome: "recorded";
      updated: number;
      unchanged: number;
      reasons: string[];
      /** The bugs whose pull request changed (their Slack message is edited to show it). */
      changedBugIds: string[];
    };

const COLUMNS =
  "id, bug_id, updated_at, state, state_at, title, head_branch, head_sha, merge_sha, merged_at, closed_at, checks, checks_state, reviews, review_state, comments";
const ATTEMPTS = 5;

export async function recordPullRequestActivity(
  admin: AdminSupabaseClient,
  organizationId: string,
  integrationId: string,
  delivery: PullRequestDelivery,
): Promise<RecordOutcome> {
  const { data: repo, error: repoError } = await admin
    .from("integration_repositories")
    .select("id")
    .eq("organization_id", organizationId)
    .eq("integration_id", integrationId)
    .eq("github_repository_id", delivery.githubRepositoryId)
    .maybeSingle();
  if (repoError) throw new Error(`read repository: ${repoError.message}`);
  if (!repo) return { outcome: "no_linked_pull_request" };

  const ids = new Set<string>();
  if (delivery.numbers.length) {
    const { data, error } = await admin
      .from("pull_requests")
      .select("id")
      .eq("organization_id", organizationId)
      .eq("repository_id", repo.id)
      .in("number", delivery.numbers);
    if (error) throw new Error(`find pull requests: ${error.message}`);
    for (const r of data ?? []) ids.add(r.id);
  }
  if (delivery.headSha) {
    const { data, error } = await admin
      .from("pull_requests")
      .select("id")
      .eq("organization_id", organizationId)
      .eq("repository_id", repo.id)
      .eq("head_sha", delivery.headSha);
    if (error) throw new Error(`find pull requests by head: ${error.message}`);
    for (const r of data ?? []) ids.add(r.id);
  }
  if (ids.size === 0) return { outcome: "no_linked_pull_request" };

  let updated = 0;
  let unchanged = 0;
  const reasons: string[] = [];
  const changedBugIds = new Set<string>();
  for (const id of ids) {
    for (let attempt = 1; ; attempt++) {
      const { data: row, error } = await admin
        .from("pull_requests")
        .select(COLUMNS)
        .eq("organization_id", organizationId)
        .eq("id", id)
        .maybeSingle();
      if (error) throw new Error(`read pull request: ${error.message}`);
      if (!row) break; // unlinked meanwhile
      const result = applyActivity(snapshotFromRow(row), delivery.activity);
      if (!result.changed) {
        unchanged += 1;
        if (result.reason) reasons.push(result.reason);
        break;
      }
      const { data: written, error: writeError } = await admin
        .from("pull_requests")
        .update(rowFromSnapshot(result.snapshot))
        .eq("organization_id", organizationId)
        .eq("id", id)
        .eq("updated_at", row.updated_at)
        .select("id");
      if (writeError) throw new Error(`write pull request: ${writeError.message}`);
      if (written?.length) {
        updated += 1;
        changedBugIds.add(row.bug_id);
        break;
      }
      if (attempt >= ATTEMPTS) throw new Error("pull request kept changing; retrying the delivery");
    }
  }
  return { outcome: "recorded", updated, unchanged, reasons, changedBugIds: [...changedBugIds] };
}
