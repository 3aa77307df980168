import "server-only";
import { createAdminClient } from "@/lib/supabase/admin";
import type { OAuthStateRecord, OAuthStateStore } from "./oauth-state";

/**
 * oauth_states through the audited admin client (the table has no client grants). Starting a
 * flow is done by the signed-in admin for their workspace; consuming happens in the callback
 * after the signature was verified, so the workspace id it declares is the state's own.
 */
export function databaseOAuthStateStore(actorId?: string): OAuthStateStore {
  return {
    async insert(record: OAuthStateRecord) {
      const admin = await createAdminClient({
        reason: `store ${record.provider} OAuth state`,
        organizationId: record.organizationId,
        actorId: actorId ?? record.userId,
      });
      const { error } = await admin.from("oauth_states").insert({
        nonce_hash: record.nonceHash,
        organization_id: record.organizationId,
        user_id: record.userId,
        provider: record.provider,
        expires_at: record.expiresAt.toISOString(),
      });
      if (error) throw new Error(`oauth state not stored: ${error.code ?? error.message}`);
    },
    async consume({ nonceHash, organizationId }, now) {
      const admin = await createAdminClient({
        reason: "consume OAuth state in callback",
        organizationId,
        actorId: actorId ?? null,
      });
      // one atomic update: of two concurrent callbacks with the same state, one gets the row
      const { data, error } = await admin
        .from("oauth_states")
        .update({ consumed_at: now.toISOString() })
        .eq("nonce_hash", nonceHash)
        .eq("organization_id", organizationId)
        .is("consumed_at", null)
        .gt("expires_at", now.toISOString())
        .select("nonce_hash");
      if (error) throw new Error(`oauth state not consumed: ${error.code ?? error.message}`);
      return (data ?? []).length === 1;
    },
  };
}
