import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { RemapFailed, RemapProgress } from "./remap-status";

/**
 * The bug page's notice while its locations answer an older version of its fields than the last
 * edit: "Re-mapping…" (re-rendering until the new locations are in), or, once the job gave up on
 * that edit (`bugs.remap_failed_edit_at` equals `edited_at`), that it failed, why, and a retry.
 * Reads its two columns itself, so the page keeps one line for it.
 */
export async function RemappingNotice({
  editedAt,
  supabase,
  organizationId,
  bugId,
  org,
  mayRetry,
}: {
  editedAt: string;
  supabase: ServerSupabaseClient;
  organizationId: string;
  bugId: string;
  org: string;
  mayRetry: boolean;
}) {
  const { data } = await supabase
    .from("bugs")
    .select("remap_failed_edit_at, remap_error")
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .maybeSingle();
  const failedAt = data?.remap_failed_edit_at;
  if (failedAt && Date.parse(failedAt) === Date.parse(editedAt)) {
    return (
      <RemapFailed
        org={org}
        bugId={bugId}
        message={data?.remap_error ?? "Re-mapping stopped after several attempts."}
        mayRetry={mayRetry}
      />
    );
  }
  return <RemapProgress editedAt={editedAt} />;
}
