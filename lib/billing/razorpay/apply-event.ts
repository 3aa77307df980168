import "server-only";
import { closePeriodInvoice } from "@/lib/billing/invoices/close-period";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { BillingActionNeeded, SubscriptionRow } from "@/lib/supabase/billing.types";
import { isNewer, type SubscriptionEventEffect } from "./subscription-event";

/**
 * Applies one Razorpay event's effect to a workspace's subscription row (service role, scoped by
 * the organization): closes the charged cycle's invoice, then moves status, period and "action
 * needed" in one conditional update that only an event at least as new as the last applied one
 * passes. So a redelivery changes nothing (same state, invoice already recorded) and an older
 * event arriving late cannot undo a newer state.
 */

export type ApplyOutcome =
  | {
      applied: false;
      reason: "other_subscription" | "older_event" | "no_subscription";
      /** A charge older than the state still closes its invoice (its overage is still owed). */
      invoice?: { invoiceId: string; created: boolean };
    }
  | {
      applied: true;
      status: SubscriptionRow["status"];
      actionNeeded: BillingActionNeeded | null;
      /** The owner must act and was not already told so (a payment.failed, then the
       * subscription.pending of the same failure, raise it once). */
      actionRaised: boolean;
      invoice: { invoiceId: string; created: boolean } | null;
    };

export async function applySubscriptionEvent(
  admin: AdminSupabaseClient,
  organizationId: string,
  effect: SubscriptionEventEffect,
): Promise<ApplyOutcome> {
  const { data: row, error } = await admin
    .from("subscriptions")
    .select("*")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read subscription: ${error.message}`);
  if (!row) return { applied: false, reason: "no_subscription" };
  // Only the subscription Patchline created last drives the state: a late event of one the
  // owner replaced (cancelled, then subscribed again) is history.
  if (!row.razorpay_subscription_id || effect.subscriptionId !== row.razorpay_subscription_id) {
    return { applied: false, reason: "other_subscription" };
  }

  let invoice: { invoiceId: string; created: boolean } | null = null;
  if (effect.charge && effect.period && row.plan_id && row.currency) {
    const previous =
      row.status !== "trialing" && row.current_period_start
        ? { start: new Date(row.current_period_start), end: effect.period.start }
        : null;
    invoice = await closePeriodInvoice(admin, {
      organizationId,
      planId: row.plan_id,
      currency: row.currency,
      period: effect.period,
      usageWindow: previous,
      charge: effect.charge,
      paidAt: effect.eventAt,
    });
  }

  const appliedAt = row.razorpay_event_at ? new Date(row.razorpay_event_at) : null;
  if (!isNewer(effect.eventAt, appliedAt)) {
    return { applied: false, reason: "older_event", ...(invoice ? { invoice } : {}) };
  }

  const update: Partial<Omit<SubscriptionRow, "organization_id" | "created_at" | "updated_at">> = {
    razorpay_event_at: effect.eventAt.toISOString(),
  };
  if (effect.status) update.status = effect.status;
  if (effect.period) {
    update.current_period_start = effect.period.start.toISOString();
    update.current_period_end = effect.period.end.toISOString();
  }
  if (effect.status === "cancelled") update.cancelled_at = effect.eventAt.toISOString();
  if (effect.action && "set" in effect.action) {
    update.action_needed = effect.action.set;
    update.action_needed_at = effect.eventAt.toISOString();
  } else if (effect.action) {
    update.action_needed = null;
    update.action_needed_at = null;
  }
  let query = admin
    .from("subscriptions")
    .update(update)
    .eq("organization_id", organizationId)
    .eq("razorpay_subscription_id", row.razorpay_subscription_id);
  // the guard again, in the statement: a newer event applied meanwhile wins
  query = appliedAt
    ? query.lte("razorpay_event_at", effect.eventAt.toISOString())
    : query.is("razorpay_event_at", null);
  const { data: updated, error: updateError } = await query.select("status, action_needed");
  if (updateError) throw new Error(`update subscription: ${updateError.message}`);
  const after = updated?.[0];
  if (!after) return { applied: false, reason: "older_event", ...(invoice ? { invoice } : {}) };
  const actionRaised =
    effect.action !== null && "set" in effect.action && row.action_needed !== effect.action.set;
  return {
    applied: true,
    status: after.status,
    actionNeeded: after.action_needed,
    actionRaised,
    invoice,
  };
}
