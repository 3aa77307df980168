import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { type FixSettings, fixSettingsFromRow } from "./settings";

/**
 * A workspace's fix settings, read and written as the signed-in person (RLS: members read,
 * `organization.update` inserts or updates; the table's checks bound every value and a trigger
 * records who changed them).
 */

export async function readFixSettings(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<FixSettings> {
  const { data, error } = await supabase
    .from("fix_settings")
    .select("*")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read fix settings: ${error.message}`);
  return fixSettingsFromRow(data);
}

export async function saveFixSettings(
  supabase: ServerSupabaseClient,
  organizationId: string,
  settings: FixSettings,
): Promise<void> {
  const values = {
    auto_fix_threshold: settings.autoFixThreshold,
    rca_approval_required: settings.rcaApprovalRequired,
    rca_min_cluster_size: settings.rcaMinClusterSize,
    review_rounds_max: settings.reviewRoundsMax,
  };
  // an update first: people are granted these columns only (an upsert would also write
  // organization_id and be refused); the first save of a workspace inserts its row
  for (let attempt = 1; attempt <= 2; attempt++) {
    const { data, error } = await supabase
      .from("fix_settings")
      .update(values)
      .eq("organization_id", organizationId)
      .select("organization_id");
    if (error) throw new Error(`save fix settings: ${error.code ?? ""} ${error.message}`);
    if (data?.length) return;
    const inserted = await supabase
      .from("fix_settings")
      .insert({ organization_id: organizationId, ...values });
    if (!inserted.error) return;
    // a concurrent first save inserted the row: update it
    if (inserted.error.code !== "23505")
      throw new Error(`save fix settings: ${inserted.error.code ?? ""} ${inserted.error.message}`);
  }
  throw new Error("save fix settings: the row kept changing");
}
