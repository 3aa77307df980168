import { applyRate, assertMinor } from "./money";
import { addonMarker } from "./overage-addon";

/**
 * What Razorpay took for a cycle: the plan's amount (the base, plus GST on it for INR), as
 * `razorpayPlanId` creates the Razorpay plan. The payment that records an invoice is this much.
 */
export function planChargeMinor(invoice: { baseMinor: number; taxRateBp: number }): number {
  const base = assertMinor(invoice.baseMinor, "base");
  return base + applyRate(base, invoice.taxRateBp);
}

/**
 * What an invoice gives back, in minor units: when its credits (mismapped bugs) are worth more
 * than its overage, the invoice's total is below the plan's charge Razorpay already took, and the
 * difference is refunded on that charge's payment (an add-on cannot be negative; see
 * docs/billing.md, "Credits above the overage: a partial refund"). The mirror of
 * `overageAddonMinor`: at most one of the two is non-zero, and charge − refund = total exactly.
 */
export function creditRefundMinor(invoice: {
  baseMinor: number;
  taxRateBp: number;
  totalMinor: number;
}): number {
  const total = assertMinor(invoice.totalMinor, "total");
  return Math.max(0, planChargeMinor(invoice) - total);
}

/**
 * The mark a refund carries in its notes (`patchline_invoice`), naming the invoice it refunds: a
 * retried job finds the refund Razorpay already made among the payment's refunds instead of
 * refunding twice. The same form as the add-on's marker.
 */
export function refundMarker(invoiceId: string): string {
  return addonMarker(invoiceId);
}

/**
 * What a refund's final state means for the invoice whose refund it is (docs/billing.md "Refund
 * status"): only a pending refund moves (a processed or failed one is final, so a replayed or late
 * event changes nothing); a processed one is recorded; a failed first attempt is tried once more
 * on the same payment; a failed second attempt is final, and the owners and admins are told.
 */
export function refundStatusStep(
  current: { status: "pending" | "processed" | "failed"; attempt: 1 | 2 },
  incoming: "processed" | "failed",
): "unchanged" | "processed" | "retry" | "final" {
  if (current.status !== "pending") return "unchanged";
  if (incoming === "processed") return "processed";
  return current.attempt === 1 ? "retry" : "final";
}

/**
 * What the invoice row and its PDF say of a credit refund, by its state (`amount` already
 * formatted: `₹280.84` on the page, `INR 280.84` in the PDF). A final failure says what Patchline
 * does: the owners and admins are told, and the amount is paid back outside Razorpay.
 */
export function refundNote(
  amount: string,
  status: "pending" | "processed" | "failed",
  attempt: 1 | 2,
): string {
  switch (status) {
    case "processed":
      return `${amount} refunded to the card/payment (credits above the overage)`;
    case "pending":
      return attempt === 1
        ? `${amount} refund pending with the bank (credits above the overage)`
        : `${amount} refund pending with the bank (second attempt, credits above the overage)`;
    case "failed":
      return attempt === 1
        ? `Refund of ${amount} failed: Patchline is trying it once more`
        : `Refund of ${amount} failed twice: we will pay it back to the billing contact by bank transfer`;
  }
}
