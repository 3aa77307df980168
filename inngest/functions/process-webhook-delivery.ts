import { createAdminClient } from "@/lib/supabase/admin";
import { markProcessed } from "@/lib/webhooks/ledger";
import { inngest } from "../client";
import { webhookDeliveryReceived } from "../events";

/**
 * Closes the ledger entry of a verified delivery: `pending`/`sent` → `processed`, once. The
 * provider-specific consumers (tickets and messages from Zendesk/Intercom, GitHub installation
 * and push updates, Razorpay billing records) belong to the pipeline and billing issues and run
 * as their own functions on the same event; this one records that the delivery reached the
 * background side. The SDK validates the payload against the event schema first (an invalid one
 * fails at once, without retries); the event id (`webhook-delivery:<id>`) means one run per
 * delivery however often it is re-sent.
 */
export const processWebhookDelivery = inngest.createFunction(
  {
    id: "process-webhook-delivery",
    triggers: [webhookDeliveryReceived],
    concurrency: { limit: 10, key: "event.data.organizationId" },
    retries: 5,
  },
  async ({ event }) => {
    const { organizationId, deliveryId, provider, eventType } = event.data;
    // No step: the run's only work is one idempotent write (it moves pending/sent → processed
    // and nothing else), so a retry of the whole run is as safe as a retried step, and the run
    // takes one call from Inngest into the app instead of two (step, then completion) — for
    // every delivery received.
    const admin = await createAdminClient({
      reason: "mark webhook delivery processed",
      organizationId,
    });
    const marked = await markProcessed(admin, organizationId, deliveryId);
    return { deliveryId, provider, eventType, marked };
  },
);
