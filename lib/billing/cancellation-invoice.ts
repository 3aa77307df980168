import { buildInvoice, type InvoiceDraft } from "./invoice";
import { applyRate, assertMinor } from "./money";
import type { PlanPrices } from "./plans";

/**
 * The invoice of the cycle in which a subscription is cancelled (docs/billing.md "The cycle in
 * which a subscription is cancelled"). A cycle's invoice is closed at the charge that starts the
 * next cycle and bills the Mapped Bugs of the cycle that ended; a cancelled subscription has no
 * next charge, so its last, partial cycle is closed at the cancellation instead:
 *
 * - **No base**: the charge that started the cycle paid the plan's amount (on the cycle's own
 *   invoice), and Razorpay's cancel does not refund it.
 * - **The full allowance, not prorated**: that charge paid for the whole cycle's Mapped Bugs, and
 *   Razorpay's immediate cancel gives none of it back (it documents prorated charges and refunds
 *   only for a plan *update*), so the customer keeps what they paid for; only bugs past it are
 *   overage.
 * - **Credits**: the existing rule. They lower the overage (whole credits, never below zero), and
 *   those above the overage are refunded, with their GST, on the payment of the charge that
 *   started the cycle, as a cycle invoice's credits above its overage are refunded on its charge's
 *   payment: a cancelled subscription has no next invoice to carry them to.
 * - GST on what remains for INR, none for USD, as every invoice.
 */

/** The cancellation invoice for `bugsCount` Mapped Bugs of the partial cycle. */
export function cancellationInvoice(input: {
  plan: PlanPrices;
  bugsCount: number;
  creditsOwed: number;
}): InvoiceDraft {
  const draft = buildInvoice({
    plan: { ...input.plan, baseMinor: 0 },
    bugsCount: input.bugsCount,
    creditsOwed: input.creditsOwed,
  });
  return {
    ...draft,
    lines: draft.lines.map((l) =>
      l.kind === "base"
        ? { ...l, description: `${l.description}: paid with the charge that started this period` }
        : l,
    ),
  };
}

/**
 * What a cancellation invoice refunds, in minor units: the credits it settled beyond those that
 * lowered its overage (`creditedBugs` counts both; `creditsMinor` is the part applied), each worth
 * one bug at the per-bug price, with GST for INR (rounded half up, as every invoice's tax).
 */
export function cancellationRefundMinor(invoice: {
  creditedBugs: number;
  creditsMinor: number;
  unitMinor: number;
  taxRateBp: number;
}): number {
  const unit = assertMinor(invoice.unitMinor, "per-bug price");
  if (unit === 0) return 0;
  const applied = assertMinor(invoice.creditsMinor, "credits") / unit;
  const refunded = assertMinor(invoice.creditedBugs, "credited bugs") - applied;
  if (!Number.isSafeInteger(refunded) || refunded < 0) {
    throw new RangeError(`credits applied (${applied}) do not fit the credited bugs`);
  }
  const amount = refunded * unit;
  return amount + applyRate(amount, invoice.taxRateBp);
}

/**
 * The partial cycle's invoice period: from the cycle's start to the cancellation. A cancellation
 * in the cycle's first second still closes a (one-second) period, as the table needs end > start.
 */
export function cancellationPeriod(
  cycleStart: Date,
  cancelledAt: Date,
): { start: Date; end: Date } {
  const end =
    cancelledAt.getTime() > cycleStart.getTime()
      ? cancelledAt
      : new Date(cycleStart.getTime() + 1000);
  return { start: cycleStart, end };
}

/**
 * What the invoice row and its PDF say of a cancellation invoice, in plain words: what it closes,
 * then what is to pay (the amount is the invoice's total, shown beside it). Two short sentences, so
 * the PDF sets them on two lines and a phone's narrow total column stays readable.
 */
export function cancellationNote(invoice: {
  totalMinor: number;
  overageBugs: number;
  includedBugs: number;
  /** A payment link asks the total; the payment that paid it. */
  linked: boolean;
  paid: boolean;
}): [closes: string, pay: string] {
  const closes = "Subscription cancelled: its last period, up to the cancellation.";
  if (invoice.totalMinor === 0) {
    return [
      closes,
      invoice.overageBugs > 0
        ? `Nothing to pay: the ${plural(invoice.overageBugs)} over the plan's ${invoice.includedBugs} ${invoice.overageBugs === 1 ? "was" : "were"} credited.`
        : `Nothing to pay: the Mapped Bugs stayed within the plan's ${invoice.includedBugs}.`,
    ];
  }
  const over = `${plural(invoice.overageBugs)} over the plan's ${invoice.includedBugs}`;
  if (invoice.paid) return [closes, `${over}, paid by payment link.`];
  if (invoice.linked) return [closes, `${over}: pay by Razorpay payment link.`];
  return [closes, `${over}: a Razorpay payment link follows.`];
}

function plural(n: number): string {
  return `${n} Mapped ${n === 1 ? "Bug" : "Bugs"}`;
}
