import "server-only";
import { z } from "zod";
import { applyRate, type Currency } from "@/lib/billing/money";
import { currencyForCountry } from "@/lib/billing/plans";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { PlanRow } from "@/lib/supabase/billing.types";
import { razorpayClient, razorpayErrorMessage } from "./client";

/**
 * Subscribe, change plan and cancel through Razorpay Subscriptions (owner only; the server
 * actions check billing.manage before calling these with the audited admin client). Razorpay's
 * deliveries then move the subscription's status (`apply-event.ts`); these only record which
 * Razorpay subscription and plan the workspace chose, so the deliveries can be matched to it.
 */

export const subscribeInput = z.object({
  plan: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "Choose a plan."),
});

/** Monthly cycles for ten years: Razorpay needs a count; cancelling ends it sooner. */
const TOTAL_CYCLES = 120;

async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof AppError) throw error;
    log.warn({ what, error: razorpayErrorMessage(error) }, "razorpay request failed");
    throw new AppError("unavailable", "Razorpay did not answer. Try again in a moment.");
  }
}

async function readPlan(admin: AdminSupabaseClient, planId: string): Promise<PlanRow> {
  const { data, error } = await admin.from("plans").select("*").eq("id", planId).maybeSingle();
  if (error) throw new Error(`read plan: ${error.message}`);
  if (!data?.active) {
    throw new AppError("validation", "That plan is not offered.", {
      fieldErrors: { plan: ["That plan is not offered."] },
    });
  }
  return data;
}

/** The workspace bills in INR (GST) when its billing country is India or not yet given, else USD. */
export async function billingCurrency(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<Currency> {
  const { data, error } = await admin
    .from("billing_details")
    .select("country")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read billing details: ${error.message}`);
  return data ? currencyForCountry(data.country) : "INR";
}

/**
 * The plan's Razorpay plan id in `currency`, creating the plan on Razorpay the first time (its
 * amount is what each cycle charges: the base plus GST for INR). Two owners racing both create
 * one; the first stored wins and the other is left unused on Razorpay.
 */
export async function razorpayPlanId(
  admin: AdminSupabaseClient,
  plan: PlanRow,
  currency: Currency,
): Promise<string> {
  const column = currency === "INR" ? "razorpay_plan_id_inr" : "razorpay_plan_id_usd";
  const existing = plan[column];
  if (existing) return existing;
  const base = Number(currency === "INR" ? plan.price_inr_paise : plan.price_usd_cents);
  const amount = currency === "INR" ? base + applyRate(base, plan.gst_rate_bp) : base;
  const created = await call("create plan", () =>
    razorpayClient().plans.create({
      period: "monthly",
      interval: 1,
      item: { name: `Patchline ${plan.name}`, amount, currency },
      notes: { patchline_plan: plan.id },
    }),
  );
  const patch =
    currency === "INR"
      ? { razorpay_plan_id_inr: created.id }
      : { razorpay_plan_id_usd: created.id };
  const { error: saveError } = await admin
    .from("plans")
    .update(patch)
    .eq("id", plan.id)
    .is(column, null);
  if (saveError) throw new Error(`record plan id: ${saveError.message}`);
  const { data, error } = await admin.from("plans").select("*").eq("id", plan.id).single();
  if (error) throw new Error(`read plan id: ${error.message}`);
  return data[column] ?? created.id;
}

/**
 * Creates the Razorpay subscription for `planId` and records it; returns Razorpay's checkout
 * page (`short_url`) the owner pays on. Refused while a subscription is live (change the plan
 * instead).
 */
export async function subscribe(
  admin: AdminSupabaseClient,
  organizationId: string,
  planId: string,
  returnUrl: string,
): Promise<{ checkoutUrl: string }> {
  const { data: current, error } = await admin
    .from("subscriptions")
    .select("status")
    .eq("organization_id", organizationId)
    .single();
  if (error) throw new Error(`read subscription: ${error.message}`);
  if (current.status !== "trialing" && current.status !== "cancelled") {
    throw new AppError("conflict", "This workspace already has a subscription: change its plan.");
  }
  const plan = await readPlan(admin, planId);
  const currency = await billingCurrency(admin, organizationId);
  const rzpPlanId = await razorpayPlanId(admin, plan, currency);
  const subscription = await call("create subscription", () =>
    razorpayClient().subscriptions.create({
      plan_id: rzpPlanId,
      total_count: TOTAL_CYCLES,
      customer_notify: 1,
      notes: { organization_id: organizationId, plan: plan.id, return_url: returnUrl },
    }),
  );
  const { error: saveError } = await admin
    .from("subscriptions")
    .update({
      plan_id: plan.id,
      currency,
      razorpay_subscription_id: subscription.id,
      // events of an earlier subscription do not order this one's
      razorpay_event_at: null,
    })
    .eq("organization_id", organizationId);
  if (saveError) throw new Error(`record subscription: ${saveError.message}`);
  if (!subscription.short_url) throw new AppError("unavailable", "Razorpay gave no checkout page.");
  return { checkoutUrl: subscription.short_url };
}

async function liveSubscription(admin: AdminSupabaseClient, organizationId: string) {
  const { data, error } = await admin
    .from("subscriptions")
    .select("status, plan_id, currency, razorpay_subscription_id")
    .eq("organization_id", organizationId)
    .single();
  if (error) throw new Error(`read subscription: ${error.message}`);
  if (
    !data.razorpay_subscription_id ||
    data.status === "trialing" ||
    data.status === "cancelled" ||
    !data.currency
  ) {
    throw new AppError("conflict", "There is no active subscription to change.");
  }
  return {
    ...data,
    razorpay_subscription_id: data.razorpay_subscription_id,
    currency: data.currency,
  };
}

/** Moves the live subscription to `planId` now (Razorpay prorates); the plan shows at once. */
export async function changePlan(
  admin: AdminSupabaseClient,
  organizationId: string,
  planId: string,
): Promise<void> {
  const live = await liveSubscription(admin, organizationId);
  if (live.plan_id === planId) return;
  const plan = await readPlan(admin, planId);
  const rzpPlanId = await razorpayPlanId(admin, plan, live.currency);
  await call("change plan", () =>
    razorpayClient().subscriptions.update(live.razorpay_subscription_id, {
      plan_id: rzpPlanId,
      schedule_change_at: "now",
    }),
  );
  const { error } = await admin
    .from("subscriptions")
    .update({ plan_id: plan.id })
    .eq("organization_id", organizationId)
    .eq("razorpay_subscription_id", live.razorpay_subscription_id);
  if (error) throw new Error(`record plan change: ${error.message}`);
}

/** Cancels on Razorpay now; its `subscription.cancelled` delivery moves the status. */
export async function cancelSubscription(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<void> {
  const live = await liveSubscription(admin, organizationId);
  await call("cancel subscription", () =>
    razorpayClient().subscriptions.cancel(live.razorpay_subscription_id, false),
  );
}
