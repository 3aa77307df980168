import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import {
  keysetFilter,
  type Page,
  type PageRequest,
  readsAscending,
  toPage,
} from "@/lib/pipeline-data/cursor";
import type {
  WebhookDeliveryStatus,
  WebhookIgnoredReason,
  WebhookProvider,
} from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * A workspace's webhook delivery log for Settings → Integrations, read as the signed-in owner or
 * admin (RLS: integrations.manage on public.webhook_deliveries). Only the ledger's bookkeeping
 * columns are selected: the event data (ticket text) is not granted to clients at all, and a
 * delivery's body is never stored. Keyset-paginated on (received_at desc, id desc), so the
 * thousandth page costs what the first does and new deliveries do not shift the next page.
 */

export const DELIVERY_LOG_PAGE_SIZE = 10;

export interface DeliveryLogRow {
  id: string;
  /** the provider's own id: Zendesk/Intercom event id, X-GitHub-Delivery, X-Razorpay-Event-Id */
  deliveryId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  ignoredReason: WebhookIgnoredReason | null;
  receivedAt: string;
  processedAt: string | null;
}

export type DeliveryLogPage = Page<DeliveryLogRow>;

const COLUMNS =
  "id, provider_event_id, event_type, status, ignored_reason, received_at, processed_at";

interface RawDelivery {
  id: string;
  provider_event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  ignored_reason: WebhookIgnoredReason | null;
  received_at: string;
  processed_at: string | null;
}

/**
 * One page of `provider`'s deliveries to this workspace, newest first (`after`: the page of
 * older ones, `before`: of newer ones).
 */
export async function listDeliveries(
  supabase: ServerSupabaseClient,
  organizationId: string,
  provider: WebhookProvider,
  page: PageRequest = {},
  pageSize = DELIVERY_LOG_PAGE_SIZE,
): Promise<DeliveryLogPage> {
  const ascending = readsAscending(page);
  let query = supabase
    .from("webhook_deliveries")
    .select(COLUMNS)
    .eq("organization_id", organizationId)
    .eq("provider", provider);
  if (page.after) {
    query = query
      .lte("received_at", page.after.at)
      .or(keysetFilter("received_at", page.after, "older"));
  } else if (page.before) {
    query = query
      .gte("received_at", page.before.at)
      .or(keysetFilter("received_at", page.before, "newer"));
  }
  const raw = dataOrThrow(
    await query
      .order("received_at", { ascending })
      .order("id", { ascending })
      .limit(pageSize + 1),
  ) as unknown as RawDelivery[];
  return toPage(
    raw,
    pageSize,
    page,
    (d): DeliveryLogRow => ({
      id: d.id,
      deliveryId: d.provider_event_id,
      eventType: d.event_type,
      status: d.status,
      ignoredReason: d.ignored_reason,
      receivedAt: d.received_at,
      processedAt: d.processed_at,
    }),
    (r) => ({ at: r.receivedAt, id: r.id }),
  );
}
