import { cron } from "inngest";
import { log } from "@/lib/log";
import { createAdminClient } from "@/lib/supabase/admin";
import { deliveryEventId } from "@/lib/webhooks/delivery-event-id";
import { listPending, markManySent } from "@/lib/webhooks/ledger";
import { PENDING_GRACE_MS } from "@/lib/webhooks/pending-grace";
import { inngest } from "../client";
import { webhookDeliveryReceived, webhookDeliveryReceivedData } from "../events";

/**
 * The safety net of webhook intake: a delivery acknowledged while its Inngest event could not be
 * sent stays `pending` with its event data; every minute this sends those events again (same
 * event id, so a send that did get through is not run twice) and marks them sent. Rows younger
 * than PENDING_GRACE_MS are left to the request that is still handling them.
 */
const BATCH = 200;
const jobLog = log.child({ module: "webhooks.resend" });

export const resendPendingWebhookDeliveries = inngest.createFunction(
  {
    id: "resend-pending-webhook-deliveries",
    triggers: [cron("* * * * *")],
    // one sweep at a time: two overlapping sweeps would only send duplicates Inngest drops
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ step }) => {
    const pending = await step.run("load-pending", async () => {
      const admin = await createAdminClient({
        reason: "resend pending webhook deliveries",
        noOrganization: "webhook-intake",
      });
      const rows = await listPending(admin, new Date(Date.now() - PENDING_GRACE_MS), BATCH);
      const valid: Array<{ id: string; attempts: number; data: unknown }> = [];
      for (const row of rows) {
        if (webhookDeliveryReceivedData.safeParse(row.eventData).success) {
          valid.push({ id: row.id, attempts: row.sendAttempts, data: row.eventData });
        } else {
          // cannot happen unless the schema changed under a pending row; say so, keep the row
          jobLog.error(
            { deliveryId: row.id },
            "pending webhook delivery no longer matches its event schema",
          );
        }
      }
      return valid;
    });
    if (pending.length === 0) return { resent: 0 };

    await step.sendEvent(
      "resend-events",
      pending.map((row) =>
        webhookDeliveryReceived.create(webhookDeliveryReceivedData.parse(row.data), {
          id: deliveryEventId(row.id),
        }),
      ),
    );

    await step.run("mark-sent", async () => {
      const admin = await createAdminClient({
        reason: "mark re-sent webhook deliveries",
        noOrganization: "webhook-intake",
      });
      // one request per attempt count rather than one per row
      const byAttempts = new Map<number, string[]>();
      for (const row of pending) {
        const ids = byAttempts.get(row.attempts + 1) ?? [];
        ids.push(row.id);
        byAttempts.set(row.attempts + 1, ids);
      }
      for (const [attempts, ids] of byAttempts) await markManySent(admin, ids, attempts);
    });
    return { resent: pending.length };
  },
);
