import "server-only";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";

/** Integration events of the workspace audit log (owners and admins read them). */
export const INTEGRATION_AUDIT_ACTIONS = [
  "integration.connected",
  "integration.disconnected",
  "integration.refresh_refused",
  "secrets.rotated",
  "integration.oauth_refused",
  "integration.permissions_accepted",
] as const;
export type IntegrationAuditAction = (typeof INTEGRATION_AUDIT_ACTIONS)[number];

const auditLog = log.child({ module: "integrations.audit" });

/**
 * Appends an audit entry with the admin client the caller already holds for this workspace.
 * Metadata is for people: ids, counts, reasons; never a token or a secret. Throws if it cannot be
 * written, so an unrecorded change is not silently accepted.
 */
export async function recordIntegrationAudit(
  admin: AdminSupabaseClient,
  entry: {
    organizationId: string;
    action: IntegrationAuditAction;
    integrationId?: string | null;
    actorId?: string | null;
    metadata?: Record<string, Json>;
  },
): Promise<void> {
  const { error } = await admin.from("audit_log").insert({
    organization_id: entry.organizationId,
    actor_id: entry.actorId ?? null,
    action: entry.action,
    target_type: entry.integrationId ? "integration" : null,
    target_id: entry.integrationId ?? null,
    metadata: entry.metadata ?? {},
  });
  if (error) {
    auditLog.error({ action: entry.action, code: error.code }, "integration audit not recorded");
    throw new Error(`audit entry not recorded: ${error.code ?? error.message}`);
  }
}
