import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { type Gates, gatesFromRow } from "./settings";

/**
 * A workspace's gates, read and written as the signed-in person (RLS: members read,
 * `organization.update` inserts or updates; the table's checks bound both values, a trigger
 * records who changed them and writes `pipeline.gates_changed` to the audit log).
 */

export async function readGates(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Gates> {
  const { data, error } = await supabase
    .from("pipeline_settings")
    .select("extraction_threshold, mapping_threshold")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read gates: ${error.message}`);
  return gatesFromRow(data);
}

export async function saveGates(
  supabase: ServerSupabaseClient,
  organizationId: string,
  gates: Gates,
): Promise<void> {
  const values = { extraction_threshold: gates.extraction, mapping_threshold: gates.mapping };
  // an update first: people are granted the two threshold columns only on update (an upsert
  // would also write organization_id and be refused); the first save of a workspace inserts
  for (let attempt = 1; attempt <= 2; attempt++) {
    const { data, error } = await supabase
      .from("pipeline_settings")
      .update(values)
      .eq("organization_id", organizationId)
      .select("organization_id");
    if (error) throw new Error(`save gates: ${error.code ?? ""} ${error.message}`);
    if (data?.length) return;
    const inserted = await supabase
      .from("pipeline_settings")
      .insert({ organization_id: organizationId, ...values });
    if (!inserted.error) return;
    // a concurrent first save inserted the row: update it
    if (inserted.error.code !== "23505")
      throw new Error(`save gates: ${inserted.error.code ?? ""} ${inserted.error.message}`);
  }
  throw new Error("save gates: the row kept changing");
}
