import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { type AdminSupabaseClient, createAdminClient } from "@/lib/supabase/admin";
import { recordIntegrationAudit } from "./audit";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "./encrypted-columns";
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

  // The table and its columns come from ENCRYPTED_COLUMNS at run time, so the typed client
  // cannot check them (a union of tables has no common update shape): this one is untyped.
  const untyped = async () => (await admin()) as unknown as SupabaseClient;

  return {
    async page(table, after, limit) {
      const columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS[table];
      let query = (await untyped())
        .from(table)
        .select(`id, organization_id, ${columns.join(", ")}`)
        .or(columns.map((c) => `${c}.not.is.null`).join(","))
        .order("id", { ascending: true })
        .limit(limit);
      if (after) query = query.gt("id", after);
      if (scope.organizationId) query = query.eq("organization_id", scope.organizationId);
      const { data, error } = await query;
      if (error) throw new Error(`rotation page not read: ${error.code ?? error.message}`);
      const rows = (data ?? []) as unknown as Array<Record<string, string | null>>;
      return rows.map(
        (r): RotationRow => ({
          id: String(r.id),
          organizationId: String(r.organization_id),
          values: Object.fromEntries(columns.map((c) => [c, r[c] ?? null])),
        }),
      );
    },
    async replace(table, row, column, expected, next) {
      const { data, error } = await (await untyped())
        .from(table)
        .update({ [column]: next })
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
