import "server-only";
import { z } from "zod";
import { toAppError } from "@/lib/errors";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * The last key rotation that changed something in this workspace, from its `secrets.rotated`
 * audit entry (the rotation job writes one per batch that re-encrypted or failed a value; a run
 * with nothing left on an old key writes none). Read as the owner or admin, through RLS.
 */
export interface LastRotation {
  at: string;
  scanned: number;
  rotated: number;
  failed: number;
  keyId: string | null;
}

const counts = z.object({
  scanned: z.number().int().nonnegative().catch(0),
  rotated: z.number().int().nonnegative().catch(0),
  failed: z.number().int().nonnegative().catch(0),
  keyId: z.string().max(64).nullish().catch(null),
});

export async function lastRotation(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<LastRotation | null> {
  const { data, error } = await supabase
    .from("audit_log")
    .select("created_at, metadata")
    .eq("organization_id", organizationId)
    .eq("action", "secrets.rotated")
    .order("id", { ascending: false })
    .limit(1)
    .maybeSingle();
  if (error) throw toAppError(error);
  if (!data) return null;
  const parsed = counts.parse(data.metadata ?? {});
  return { at: data.created_at, ...parsed, keyId: parsed.keyId ?? null };
}
