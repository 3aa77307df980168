import "server-only";
import { inngest } from "@/inngest/client";
import { type WebhookDeliveryReceivedData, webhookDeliveryReceived } from "@/inngest/events";

/**
 * Sends the typed Inngest event of a recorded delivery. The event id is derived from the ledger
 * row, so a second send (a redelivery of a still-pending row, the re-send job, or a send that
 * succeeded but was not marked) is dropped by Inngest's event dedupe: one run per delivery.
 */

export const deliveryEventId = (deliveryId: string) => `webhook-delivery:${deliveryId}`;

/** How long the intake waits for Inngest before answering anyway (providers wait 5–10 s). */
export const SEND_TIMEOUT_MS = 2_500;

/** True when Inngest accepted the event within the timeout; never throws. */
export async function sendDeliveryEvent(
  data: WebhookDeliveryReceivedData,
  timeoutMs: number = SEND_TIMEOUT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const sent = inngest
      .send(webhookDeliveryReceived.create(data, { id: deliveryEventId(data.deliveryId) }))
      .then(() => true as const)
      .catch(() => false as const);
    return await Promise.race([sent, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
