import "server-only";
import { cancellationInvoice, cancellationPeriod } from "@/lib/billing/cancellation-invoice";
import { buildInvoice, type InvoiceDraft } from "@/lib/billing/invoice";
import type { Currency } from "@/lib/billing/money";
import { planPrices } from "@/lib/billing/plans";
import type { Charge } from "@/lib/billing/razorpay/subscription-event";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";

/**
 * Closes the invoice of a `subscription.charged`: Razorpay charges the plan's base at the start
 * of each cycle, so the invoice is dated to the cycle the charge starts (`period`) and carries
 * the base, the Mapped Bugs the meter billed in the cycle that just ended (`usageWindow`; none
 * for the first charge after the trial, whose bugs are free) with their overage, the credits
 * owed, and GST for INR. Recorded once per (workspace, period start) by
 * `public.billing_record_invoice`, so a redelivered or late charge changes nothing. The cycle a
 * cancellation cuts short has no next charge: `closeCancelledCycle` closes it at the cancellation.
 */

export interface ClosePeriodInput {
  organizationId: string;
  planId: string;
  currency: Currency;
  /** The cycle the charge pays for. */
  period: { start: Date; end: Date };
  /** The paid cycle that ended (bugs counted), or null on the first charge. */
  usageWindow: { start: Date; end: Date } | null;
  charge: Charge;
  paidAt: Date;
}

export async function closePeriodInvoice(
  admin: AdminSupabaseClient,
  input: ClosePeriodInput,
): Promise<{ invoiceId: string; created: boolean }> {
  const { organizationId } = input;
  const plan = await readPlan(admin, input.planId);
  const bugsCount =
    input.usageWindow && input.usageWindow.end > input.usageWindow.start
      ? await countBilled(admin, organizationId, input.usageWindow)
      : 0;
  const draft = buildInvoice({
    plan: planPrices(plan, input.currency),
    bugsCount,
    creditsOwed: await countCreditsOwed(admin, organizationId),
  });
  return recordInvoice(admin, organizationId, draft, {
    invoice: {
      period_start: input.period.start.toISOString(),
      period_end: input.period.end.toISOString(),
      plan_id: input.planId,
      status: "paid",
      razorpay_invoice_id: input.charge.razorpayInvoiceId,
      razorpay_payment_id: input.charge.paymentId,
      paid_at: input.paidAt.toISOString(),
    },
    overageNote: input.usageWindow ? " (previous period)" : "",
  });
}

/**
 * Closes the cycle in which the workspace's subscription `subscriptionId` was cancelled
 * (`cancellationInvoice`: its Mapped Bugs from the cycle's start, no base, the credits owed), once:
 * recorded per (workspace, kind, period start) by `public.billing_record_invoice`, so a replayed
 * delivery or a retried step returns the invoice already there. Runs after the subscription row
 * became `cancelled`, so the meter bills nothing more (new bugs are held) and every Mapped Bug
 * billed since the cycle's start is this invoice's. Nothing when the row is not that
 * subscription, cancelled, with a paid cycle (a subscription cancelled before its first charge:
 * its trial's bugs are free).
 */
export async function closeCancelledCycle(
  admin: AdminSupabaseClient,
  organizationId: string,
  subscriptionId: string,
): Promise<{ invoiceId: string; created: boolean } | null> {
  const { data: row, error } = await admin
    .from("subscriptions")
    .select(
      "status, plan_id, currency, current_period_start, cancelled_at, razorpay_subscription_id",
    )
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read subscription: ${error.message}`);
  if (
    !row ||
    row.razorpay_subscription_id !== subscriptionId ||
    row.status !== "cancelled" ||
    !row.current_period_start ||
    !row.cancelled_at ||
    !row.plan_id ||
    !row.currency
  ) {
    return null;
  }
  const period = cancellationPeriod(new Date(row.current_period_start), new Date(row.cancelled_at));
  const plan = await readPlan(admin, row.plan_id);
  // up to now: nothing is billed once cancelled, so this is every bug of the partial cycle, even
  // one billed between Razorpay's cancellation and its delivery
  const bugsCount = await countBilled(admin, organizationId, {
    start: period.start,
    end: new Date(),
  });
  const draft = cancellationInvoice({
    plan: planPrices(plan, row.currency),
    bugsCount,
    creditsOwed: await countCreditsOwed(admin, organizationId),
  });
  const nothingToPay = draft.totalMinor === 0;
  // credits above the overage: refunded on the payment of the charge that started the cycle (the
  // cycle's own invoice holds it), so the invoice settles them too; without that payment they wait
  const refundPaymentId =
    draft.creditsCarried > 0 ? await cyclePaymentId(admin, organizationId, period.start) : null;
  return recordInvoice(admin, organizationId, draft, {
    creditedBugs: draft.creditedBugs + (refundPaymentId ? draft.creditsCarried : 0),
    invoice: {
      period_start: period.start.toISOString(),
      period_end: period.end.toISOString(),
      plan_id: row.plan_id,
      kind: "cancellation",
      razorpay_subscription_id: subscriptionId,
      // nothing owed is settled at once; an amount owed is asked by payment link, paid by it
      status: nothingToPay ? "paid" : "issued",
      razorpay_invoice_id: null,
      razorpay_payment_id: refundPaymentId,
      paid_at: nothingToPay ? period.end.toISOString() : null,
    },
    overageNote: "",
  });
}

/** The payment of the charge that started the cycle beginning at `start` (its invoice's). */
async function cyclePaymentId(
  admin: AdminSupabaseClient,
  organizationId: string,
  start: Date,
): Promise<string | null> {
  const { data, error } = await admin
    .from("invoices")
    .select("razorpay_payment_id")
    .eq("organization_id", organizationId)
    .eq("kind", "cycle")
    .eq("period_start", start.toISOString())
    .maybeSingle();
  if (error) throw new Error(`read the cycle's invoice: ${error.message}`);
  return data?.razorpay_payment_id ?? null;
}

async function readPlan(admin: AdminSupabaseClient, planId: string) {
  const { data: plan, error } = await admin.from("plans").select("*").eq("id", planId).single();
  if (error) throw new Error(`read plan: ${error.message}`);
  return plan;
}

/** Mapped Bugs whose billed_at is in [start, end). */
async function countBilled(
  admin: AdminSupabaseClient,
  organizationId: string,
  window: { start: Date; end: Date },
): Promise<number> {
  const { count, error } = await admin
    .from("bugs")
    .select("id", { count: "exact", head: true })
    .eq("organization_id", organizationId)
    .gte("billed_at", window.start.toISOString())
    .lt("billed_at", window.end.toISOString());
  if (error) throw new Error(`count billed bugs: ${error.message}`);
  return count ?? 0;
}

/** Credits not yet applied to an invoice: this period's and those carried. */
async function countCreditsOwed(admin: AdminSupabaseClient, organizationId: string) {
  const { count, error } = await admin
    .from("bug_credits")
    .select("id", { count: "exact", head: true })
    .eq("organization_id", organizationId)
    .is("invoice_id", null);
  if (error) throw new Error(`count credits: ${error.message}`);
  return count ?? 0;
}

async function recordInvoice(
  admin: AdminSupabaseClient,
  organizationId: string,
  draft: InvoiceDraft,
  what: {
    invoice: Record<string, string | null>;
    overageNote: string;
    /** Credits the invoice settles (default: those it applies). */
    creditedBugs?: number;
  },
): Promise<{ invoiceId: string; created: boolean }> {
  const invoice = {
    ...what.invoice,
    currency: draft.currency,
    included_bugs: draft.includedBugs,
    bugs_count: draft.bugsCount,
    overage_bugs: draft.overageBugs,
    base_minor: draft.baseMinor,
    overage_minor: draft.overageMinor,
    credits_minor: draft.creditsMinor,
    subtotal_minor: draft.subtotalMinor,
    tax_rate_bp: draft.taxRateBp,
    tax_minor: draft.taxMinor,
    total_minor: draft.totalMinor,
  };
  const lines = draft.lines.map((l) => ({
    kind: l.kind,
    description: l.kind === "overage" ? `${l.description}${what.overageNote}` : l.description,
    quantity: l.quantity,
    unit_minor: l.unitMinor,
    amount_minor: l.amountMinor,
  }));
  const { data, error } = await admin.rpc("billing_record_invoice", {
    p_organization_id: organizationId,
    p_invoice: invoice as unknown as Json,
    p_lines: lines as unknown as Json,
    p_credited_bugs: what.creditedBugs ?? draft.creditedBugs,
  });
  if (error) throw new Error(`record invoice: ${error.message}`);
  const row = data?.[0];
  if (!row) throw new Error("record invoice returned nothing");
  return { invoiceId: row.invoice_id, created: row.created };
}
