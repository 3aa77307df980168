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
