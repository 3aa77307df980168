import { applyRate, assertMinor } from "./money";

/**
 * What an invoice asks beyond the plan's own Razorpay charge, in minor units: Razorpay charges a
 * subscription its plan's amount each cycle (the base, plus GST for INR: `razorpayPlanId`
 * creates the plan with that amount), so the invoice's overage less its credits, with their GST,
 * is what an add-on must collect. Computed from the totals (total − (base + GST on the base)), so
 * the charge and the add-on add up to the invoice's total exactly. Never negative: a credit worth
 * more than the overage lowers the invoice below the plan's charge, and an add-on cannot refund
 * (see docs/billing.md, "Overage on Razorpay").
 */
export function overageAddonMinor(invoice: {
  baseMinor: number;
  taxRateBp: number;
  totalMinor: number;
}): number {
  const base = assertMinor(invoice.baseMinor, "base");
  const total = assertMinor(invoice.totalMinor, "total");
  const planCharge = base + applyRate(base, invoice.taxRateBp);
  return Math.max(0, total - planCharge);
}

/**
 * The mark an add-on carries in its item description, naming the invoice it charges: a retried
 * job finds the add-on Razorpay already created by it instead of creating a second one.
 */
export function addonMarker(invoiceId: string): string {
  return `patchline-invoice:${invoiceId}`;
}
