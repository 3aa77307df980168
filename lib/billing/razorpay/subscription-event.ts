import { z } from "zod";
import type { BillingActionNeeded, SubscriptionStatus } from "@/lib/supabase/billing.types";
import type { RazorpayPayload } from "@/lib/webhooks/payloads";

/**
 * What a Razorpay delivery means for a workspace's subscription, decided from the event alone
 * (pure, unit-tested): the status it moves to, the billing period it reports, whether the owner
 * must act, and the charge to invoice. The consumer applies it only when the event is not older
 * than the last one applied (`isNewer`), so a late or replayed event cannot undo a newer state.
 */

export const RAZORPAY_SUBSCRIPTION_EVENTS = [
  "subscription.activated",
  "subscription.charged",
  "subscription.pending",
  "subscription.halted",
  "subscription.cancelled",
  "payment.failed",
] as const;
export type RazorpaySubscriptionEvent = (typeof RAZORPAY_SUBSCRIPTION_EVENTS)[number];

const unixSeconds = z.number().int().nonnegative();
const subscriptionEntity = z.object({
  id: z.string().min(1).max(100),
  plan_id: z.string().max(100).optional(),
  status: z.string().max(40).optional(),
  current_start: unixSeconds.nullish(),
  current_end: unixSeconds.nullish(),
});
const paymentEntity = z.object({
  id: z.string().min(1).max(100),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  invoice_id: z.string().max(100).nullish(),
  // Razorpay puts the subscription on a subscription's payments when it knows it
  subscription_id: z.string().max(100).nullish(),
  created_at: unixSeconds.optional(),
});

export interface Charge {
  paymentId: string;
  razorpayInvoiceId: string | null;
  amountMinor: number;
  currency: string;
}

export interface SubscriptionEventEffect {
  event: RazorpaySubscriptionEvent;
  /** When Razorpay created the event: the order events are applied in. */
  eventAt: Date;
  /** The Razorpay subscription the event is about (null: a payment without one). */
  subscriptionId: string | null;
  /** The status to record, or null when the event does not change it (a failed payment). */
  status: SubscriptionStatus | null;
  /** The billing period Razorpay reports (activated, charged). */
  period: { start: Date; end: Date } | null;
  /** The owner must act (set), or the last problem is solved (clear), or neither (null). */
  action: { set: BillingActionNeeded } | { clear: true } | null;
  /** A successful charge: closes the period's invoice. */
  charge: Charge | null;
}

/** One calendar month later, in UTC (Razorpay's monthly cycle when it reports no end). */
export function addMonth(d: Date): Date {
  const next = new Date(d.getTime());
  next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

function periodOf(
  entity: z.infer<typeof subscriptionEntity> | null,
  fallbackStart: Date,
): { start: Date; end: Date } {
  if (entity?.current_start && entity.current_end && entity.current_end > entity.current_start) {
    return {
      start: new Date(entity.current_start * 1000),
      end: new Date(entity.current_end * 1000),
    };
  }
  const start = entity?.current_start ? new Date(entity.current_start * 1000) : fallbackStart;
  return { start, end: addMonth(start) };
}

/**
 * The effect of a Razorpay delivery on the subscription, or null for an event billing does not
 * handle (payment.captured: `subscription.charged` carries the same payment) or one whose
 * entities are not the shape Razorpay documents.
 */
export function subscriptionEventEffect(payload: RazorpayPayload): SubscriptionEventEffect | null {
  const event = RAZORPAY_SUBSCRIPTION_EVENTS.find((e) => e === payload.event);
  if (!event) return null;
  const eventAt = new Date(payload.created_at * 1000);
  const rawSub = payload.payload.subscription?.entity;
  const rawPayment = payload.payload.payment?.entity;
  const sub = rawSub ? subscriptionEntity.safeParse(rawSub) : null;
  const payment = rawPayment ? paymentEntity.safeParse(rawPayment) : null;
  if (sub && !sub.success) return null;
  if (payment && !payment.success) return null;
  const subscription = sub?.data ?? null;
  const pay = payment?.data ?? null;
  const base = {
    event,
    eventAt,
    subscriptionId: subscription?.id ?? pay?.subscription_id ?? null,
    period: null,
    action: null,
    charge: null,
  };

  switch (event) {
    case "subscription.activated":
      if (!subscription) return null;
      return { ...base, status: "active", period: periodOf(subscription, eventAt) };
    case "subscription.charged":
      if (!subscription || !pay) return null;
      return {
        ...base,
        status: "active",
        period: periodOf(subscription, new Date((pay.created_at ?? payload.created_at) * 1000)),
        action: { clear: true },
        charge: {
          paymentId: pay.id,
          razorpayInvoiceId: pay.invoice_id ?? null,
          amountMinor: pay.amount,
          currency: pay.currency,
        },
      };
    case "subscription.pending":
      // Razorpay is retrying the charge: the card needs attention, work goes on
      if (!subscription) return null;
      return { ...base, status: "pending", action: { set: "payment_failed" } };
    case "subscription.halted":
      if (!subscription) return null;
      return { ...base, status: "halted", action: { set: "halted" } };
    case "subscription.cancelled":
      if (!subscription) return null;
      return { ...base, status: "cancelled", action: { clear: true } };
    case "payment.failed":
      if (!pay) return null;
      return { ...base, status: null, action: { set: "payment_failed" } };
  }
}

/** Whether an event created at `eventAt` may change a row whose newest applied event is `appliedAt`. */
export function isNewer(eventAt: Date, appliedAt: Date | null): boolean {
  // same second: Razorpay's timestamps are seconds, and activated + charged share one
  return appliedAt === null || eventAt.getTime() >= appliedAt.getTime();
}
