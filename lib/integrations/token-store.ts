import "server-only";
import { emitIntegrationDisconnected } from "@/lib/notifications/emit";
import { type AdminSupabaseClient, createAdminClient } from "@/lib/supabase/admin";
import { recordIntegrationAudit } from "./audit";
import { openIntegrationSecret, sealIntegrationSecret } from "./secrets";
import type { IntegrationRef, TokenStore } from "./token-refresh";

/**
 * The token store on the integrations table, through the audited admin client (one client per
 * store, created on first use for the store's workspace). Tokens are decrypted on read for the
 * one call that needs them and sealed again on save; nothing here logs or returns ciphertext.
 */
export function databaseTokenStore(organizationId: string, reason: string): TokenStore {
  let client: Promise<AdminSupabaseClient> | undefined;
  const admin = () => {
    client ??= createAdminClient({ reason, organizationId });
    return client;
  };
  const scoped = (ref: IntegrationRef) => {
    if (ref.organizationId !== organizationId) {
      throw new Error("token store used for another workspace than it was opened for");
    }
    return ref;
  };

  return {
    async read(ref) {
      scoped(ref);
      const { data, error } = await (await admin())
        .from("integrations")
        .select(
          "id, organization_id, provider, status, external_account_id, access_token_enc, refresh_token_enc, token_expires_at, last_error",
        )
        .eq("id", ref.id)
        .eq("organization_id", ref.organizationId)
        .maybeSingle();
      if (error) throw new Error(`integration not read: ${error.code ?? error.message}`);
      if (!data) throw new Error("integration not found");
      return {
        id: data.id,
        organizationId: data.organization_id,
        provider: data.provider,
        status: data.status,
        externalAccountId: data.external_account_id,
        accessToken: openIntegrationSecret(data, "access_token_enc"),
        refreshToken: openIntegrationSecret(data, "refresh_token_enc"),
        expiresAt: data.token_expires_at ? new Date(data.token_expires_at) : null,
        lastError: data.last_error,
      };
    },
    async claim(ref, holder, ttlMs) {
      scoped(ref);
      const { data, error } = await (await admin()).rpc("claim_integration_refresh", {
        p_integration_id: ref.id,
        p_organization_id: ref.organizationId,
        p_holder: holder,
        p_ttl_seconds: Math.max(1, Math.min(300, Math.ceil(ttlMs / 1000))),
      });
      if (error) throw new Error(`refresh lease not claimed: ${error.code ?? error.message}`);
      return data === true;
    },
    async release(ref, holder) {
      scoped(ref);
      await (await admin()).rpc("release_integration_refresh", {
        p_integration_id: ref.id,
        p_organization_id: ref.organizationId,
        p_holder: holder,
      });
    },
    async save(ref, tokens) {
      scoped(ref);
      const row = { id: ref.id, organization_id: ref.organizationId };
      const update: {
        access_token_enc: string | null;
        token_expires_at: string | null;
        refresh_token_enc?: string | null;
      } = {
        access_token_enc: sealIntegrationSecret(row, "access_token_enc", tokens.accessToken),
        token_expires_at: tokens.expiresAt?.toISOString() ?? null,
      };
      if (tokens.refreshToken !== undefined) {
        update.refresh_token_enc = sealIntegrationSecret(
          row,
          "refresh_token_enc",
          tokens.refreshToken,
        );
      }
      const { error } = await (await admin())
        .from("integrations")
        .update(update)
        .eq("id", ref.id)
        .eq("organization_id", ref.organizationId)
        .eq("status", "connected");
      if (error) throw new Error(`refreshed token not saved: ${error.code ?? error.message}`);
    },
    async markError(ref, reason) {
      scoped(ref);
      const client = await admin();
      const { data: before } = await client
        .from("integrations")
        .select("status, provider")
        .eq("id", ref.id)
        .eq("organization_id", ref.organizationId)
        .maybeSingle();
      const at = new Date().toISOString();
      const { error } = await client
        .from("integrations")
        .update({ status: "error", last_error: reason, last_error_at: at })
        .eq("id", ref.id)
        .eq("organization_id", ref.organizationId)
        .neq("status", "disconnected");
      if (error) throw new Error(`integration error not recorded: ${error.code ?? error.message}`);
      // a working integration just stopped: owners and admins are told (once per outage)
      if (before?.status === "connected") {
        await emitIntegrationDisconnected({
          organizationId: ref.organizationId,
          integrationId: ref.id,
          provider: before.provider,
          at,
        });
      }
      await recordIntegrationAudit(client, {
        organizationId: ref.organizationId,
        action: "integration.refresh_refused",
        integrationId: ref.id,
        metadata: { reason },
      });
    },
  };
}
