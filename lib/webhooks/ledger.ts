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

export interface NewDelivery {
  /** Chosen by the caller so the event data can name the row before it exists. */
  id: string;
  provider: WebhookProvider;
  providerEventId: string;
  eventType: string;
  organizationId: string | null;
  integrationId: string | null;
  status: Extract<WebhookDeliveryStatus, "pending" | "ignored">;
  ignoredReason: WebhookIgnoredReason | null;
  /** The event data to (re-)send; only for pending rows. */
  eventData: Json | null;
}

export type RecordOutcome =
  | { inserted: true; id: string }
  | { inserted: false; id: string; status: WebhookDeliveryStatus };

export async function recordDelivery(
  admin: AdminSupabaseClient,
  delivery: NewDelivery,
): Promise<RecordOutcome> {
  const { data, error } = await admin
    .from("webhook_deliveries")
    .upsert(
      {
        id: delivery.id,
        provider: delivery.provider,
        provider_event_id: delivery.providerEventId,
        event_type: delivery.eventType,
        organization_id: delivery.organizationId,
        integration_id: delivery.integrationId,
        status: delivery.status,
        ignored_reason: delivery.ignoredReason,
        event_data: delivery.eventData,
      },
      { onConflict: "provider,provider_event_id", ignoreDuplicates: true },
    )
    .select("id");
  if (error) throw error;
  const inserted = data?.[0];
  if (inserted) return { inserted: true, id: inserted.id };
  const existing = await admin
    .from("webhook_deliveries")
    .select("id, status")
    .eq("provider", delivery.provider)
    .eq("provider_event_id", delivery.providerEventId)
    .single();
  if (existing.error) throw existing.error;
  return { inserted: false, id: existing.data.id, status: existing.data.status };
}

/** The pending row's event data (to re-send a duplicate whose first send failed). */
export async function pendingEventData(
  admin: AdminSupabaseClient,
  id: string,
): Promise<{ eventData: Json; sendAttempts: number } | null> {
  const { data, error } = await admin
    .from("webhook_deliveries")
    .select("event_data, send_attempts, status")
    .eq("id", id)
    .maybeSingle();
  if (error) throw error;
  if (data?.status !== "pending" || data.event_data === null) return null;
  return { eventData: data.event_data, sendAttempts: data.send_attempts };
}

/** Inngest accepted the event: drop the payload copy. Never moves a processed row back. */
export async function markSent(
  admin: AdminSupabaseClient,
  id: string,
  sendAttempts: number,
): Promise<void> {
  const { error } = await admin
    .from("webhook_deliveries")
    .update({
      status: "sent",
      sent_at: new Date().toISOString(),
      event_data: null,
      send_attempts: sendAttempts,
    })
    .eq("id", id)
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

/** "Last event received" of the integration, shown in Settings → Integrations. */
export async function touchIntegration(
  admin: AdminSupabaseClient,
  integrationId: string,
): Promise<void> {
  const { error } = await admin
    .from("integrations")
    .update({ last_event_at: new Date().toISOString() })
    .eq("id", integrationId);
  if (error) throw error;
}
