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
  const { error } = await supabase.from("fix_settings").upsert(
    {
      organization_id: organizationId,
      auto_fix_threshold: settings.autoFixThreshold,
      rca_approval_required: settings.rcaApprovalRequired,
      rca_min_cluster_size: settings.rcaMinClusterSize,
      review_rounds_max: settings.reviewRoundsMax,
    },
    { onConflict: "organization_id" },
  );
  if (error) throw new Error(`save fix settings: ${error.code ?? ""} ${error.message}`);
}
