import "server-only";
import type { FunctionReturns } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { dataOrThrow } from "./result";

/** Reads of an organization's audit log (owner/admin; the RPC refuses other roles). */

export type AuditEntry = FunctionReturns<"list_audit_log">[number];

/** A page of the audit log, newest first (owner/admin). Pass the last id to get older entries. */
export async function listAuditLog(
  supabase: ServerSupabaseClient,
  organizationId: string,
  options: { limit?: number; beforeId?: number } = {},
): Promise<AuditEntry[]> {
  return dataOrThrow(
    await supabase.rpc("list_audit_log", {
      p_organization_id: organizationId,
      p_limit: options.limit ?? 50,
      ...(options.beforeId ? { p_before_id: options.beforeId } : {}),
    }),
  );
}
