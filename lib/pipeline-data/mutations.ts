import "server-only";
import { AppError, toAppError } from "@/lib/errors";
import type { BugStatus } from "@/lib/supabase/pipeline.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import type { UpdateBugInput } from "./schemas";

/**
 * The pipeline pages' writes, as the signed-in member: RLS (bugs.write) and the column grants
 * decide, and the database's triggers keep the invariants (a location's place in the code is
 * fixed; a review item resolves once; accepting meters the bug once through `billed_at`).
 * A row the caller cannot see answers not_found, the same as a row that does not exist.
 */

function noRow(rows: unknown[] | null): boolean {
  return !rows || rows.length === 0;
}

/**
 * Saves a person's correction of a bug's fields (the trigger stamps edited_at/edited_by) and
 * returns the bug's edited_at after the save: the edit the re-map (`bug/edited`) is for. Null
 * when the bug was never changed by a person (a save without changes keeps the previous stamp).
 */
export async function updateBug(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: UpdateBugInput,
): Promise<{ editedAt: string | null }> {
  const { data, error } = await supabase
    .from("bugs")
    .update({
      title: input.title,
      severity: input.severity,
      steps: input.steps,
      expected: input.expected,
      actual: input.actual,
      feature: input.feature,
      impact: input.impact,
    })
    .eq("organization_id", organizationId)
    .eq("id", input.bugId)
    .select("id, edited_at");
  if (error) throw toAppError(error);
  const row = data?.[0];
  if (!row) throw new AppError("not_found");
  return { editedAt: row.edited_at };
}

/** Marks (or clears) a location as mismapped, with the reason people give. */
export async function setMismapped(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: { bugId: string; locationId: string; reason: string | null },
): Promise<void> {
  const { data, error } = await supabase
    .from("bug_locations")
    .update({ mismapped: input.reason !== null, mismapped_reason: input.reason })
    .eq("organization_id", organizationId)
    .eq("bug_id", input.bugId)
    .eq("id", input.locationId)
    .select("id");
  if (error) throw toAppError(error);
  if (noRow(data)) throw new AppError("not_found");
}

/**
 * Accepts or dismisses an open review item. Accepting a bug's item makes it a Mapped Bug through
 * the database (private.review_items_resolve → bugs status → private.bugs_meter sets billed_at
 * the first time only), the same path the pipeline jobs' meter uses.
 */
export async function resolveReviewItem(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: { itemId: string; decision: "accepted" | "dismissed" },
): Promise<{ bugId: string | null; status: BugStatus | null }> {
  const { data, error } = await supabase
    .from("review_items")
    .update({ status: input.decision })
    .eq("organization_id", organizationId)
    .eq("id", input.itemId)
    .eq("status", "open")
    .select("id, bug_id");
  if (error) throw toAppError(error);
  const row = data?.[0];
  if (!row) {
    // not there, not yours, or already resolved by someone else
    const { data: seen } = await supabase
      .from("review_items")
      .select("status")
      .eq("organization_id", organizationId)
      .eq("id", input.itemId)
      .maybeSingle();
    if (!seen) throw new AppError("not_found");
    // visible and still open, yet not updated: RLS refused the role (viewers read only)
    if (seen.status === "open") throw new AppError("forbidden");
    throw new AppError("conflict", "Someone already resolved this item.");
  }
  if (row.bug_id) {
    // the decision is about the bug: its other open items (the other gate) go with it
    const rest = await supabase
      .from("review_items")
      .update({ status: input.decision })
      .eq("organization_id", organizationId)
      .eq("bug_id", row.bug_id)
      .eq("status", "open");
    if (rest.error) throw toAppError(rest.error);
    // what the bug became (accepting may hold it over the allowance): the notifier tells it
    const { data: bug } = await supabase
      .from("bugs")
      .select("status")
      .eq("organization_id", organizationId)
      .eq("id", row.bug_id)
      .maybeSingle();
    return { bugId: row.bug_id, status: bug?.status ?? null };
  }
  return { bugId: row.bug_id, status: null };
}
