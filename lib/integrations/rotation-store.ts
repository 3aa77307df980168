import "server-only";
import { type AdminSupabaseClient, createAdminClient } from "@/lib/supabase/admin";
import { recordIntegrationAudit } from "./audit";
import type { EncryptedColumn } from "./encrypted-columns";
import type { RotationRow, RotationStore } from "./key-rotation";

/**
 * The key-rotation store on the database, through the audited admin client: scoped to one
 * workspace when the rotation was asked for one (the admin-only setting), otherwise a platform
 * operation over every workspace (the `rotate-keys` script), recorded as such. Every query still
 * filters by the row's own organization id.
 */
export function databaseRotationStore(scope: { organizationId?: string }): RotationStore {
  let client: Promise<AdminSupabaseClient> | undefined;
  const admin = () => {
    client ??= scope.organizationId
      ? createAdminClient({
          reason: "re-encrypt secrets with the active key",
          organizationId: scope.organizationId,
        })
      : createAdminClient({
          reason: "re-encrypt secrets with the active key",
          noOrganization: "key-rotation",
        });
    return client;
  };

  return {
    async page(table, after, limit) {
      let query = (await admin())
        .from(table)
        .select(
          "id, organization_id, access_token_enc, refresh_token_enc, webhook_secret_enc, previous_webhook_secret_enc",
        )
        .or(
          "access_token_enc.not.is.null,refresh_token_enc.not.is.null,webhook_secret_enc.not.is.null,previous_webhook_secret_enc.not.is.null",
        )
        .order("id", { ascending: true })
        .limit(limit);
      if (after) query = query.gt("id", after);
      if (scope.organizationId) query = query.eq("organization_id", scope.organizationId);
      const { data, error } = await query;
      if (error) throw new Error(`rotation page not read: ${error.code ?? error.message}`);
      return (data ?? []).map(
        (r): RotationRow => ({
          id: r.id,
          organizationId: r.organization_id,
          values: {
            access_token_enc: r.access_token_enc,
            refresh_token_enc: r.refresh_token_enc,
            webhook_secret_enc: r.webhook_secret_enc,
            previous_webhook_secret_enc: r.previous_webhook_secret_enc,
          },
        }),
      );
    },
    async replace(table, row, column, expected, next) {
      const { data, error } = await (await admin())
        .from(table)
        .update({ [column]: next } as Partial<Record<EncryptedColumn, string>>)
        .eq("id", row.id)
        .eq("organization_id", row.organizationId)
        .eq(column, expected)
        .select("id");
      if (error) throw new Error(`secret not re-encrypted: ${error.code ?? error.message}`);
      return (data ?? []).length === 1;
    },
    async audit(organizationId, entry) {
      await recordIntegrationAudit(await admin(), {
        organizationId,
        action: "secrets.rotated",
        metadata: { ...entry },
      });
    },
  };
}
