import type { Inngest } from "inngest";
import { NonRetriableError } from "inngest";
import { RAZORPAY_PAYMENT_LINK_EVENTS } from "@/lib/billing/razorpay/payment-link-event";
import { RAZORPAY_REFUND_EVENTS } from "@/lib/billing/razorpay/refund-event";
import { RAZORPAY_SUBSCRIPTION_EVENTS } from "@/lib/billing/razorpay/subscription-event";
import { inngest } from "../client";
import { billingActionNeeded, webhookDeliveryReceived } from "../events";

/**
 * The consumer of Razorpay deliveries (`subscription.activated/charged/pending/halted/cancelled`,
 * `payment.failed`): moves the workspace's subscription, closes the charged cycle's invoice (and
 * charges what it adds to the plan's amount as a Razorpay add-on on the next cycle, or refunds
 * what it is below that amount on the charge's payment) and,
 * when a payment failed or the subscription halted, records "action needed" and emits
 * `billing/action.needed` (event id `billing-action-needed:<deliveryId>`) for the notifications.
 * It also follows the credit refunds it made (`refund.processed`, `refund.failed`): the invoice
 * keeps the refund's state, a failed refund is tried once more, and a second failure is told to
 * the owners and admins (`billing-refund-failed:<invoiceId>`, once). At a cancellation the add-ons
 * still pending are asked with a Razorpay payment link, the cycle cut short is closed into an
 * invoice whose amount is asked the same way, and `payment_link.paid` collects them.
 * Runs one at a time per workspace so two events of one subscription never race, and a refund's
 * event waits for the run that made the refund to have stored it.
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
          if: `event.data.provider == 'razorpay' && (${[...RAZORPAY_SUBSCRIPTION_EVENTS, ...RAZORPAY_REFUND_EVENTS, ...RAZORPAY_PAYMENT_LINK_EVENTS].map((e) => `event.data.eventType == '${e}'`).join(" || ")})`,
        },
      ],
      concurrency: { limit: 1, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "razorpay") return { ignored: "not razorpay" };
      const { paymentLinkPaidEffect } = await import("@/lib/billing/razorpay/payment-link-event");
      const linkPaid = paymentLinkPaidEffect(data.payload);
      if (linkPaid) {
        const { organizationId } = data;
        const marked = await step.run("addon-link-paid", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { markAddonLinkPaid } = await import("@/lib/billing/razorpay/overage-addon");
          const admin = await createAdminClient({
            reason: "mark an add-on collected by its payment link",
            organizationId,
          });
          return markAddonLinkPaid(admin, organizationId, {
            paymentLinkId: linkPaid.paymentLinkId,
            paymentId: linkPaid.paymentId,
            at: linkPaid.eventAt,
          });
        });
        return { event: "payment_link.paid", ...marked };
      }
      const { refundEventEffect } = await import("@/lib/billing/razorpay/refund-event");
      const refundEffect = refundEventEffect(data.payload);
      if (refundEffect) {
        const { organizationId } = data;
        const recorded = await step.run("refund-status", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { applyRefundEvent } = await import("@/lib/billing/razorpay/credit-refund");
          const admin = await createAdminClient({
            reason: "record a Razorpay credit refund's status",
            organizationId,
          });
          return applyRefundEvent(admin, organizationId, refundEffect);
        });
        if (recorded.status !== "recorded" || recorded.next === "none") {
          return { event: refundEffect.event, ...recorded };
        }
        let final = recorded.next === "final";
        if (recorded.next === "retry") {
          const retried = await step.run("retry-refund", async () => {
            const { createAdminClient } = await import("@/lib/supabase/admin");
            const { retryFailedRefund } = await import("@/lib/billing/razorpay/credit-refund");
            const admin = await createAdminClient({
              reason: "retry a failed Razorpay credit refund once",
              organizationId,
            });
            return retryFailedRefund(admin, organizationId, recorded.invoiceId);
          });
          final =
            retried.status === "refused" ||
            (retried.status === "retried" && retried.refundStatus === "failed");
        }
        if (final) {
          await step.sendEvent(
            "emit-refund-failed",
            billingActionNeeded.create(
              {
                organizationId,
                reason: "refund_failed",
                razorpaySubscriptionId: null,
                occurredAt: refundEffect.eventAt.toISOString(),
              },
              // once per invoice, whichever delivery found the refund failed for good
              { id: `billing-refund-failed:${recorded.invoiceId}` },
            ),
          );
        }
        return { event: refundEffect.event, ...recorded, final };
      }
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

      // The charge closed an invoice: what it adds to the plan's charge (overage less credits,
      // with GST) becomes an add-on Razorpay collects with the next cycle; add-ons of earlier
      // invoices that this charge billed are marked collected.
      const charge = effect.charge;
      const subscriptionId = effect.subscriptionId;
      const invoice = outcome.invoice;
      if (charge && subscriptionId && invoice) {
        await step.run("addons-collected", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { markAddonsCollected } = await import("@/lib/billing/razorpay/overage-addon");
          const admin = await createAdminClient({
            reason: "mark Razorpay add-ons collected",
            organizationId,
          });
          return markAddonsCollected(admin, organizationId, {
            paymentId: charge.paymentId,
            razorpayInvoiceId: charge.razorpayInvoiceId,
            at: effect.eventAt,
          });
        });
        await step.run("charge-overage", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { chargeInvoiceOverage } = await import("@/lib/billing/razorpay/overage-addon");
          const admin = await createAdminClient({
            reason: "charge an invoice's overage as a Razorpay add-on",
            organizationId,
          });
          return chargeInvoiceOverage(admin, organizationId, invoice.invoiceId, subscriptionId);
        });
        // Credits worth more than the overage leave the invoice below the plan's charge Razorpay
        // just took: the difference is refunded on the payment that recorded the invoice.
        const refunded = await step.run("refund-credit", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { refundInvoiceCredit } = await import("@/lib/billing/razorpay/credit-refund");
          const admin = await createAdminClient({
            reason: "refund an invoice's credits above its overage on Razorpay",
            organizationId,
          });
          return refundInvoiceCredit(admin, organizationId, invoice.invoiceId);
        });
        // Razorpay may answer a refund failed at once: its one retry is made now (no later
        // refund.failed would move a refund that is no longer pending). Only for the refund this
        // run made: a replayed charge finds it stored and leaves it to the refund events.
        if (refunded.status === "created" && refunded.refundStatus === "failed") {
          const retried = await step.run("retry-refund", async () => {
            const { createAdminClient } = await import("@/lib/supabase/admin");
            const { retryFailedRefund } = await import("@/lib/billing/razorpay/credit-refund");
            const admin = await createAdminClient({
              reason: "retry a failed Razorpay credit refund once",
              organizationId,
            });
            return retryFailedRefund(admin, organizationId, invoice.invoiceId);
          });
          if (
            retried.status === "refused" ||
            (retried.status === "retried" && retried.refundStatus === "failed")
          ) {
            await step.sendEvent(
              "emit-refund-failed",
              billingActionNeeded.create(
                {
                  organizationId,
                  reason: "refund_failed",
                  razorpaySubscriptionId: subscriptionId,
                  occurredAt: effect.eventAt.toISOString(),
                },
                { id: `billing-refund-failed:${invoice.invoiceId}` },
              ),
            );
          }
        }
      }

      // Cancelled: the add-ons still pending would never be charged (no next charge): each is
      // asked with a payment link instead, and removed from the subscription
      if (
        effect.event === "subscription.cancelled" &&
        subscriptionId &&
        (outcome.applied || outcome.reason !== "no_subscription")
      ) {
        await step.run("collect-pending-addons", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { collectPendingAddons } = await import("@/lib/billing/razorpay/overage-addon");
          const admin = await createAdminClient({
            reason: "ask add-ons pending at a cancellation by payment link",
            organizationId,
          });
          return collectPendingAddons(admin, organizationId, subscriptionId);
        });
        // The cycle the cancellation cut short was never invoiced (an invoice closes at the next
        // charge): it is closed now, once, after the row became cancelled (no bug is billed past
        // this point), and what it asks is asked by payment link like a pending add-on.
        const closed = await step.run("close-cancelled-cycle", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const { closeCancelledCycle } = await import("@/lib/billing/invoices/close-period");
          const admin = await createAdminClient({
            reason: "close the cycle a cancellation cut short into an invoice",
            organizationId,
          });
          return closeCancelledCycle(admin, organizationId, subscriptionId);
        });
        if (closed) {
          await step.run("ask-cancelled-cycle", async () => {
            const { createAdminClient } = await import("@/lib/supabase/admin");
            const { askCancellationInvoice } = await import("@/lib/billing/razorpay/overage-addon");
            const admin = await createAdminClient({
              reason: "ask a cancellation invoice's amount by payment link",
              organizationId,
            });
            return askCancellationInvoice(admin, organizationId, closed.invoiceId);
          });
          // credits above its overage: refunded on the payment of the charge that started the
          // cycle, as a charge's invoice refunds its own (followed by the same refund events)
          await step.run("refund-cancelled-cycle-credit", async () => {
            const { createAdminClient } = await import("@/lib/supabase/admin");
            const { refundInvoiceCredit } = await import("@/lib/billing/razorpay/credit-refund");
            const admin = await createAdminClient({
              reason: "refund a cancellation invoice's credits above its overage on Razorpay",
              organizationId,
            });
            return refundInvoiceCredit(admin, organizationId, closed.invoiceId);
          });
        }
      }

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
