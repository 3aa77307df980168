import "server-only";
import { inngest } from "@/inngest/client";
import { type WebhookDeliveryReceivedData, webhookDeliveryReceived } from "@/inngest/events";
import { deliveryEventId } from "./delivery-event-id";
import { EventSendBatcher } from "./send-batch";

/**
 * Sends the typed Inngest event of a recorded delivery. The event id is derived from the ledger
 * row, so a second send (a redelivery of a still-pending row, the re-send job, or a send that
 * succeeded but was not marked) is dropped by Inngest's event dedupe: one run per delivery.
 * Concurrent deliveries' events share one request (`send-batch.ts`).
 */

/** How long the intake waits for Inngest before answering anyway (providers wait 5–10 s). */
export const SEND_TIMEOUT_MS = 2_500;

type DeliveryEvent = ReturnType<typeof webhookDeliveryReceived.create>;

const batcher = new EventSendBatcher<DeliveryEvent>(
  (events) => inngest.send(events),
  SEND_TIMEOUT_MS,
);

/** True when Inngest accepted the event within the timeout; never throws. */
export function sendDeliveryEvent(data: WebhookDeliveryReceivedData): Promise<boolean> {
  return batcher.send(
    webhookDeliveryReceived.create(data, { id: deliveryEventId(data.deliveryId) }),
  );
}
