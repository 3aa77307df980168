import { z } from "zod";
import type { RefundStatus } from "@/lib/supabase/billing.types";
import type { RazorpayPayload } from "@/lib/webhooks/payloads";

/**
 * What a Razorpay refund delivery says (pure, unit-tested): `refund.processed` (the bank paid it)
 * or `refund.failed` (Razorpay could not), each with the refund entity (`id`, `amount`,
 * `payment_id`, `status`, `notes`) and its payment, as Razorpay's "Refunds webhook events" show
 * them. `refund.created` is not acted on: the step that made the refund stored Razorpay's answer.
 */

export const RAZORPAY_REFUND_EVENTS = ["refund.processed", "refund.failed"] as const;
export type RazorpayRefundEvent = (typeof RAZORPAY_REFUND_EVENTS)[number];

const refundEntity = z.object({
  id: z.string().min(1).max(100),
  entity: z.literal("refund"),
  amount: z.number().int().positive(),
  currency: z.string().length(3),
  payment_id: z.string().min(1).max(100),
  status: z.enum(["pending", "processed", "failed"]),
  // Razorpay sends empty notes as []
  notes: z
    .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .nullish()
    .transform((n) => (n && !Array.isArray(n) ? n : {})),
});

export interface RefundEventEffect {
  event: RazorpayRefundEvent;
  /** When Razorpay created the event. */
  eventAt: Date;
  refundId: string;
  paymentId: string;
  amountMinor: number;
  /** The refund's final state the event tells. */
  status: Extract<RefundStatus, "processed" | "failed">;
}

/** The refund event's effect, or null for another event or a refund not shaped as documented. */
export function refundEventEffect(payload: RazorpayPayload): RefundEventEffect | null {
  const event = RAZORPAY_REFUND_EVENTS.find((e) => e === payload.event);
  if (!event) return null;
  const parsed = refundEntity.safeParse(payload.payload.refund?.entity);
  if (!parsed.success) return null;
  const refund = parsed.data;
  const status = event === "refund.processed" ? "processed" : "failed";
  // the entity must agree with the event: a processed event about a failed refund is not one
  if (refund.status !== status) return null;
  return {
    event,
    eventAt: new Date(payload.created_at * 1000),
    refundId: refund.id,
    paymentId: refund.payment_id,
    amountMinor: refund.amount,
    status,
  };
}
