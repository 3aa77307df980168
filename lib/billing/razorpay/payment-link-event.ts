import { z } from "zod";
import type { RazorpayPayload } from "@/lib/webhooks/payloads";

/**
 * `payment_link.paid` (pure, unit-tested): Razorpay's "Payment Links webhook events" carry the
 * `payment_link`, `order` and `payment` entities. Billing acts on a link it made for an add-on left
 * pending at a cancellation (its `reference_id` is the invoice id): the payment collects it.
 */

export const RAZORPAY_PAYMENT_LINK_EVENTS = ["payment_link.paid"] as const;

const linkEntity = z.object({
  id: z.string().min(1).max(100),
  status: z.literal("paid"),
  amount: z.number().int().positive(),
  amount_paid: z.number().int().nonnegative(),
  currency: z.string().length(3),
  reference_id: z.string().max(40).nullish(),
});
const paymentEntity = z.object({
  id: z.string().min(1).max(100),
  amount: z.number().int().positive(),
  status: z.literal("captured"),
});

export interface PaymentLinkPaidEffect {
  eventAt: Date;
  paymentLinkId: string;
  referenceId: string | null;
  paymentId: string;
  amountMinor: number;
}

export function paymentLinkPaidEffect(payload: RazorpayPayload): PaymentLinkPaidEffect | null {
  if (payload.event !== "payment_link.paid") return null;
  const link = linkEntity.safeParse(payload.payload.payment_link?.entity);
  const payment = paymentEntity.safeParse(payload.payload.payment?.entity);
  if (!link.success || !payment.success) return null;
  // paid in full: the amount asked, no partial payment
  if (link.data.amount_paid !== link.data.amount) return null;
  return {
    eventAt: new Date(payload.created_at * 1000),
    paymentLinkId: link.data.id,
    referenceId: link.data.reference_id || null,
    paymentId: payment.data.id,
    amountMinor: payment.data.amount,
  };
}
