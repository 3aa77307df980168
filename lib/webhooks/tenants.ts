import "server-only";
import { DecryptionError, getKeyring } from "@/lib/crypto";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { IntegrationProvider } from "@/lib/supabase/database.types";

/**
 * Which workspace a delivery is for. A delivery is only ever processed for the workspace its own
 * signed content (or, for Zendesk, the webhook that signed it) names; an unknown or disconnected
 * tenant is recorded and acknowledged, never processed.
 */

export type Tenant =
  | { status: "live"; organizationId: string; integrationId: string | null }
  | { status: "disconnected"; organizationId: string; integrationId: string }
  | { status: "unknown" };

const tenantLog = log.child({ module: "webhooks.tenants" });

interface IntegrationRef {
  id: string;
  organization_id: string;
  status: "connected" | "error" | "disconnected";
}

/** The live row wins; an account only disconnected elsewhere is "disconnected". */
function pick<T extends IntegrationRef>(rows: T[]): T | undefined {
  return rows.find((r) => r.status !== "disconnected") ?? rows[0];
}

function toTenant(row: IntegrationRef | undefined): Tenant {
  if (!row) return { status: "unknown" };
  return row.status === "disconnected"
    ? { status: "disconnected", organizationId: row.organization_id, integrationId: row.id }
    : { status: "live", organizationId: row.organization_id, integrationId: row.id };
}

/** Intercom app id or GitHub installation id → the integration that owns it. */
export async function tenantByAccount(
  admin: AdminSupabaseClient,
  provider: IntegrationProvider,
  externalAccountId: string,
): Promise<Tenant> {
  const { data, error } = await admin
    .from("integrations")
    .select("id, organization_id, status")
    .eq("provider", provider)
    .eq("external_account_id", externalAccountId)
    .order("updated_at", { ascending: false })
    .limit(20);
  if (error) throw error;
  return toTenant(pick(data ?? []));
}

/** Razorpay: the organization id Patchline wrote into the subscription's notes, if it exists. */
export async function tenantByOrganization(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<Tenant> {
  const { data, error } = await admin
    .from("organizations")
    .select("id")
    .eq("id", organizationId)
    .maybeSingle();
  if (error) throw error;
  return data
    ? { status: "live", organizationId: data.id, integrationId: null }
    : { status: "unknown" };
}

/**
 * Zendesk signs with a per-workspace secret, so the tenant is looked up before verification, by
 * the `X-Zendesk-Webhook-Id` header only (the id of the webhook Patchline created for that
 * workspace, stored as integrations.provider_webhook_id); nothing of the unverified body is read.
 * Returns the tenant and its secrets (current, then the previous one until it expires). An
 * unknown webhook, or one whose secrets are gone or cannot be decrypted, yields no secret, which
 * the caller answers with 401.
 */
export async function zendeskTenantByWebhookId(
  admin: AdminSupabaseClient,
  webhookId: string,
  now: Date = new Date(),
): Promise<{ tenant: Tenant; secrets: string[] }> {
  const { data, error } = await admin
    .from("integrations")
    .select(
      "id, organization_id, status, webhook_secret_enc, previous_webhook_secret_enc, previous_webhook_secret_expires_at",
    )
    .eq("provider", "zendesk")
    .eq("provider_webhook_id", webhookId)
    .order("updated_at", { ascending: false })
    .limit(20);
  if (error) throw error;
  const row = pick(data ?? []);
  if (!row) return { tenant: { status: "unknown" }, secrets: [] };
  const secrets: string[] = [];
  const place = { organizationId: row.organization_id, table: "integrations", rowId: row.id };
  try {
    const keyring = getKeyring();
    if (row.webhook_secret_enc) {
      secrets.push(
        keyring.decrypt(row.webhook_secret_enc, { ...place, column: "webhook_secret_enc" }),
      );
    }
    const previousValid =
      row.previous_webhook_secret_expires_at &&
      Date.parse(row.previous_webhook_secret_expires_at) > now.getTime();
    if (row.previous_webhook_secret_enc && previousValid) {
      secrets.push(
        keyring.decrypt(row.previous_webhook_secret_enc, {
          ...place,
          column: "previous_webhook_secret_enc",
        }),
      );
    }
  } catch (err) {
    if (!(err instanceof DecryptionError)) throw err;
    tenantLog.error(
      { integrationId: row.id, organizationId: row.organization_id },
      "zendesk webhook secret cannot be decrypted",
    );
    return { tenant: toTenant(row), secrets: [] };
  }
  return { tenant: toTenant(row), secrets };
}
