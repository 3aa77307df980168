import "server-only";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type {
  Json,
  WebhookDeliveryStatus,
  WebhookIgnoredReason,
  WebhookProvider,
} from "@/lib/supabase/database.types";

/**
 * The dedupe ledger (public.webhook_deliveries). The unique key (provider, provider event id)
 * makes recording atomic: of two concurrent copies of a delivery, exactly one inserts; the other
 * learns it is a duplicate and changes nothing.
 */

/** How a verified delivery names its workspace; resolved inside the recording transaction. */
export type TenantRef =
  /** Zendesk: the integration found by webhook id before verification (it held the secret). */
  | { kind: "integration"; integrationId: string }
  /** Intercom app id, GitHub installation id. */
  | { kind: "account"; externalAccountId: string }
  /** Razorpay: the organization id Patchline wrote into the subscription's notes. */
  | { kind: "organization"; organizationId: string }
  | { kind: "none" };

export interface NewDelivery {
  /** Chosen by the caller so the event id can name the row before it exists. */
  id: string;
  provider: WebhookProvider;
  providerEventId: string;
  eventType: string;
  tenant: TenantRef;
  /** Why a live tenant's delivery is not processed (ping, unsupported event), or null. */
  ignoredReason: WebhookIgnoredReason | null;
  /** The event data without organizationId, integrationId and deliveryId (the database adds them). */
  event: Json;
}

export interface RecordOutcome {
  /** False for a duplicate: the row already existed and nothing changed. */
  inserted: boolean;
  /** The row's id (the existing row's for a duplicate). */
  id: string;
  status: WebhookDeliveryStatus;
  organizationId: string | null;
  ignoredReason: WebhookIgnoredReason | null;
  /** The event to send while the row is pending; null otherwise. */
  eventData: Json | null;
  sendAttempts: number;
}

function tenantArgs(t: TenantRef): { kind: TenantRef["kind"]; key: string | null } {
  switch (t.kind) {
    case "integration":
      return { kind: t.kind, key: t.integrationId };
    case "account":
      return { kind: t.kind, key: t.externalAccountId };
    case "organization":
      return { kind: t.kind, key: t.organizationId };
    case "none":
      return { kind: t.kind, key: null };
  }
}

/**
 * Records a verified delivery in one round trip (`public.record_webhook_delivery`, one
 * transaction): resolves the tenant (unknown → ignored `unknown_tenant`, disconnected → ignored
 * `disconnected`), inserts under the unique key, builds a live delivery's event data, and touches
 * the integration's "last event received". A duplicate changes nothing and comes back with the
 * existing row's state (and its event data while it is still pending, to send it again).
 */
export async function recordDelivery(
  admin: AdminSupabaseClient,
  delivery: NewDelivery,
): Promise<RecordOutcome> {
  const tenant = tenantArgs(delivery.tenant);
  const { data, error } = await admin
    .rpc("record_webhook_delivery", {
      p_id: delivery.id,
      p_provider: delivery.provider,
      p_provider_event_id: delivery.providerEventId,
      p_event_type: delivery.eventType,
      p_tenant_kind: tenant.kind,
      p_tenant_key: tenant.key,
      p_ignored_reason: delivery.ignoredReason,
      p_event: delivery.event,
    })
    .single();
  if (error) throw error;
  return {
    inserted: data.inserted,
    id: data.delivery_id,
    status: data.status,
    organizationId: data.organization_id,
    ignoredReason: data.ignored_reason,
    eventData: data.event_data,
    sendAttempts: data.send_attempts,
  };
}

/**
 * `recordDelivery` for many deliveries in one round trip (`public.record_webhook_deliveries`, one
 * transaction, each element through the same per-delivery function). Outcomes come back in the
 * order of `deliveries`. The intake batches concurrent deliveries with it (`record-batch.ts`).
 */
export async function recordDeliveries(
  admin: AdminSupabaseClient,
  deliveries: NewDelivery[],
): Promise<RecordOutcome[]> {
  if (deliveries.length === 0) return [];
  const { data, error } = await admin.rpc("record_webhook_deliveries", {
    p_deliveries: deliveries.map((d) => {
      const tenant = tenantArgs(d.tenant);
      return {
        id: d.id,
        provider: d.provider,
        provider_event_id: d.providerEventId,
        event_type: d.eventType,
        tenant_kind: tenant.kind,
        tenant_key: tenant.key,
        ignored_reason: d.ignoredReason,
        event: d.event,
      };
    }),
  });
  if (error) throw error;
  const outcomes: Array<RecordOutcome | undefined> = new Array(deliveries.length);
  for (const row of data ?? []) {
    outcomes[row.idx] = {
      inserted: row.inserted,
      id: row.delivery_id,
      status: row.status,
      organizationId: row.organization_id,
      ignoredReason: row.ignored_reason,
      eventData: row.event_data,
      sendAttempts: row.send_attempts,
    };
  }
  if (outcomes.some((o) => o === undefined) || (data ?? []).length !== deliveries.length) {
    throw new Error(
      `record_webhook_deliveries answered ${(data ?? []).length} rows for ${deliveries.length}`,
    );
  }
  return outcomes as RecordOutcome[];
}

/** Inngest accepted the event: drop the payload copy. Never moves a processed row back. */
export async function markSent(
  admin: AdminSupabaseClient,
  id: string,
  sendAttempts: number,
): Promise<void> {
  await markManySent(admin, [id], sendAttempts);
}

/**
 * `markSent` for many rows with the same attempt count in one request: the intake coalesces
 * the marks of concurrent deliveries (`mark-sent-batch.ts`), the re-send job marks its batch.
 */
export async function markManySent(
  admin: AdminSupabaseClient,
  ids: string[],
  sendAttempts: number,
): Promise<void> {
  if (ids.length === 0) return;
  const { error } = await admin
    .from("webhook_deliveries")
    .update({
      status: "sent",
      sent_at: new Date().toISOString(),
      event_data: null,
      send_attempts: sendAttempts,
    })
    .in("id", ids)
    .eq("status", "pending");
  if (error) throw error;
}

/** The send failed: the row stays pending (the re-send job picks it up). */
export async function markSendFailed(
  admin: AdminSupabaseClient,
  id: string,
  sendAttempts: number,
): Promise<void> {
  const { error } = await admin
    .from("webhook_deliveries")
    .update({ send_attempts: sendAttempts })
    .eq("id", id)
    .eq("status", "pending");
  if (error) throw error;
}

/**
 * The consuming function finished: pending or sent → processed (the function may run before the
 * intake marked the row sent). Returns false when the row was already processed.
 */
export async function markProcessed(
  admin: AdminSupabaseClient,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const { data, error } = await admin
    .from("webhook_deliveries")
    .update({ status: "processed", processed_at: new Date().toISOString(), event_data: null })
    .eq("id", id)
    .eq("organization_id", organizationId)
    .in("status", ["pending", "sent"])
    .select("id");
  if (error) throw error;
  return (data ?? []).length > 0;
}

/** Pending rows received before `before`, oldest first (the re-send job's batch). */
export async function listPending(
  admin: AdminSupabaseClient,
  before: Date,
  limit: number,
): Promise<Array<{ id: string; eventData: Json; sendAttempts: number }>> {
  const { data, error } = await admin
    .from("webhook_deliveries")
    .select("id, event_data, send_attempts")
    .eq("status", "pending")
    .lt("received_at", before.toISOString())
    .order("received_at", { ascending: true })
    .limit(limit);
  if (error) throw error;
  return (data ?? []).flatMap((r) =>
    r.event_data === null
      ? []
      : [{ id: r.id, eventData: r.event_data, sendAttempts: r.send_attempts }],
  );
}
