import type { AdminSupabaseClient } from "@/lib/supabase/admin";

/**
 * A rollback parks an RCA that is not yet published (the customer must not hear "fixed" while
 * production runs without the fix), saying why; the bug page shows it. When a later production
 * deploy contains the fix again, the RCA is un-parked: back to `approved` if the approval still
 * covers its version (the database lets Patchline restore an approval, never grant one), else to
 * `draft`. A published RCA is left as it is: what the customer read stays the history.
 */

export async function parkRca(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  deployedSha: string,
): Promise<boolean> {
  const { data, error } = await admin
    .from("rcas")
    .update({
      status: "parked",
      parked_reason: `The fix was rolled back: the production deploy of ${deployedSha.slice(0, 7)} does not contain it. Publishing waits until a production deploy contains it again.`,
    })
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId)
    .in("status", ["draft", "approved"])
    .select("id");
  if (error) throw new Error(`park RCA: ${error.message}`);
  return (data?.length ?? 0) > 0;
}

export async function unparkRca(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
): Promise<"approved" | "draft" | null> {
  const { data: rca, error } = await admin
    .from("rcas")
    .select("id, version, approved_version")
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId)
    .eq("status", "parked")
    .maybeSingle();
  if (error) throw new Error(`read parked RCA: ${error.message}`);
  if (!rca) return null;
  const status = rca.approved_version === rca.version ? "approved" : "draft";
  const { error: updateError } = await admin
    .from("rcas")
    .update({ status, parked_reason: null })
    .eq("organization_id", organizationId)
    .eq("id", rca.id)
    .eq("status", "parked");
  if (updateError) throw new Error(`un-park RCA: ${updateError.message}`);
  return status;
}
