import type { Inngest } from "inngest";
import { NonRetriableError } from "inngest";
import { RAZORPAY_SUBSCRIPTION_EVENTS } from "@/lib/billing/razorpay/subscription-event";
import { inngest } from "../client";
import { billingActionNeeded, webhookDeliveryReceived } from "../events";

/**
 * The consumer of Razorpay deliveries (`subscription.activated/charged/pending/halted/cancelled`,
 * `payment.failed`): moves the workspace's subscription, closes the charged cycle's invoice and,
 * when a payment failed or the subscription halted, records "action needed" and emits
 * `billing/action.needed` (event id `billing-action-needed:<deliveryId>`) for the notifications.
 * Runs one at a time per workspace so two events of one subscription never race.
 */
export const razorpaySubscriptionEvents = defineRazorpaySubscriptionEvents(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineRazorpaySubscriptionEvents(client: Inngest) {
  return client.createFunction(
    {
      id: "razorpay-subscription-events",
      triggers: [
        {
          event: webhookDeliveryReceived,
          // the executor's CEL subset has no startsWith: the events, one by one
          if: `event.data.provider == 'razorpay' && (${RAZORPAY_SUBSCRIPTION_EVENTS.map((e) => `event.data.eventType == '${e}'`).join(" || ")})`,
        },
      ],
      concurrency: { limit: 1, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "razorpay") return { ignored: "not razorpay" };
      const { subscriptionEventEffect } = await import("@/lib/billing/razorpay/subscription-event");
      const effect = subscriptionEventEffect(data.payload);
      if (!effect) return { ignored: "not a subscription event" };
      const { organizationId, deliveryId } = data;

      const outcome = await step.run("apply", async () => {
        const { createAdminClient } = await import("@/lib/supabase/admin");
        const { applySubscriptionEvent } = await import("@/lib/billing/razorpay/apply-event");
        const admin = await createAdminClient({
          reason: "apply a Razorpay subscription event",
          organizationId,
        });
        try {
          return await applySubscriptionEvent(admin, organizationId, effect);
        } catch (error) {
          // a constraint the event's data breaks will break again: do not retry it
          if (error instanceof Error && /violates|invalid input/.test(error.message)) {
            throw new NonRetriableError(error.message);
          }
          throw error;
        }
      });

      if (outcome.applied && outcome.actionRaised && effect.action && "set" in effect.action) {
        await step.sendEvent(
          "emit-action-needed",
          billingActionNeeded.create(
            {
              organizationId,
              reason: effect.action.set,
              razorpaySubscriptionId: effect.subscriptionId,
              occurredAt: effect.eventAt.toISOString(),
            },
            { id: `billing-action-needed:${deliveryId}` },
          ),
        );
      }
      return { event: effect.event, ...outcome };
    },
  );
}
