import "server-only";
import { buildInvoice } from "@/lib/billing/invoice";
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
 * `public.billing_record_invoice`, so a redelivered or late charge changes nothing.
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
  const { data: plan, error: planError } = await admin
    .from("plans")
    .select("*")
    .eq("id", input.planId)
    .single();
  if (planError) throw new Error(`read plan: ${planError.message}`);

  let bugsCount = 0;
  if (input.usageWindow && input.usageWindow.end > input.usageWindow.start) {
    const { count, error } = await admin
      .from("bugs")
      .select("id", { count: "exact", head: true })
      .eq("organization_id", organizationId)
      .gte("billed_at", input.usageWindow.start.toISOString())
      .lt("billed_at", input.usageWindow.end.toISOString());
    if (error) throw new Error(`count billed bugs: ${error.message}`);
    bugsCount = count ?? 0;
  }
  const { count: creditsOwed, error: creditsError } = await admin
    .from("bug_credits")
    .select("id", { count: "exact", head: true })
    .eq("organization_id", organizationId)
    .is("invoice_id", null);
  if (creditsError) throw new Error(`count credits: ${creditsError.message}`);

  const draft = buildInvoice({
    plan: planPrices(plan, input.currency),
    bugsCount,
    creditsOwed: creditsOwed ?? 0,
  });
  const invoice = {
    period_start: input.period.start.toISOString(),
    period_end: input.period.end.toISOString(),
    plan_id: input.planId,
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
    status: "paid",
    razorpay_invoice_id: input.charge.razorpayInvoiceId,
    razorpay_payment_id: input.charge.paymentId,
    paid_at: input.paidAt.toISOString(),
  };
  const lines = draft.lines.map((l) => ({
    kind: l.kind,
    description:
      l.kind === "overage" && input.usageWindow
        ? `${l.description} (previous period)`
        : l.description,
    quantity: l.quantity,
    unit_minor: l.unitMinor,
    amount_minor: l.amountMinor,
  }));
  const { data, error } = await admin.rpc("billing_record_invoice", {
    p_organization_id: organizationId,
    p_invoice: invoice as unknown as Json,
    p_lines: lines as unknown as Json,
    p_credited_bugs: draft.creditedBugs,
  });
  if (error) throw new Error(`record invoice: ${error.message}`);
  const row = data?.[0];
  if (!row) throw new Error("record invoice returned nothing");
  return { invoiceId: row.invoice_id, created: row.created };
}
