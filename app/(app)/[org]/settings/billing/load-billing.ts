import "server-only";
import { creditRefundMinor } from "@/lib/billing/credit-refund";
import { buildInvoice, type InvoiceDraft } from "@/lib/billing/invoice";
import { listInvoices } from "@/lib/billing/invoices/read";
import { type MeterTerms, meterTerms, usage as usageOf } from "@/lib/billing/meter";
import type { Currency } from "@/lib/billing/money";
import { overageAddonMinor } from "@/lib/billing/overage-addon";
import { planPrices } from "@/lib/billing/plans";
import { type TrialState, trialState } from "@/lib/billing/trial";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * What Settings → Billing shows, read with the member's own session (RLS: billing.read): the
 * subscription, the active plans, this period's usage from the meter (bugs' billed_at), the
 * next invoice as it stands, the invoices and the billing details.
 */
export async function loadBilling(supabase: ServerSupabaseClient, organizationId: string) {
  const [subscription, plans, details] = await Promise.all([
    supabase.from("subscriptions").select("*").eq("organization_id", organizationId).single(),
    supabase.from("plans").select("*").order("sort_order"),
    supabase
      .from("billing_details")
      .select("*")
      .eq("organization_id", organizationId)
      .maybeSingle(),
  ]);
  if (subscription.error) throw new Error(`read subscription: ${subscription.error.message}`);
  if (plans.error) throw new Error(`read plans: ${plans.error.message}`);
  if (details.error) throw new Error(`read billing details: ${details.error.message}`);
  const sub = subscription.data;
  const plan = plans.data.find((p) => p.id === sub.plan_id) ?? null;
  const now = new Date();
  const trial = {
    startedAt: new Date(sub.trial_started_at),
    endsAt: new Date(sub.trial_ends_at),
    bugLimit: sub.trial_bug_limit,
  };

  // the window the meter counts in: the trial's, or the paid period's
  const window =
    sub.status === "trialing" || !sub.current_period_start || !sub.current_period_end
      ? { start: trial.startedAt, end: trial.endsAt }
      : { start: new Date(sub.current_period_start), end: new Date(sub.current_period_end) };
  const billed = await supabase
    .from("bugs")
    .select("billed_at")
    .eq("organization_id", organizationId)
    .gte("billed_at", window.start.toISOString())
    .lt("billed_at", window.end.toISOString())
    .order("billed_at")
    .limit(10_000);
  if (billed.error) throw new Error(`read meter: ${billed.error.message}`);
  const billedAts = billed.data.flatMap((b) => (b.billed_at ? [new Date(b.billed_at)] : []));

  const terms: MeterTerms = meterTerms(
    {
      status: sub.status,
      trial,
      currentPeriod:
        sub.current_period_start && sub.current_period_end
          ? { start: new Date(sub.current_period_start), end: new Date(sub.current_period_end) }
          : null,
      overageCap: sub.overage_cap,
    },
    plan?.included_bugs ?? null,
    billedAts,
    now,
  );
  const trialNow: TrialState | null =
    sub.status === "trialing" ? trialState(trial, billedAts, now) : null;
  const currency: Currency =
    sub.currency ?? (details.data && details.data.country !== "IN" ? "USD" : "INR");

  const usage = usageOf(billedAts.length, terms);

  // The next invoice as it stands: what `closePeriodInvoice` would record at the renewal (this
  // period's Mapped Bugs, every credit not yet applied), and how Razorpay collects it (an
  // add-on for the overage less credits, or a refund of the credits above the overage).
  let nextInvoice: {
    draft: InvoiceDraft;
    addonMinor: number;
    refundMinor: number;
    renewsAt: Date;
  } | null = null;
  const live = sub.status === "active" || sub.status === "pending" || sub.status === "halted";
  if (live && plan && sub.currency && sub.current_period_end) {
    const credits = await supabase
      .from("bug_credits")
      .select("id", { count: "exact", head: true })
      .eq("organization_id", organizationId)
      .is("invoice_id", null);
    if (credits.error) throw new Error(`read credits: ${credits.error.message}`);
    const draft = buildInvoice({
      plan: planPrices(plan, sub.currency),
      bugsCount: usage.used,
      creditsOwed: credits.count ?? 0,
    });
    nextInvoice = {
      draft,
      addonMinor: overageAddonMinor(draft),
      refundMinor: creditRefundMinor(draft),
      renewsAt: new Date(sub.current_period_end),
    };
  }

  return {
    subscription: sub,
    plan,
    plans: plans.data,
    currency,
    trial: trialNow,
    window,
    usage,
    nextInvoice,
    invoices: await listInvoices(supabase, organizationId),
    details: details.data,
  };
}

export type BillingView = Awaited<ReturnType<typeof loadBilling>>;
