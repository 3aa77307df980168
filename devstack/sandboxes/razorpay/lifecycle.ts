import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith } from "../http";
import type { Router } from "../router";
import type { RazorpayPayment, RazorpayPlan } from "../state";
import {
  deliverRazorpay,
  findSubscription,
  paymentJson,
  requireKey,
  rzpError,
  rzpId,
  subscriptionJson,
  unixNow,
} from "./routes";

/**
 * The rest of a Razorpay subscription's life, beside `routes.ts`: plans (`POST/GET /v1/plans`),
 * a plan change (`PATCH /v1/subscriptions/{id}`), and control routes that force what a real card
 * network does on its own: a failed charge (`payment.failed`, then `subscription.pending`) and a
 * subscription halted after its retries ran out (`subscription.halted`).
 */

const notes = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({});
const planSchema = z.object({
  period: z.enum(["daily", "weekly", "monthly", "yearly"]),
  interval: z.coerce.number().int().min(1).max(12),
  item: z.object({
    name: z.string().min(1).max(200),
    amount: z.coerce.number().int().min(100),
    currency: z.string().length(3),
    description: z.string().max(2000).optional(),
  }),
  notes,
});
const updateSchema = z.object({
  plan_id: z
    .string()
    .regex(/^plan_\w+$/, "plan_id is invalid")
    .optional(),
  quantity: z.coerce.number().int().min(1).optional(),
  schedule_change_at: z.enum(["now", "cycle_end"]).optional(),
});
const forceSchema = z.object({ subscription_id: z.string().min(1).max(100) });

function planJson(p: RazorpayPlan) {
  return {
    id: p.id,
    entity: "plan",
    interval: p.interval,
    period: p.period,
    item: {
      id: `item_${p.id.slice(5)}`,
      active: true,
      name: p.item.name,
      description: p.item.description ?? null,
      amount: p.item.amount,
      unit_amount: p.item.amount,
      currency: p.item.currency,
      type: "plan",
    },
    notes: p.notes,
    created_at: p.createdAt,
  };
}

/** A charge the card network declined: `payment.failed`, and the subscription waits in `pending`. */
export function failPayment(ctx: SandboxContext, subscriptionId: string) {
  const sub = findSubscription(ctx, subscriptionId);
  const plan = ctx.state.razorpay.plans?.find((p) => p.id === sub.planId);
  const payment: RazorpayPayment = {
    id: rzpId("pay_"),
    amount: plan?.item.amount ?? 49900,
    currency: plan?.item.currency ?? "INR",
    status: "failed",
    email: "billing@customer.example",
    subscriptionId: sub.id,
    orderId: rzpId("order_"),
    invoiceId: rzpId("inv_"),
    notes: { ...sub.notes },
    createdAt: unixNow(),
  };
  ctx.state.razorpay.payments.push(payment);
  const failed = {
    ...paymentJson(payment),
    captured: false,
    error_code: "BAD_REQUEST_ERROR",
    error_description: "Payment failed because the card was declined",
  };
  const deliveries = [deliverRazorpay(ctx, "payment.failed", { payment: { entity: failed } })];
  if (sub.status === "active") {
    sub.status = "pending";
    deliveries.push(
      deliverRazorpay(ctx, "subscription.pending", {
        subscription: { entity: subscriptionJson(ctx, sub) },
      }),
    );
  }
  ctx.store.changed();
  return { payment: failed, deliveries };
}

/** Razorpay gave up retrying: the subscription is halted until the customer pays. */
export function haltSubscription(ctx: SandboxContext, subscriptionId: string) {
  const sub = findSubscription(ctx, subscriptionId);
  if (sub.status === "cancelled" || sub.status === "completed") {
    throw rzpError(400, `Subscription cannot be halted in ${sub.status} status.`);
  }
  sub.status = "halted";
  const delivery = deliverRazorpay(ctx, "subscription.halted", {
    subscription: { entity: subscriptionJson(ctx, sub) },
  });
  ctx.store.changed();
  return { subscription: subscriptionJson(ctx, sub), deliveries: [delivery] };
}

/** Registers plans, the plan change and the forced failures. */
export function registerRazorpayLifecycle(router: Router, ctx: SandboxContext): void {
  const v1 = "/razorpay/v1";
  const bad = (m: string) => rzpError(400, m);
  const plans = () => {
    ctx.state.razorpay.plans ??= [];
    return ctx.state.razorpay.plans;
  };
  router
    .add("POST", `${v1}/plans`, (req) => {
      requireKey(ctx, req);
      const p = parseWith(planSchema, bodyObject(req), bad);
      const plan: RazorpayPlan = { id: rzpId("plan_"), ...p, createdAt: unixNow() };
      plans().push(plan);
      ctx.store.changed();
      return json(200, planJson(plan));
    })
    .add("GET", `${v1}/plans/:id`, (req, [id]) => {
      requireKey(ctx, req);
      const plan = plans().find((p) => p.id === id);
      if (!plan) throw rzpError(400, "The id provided does not exist", "id");
      return json(200, planJson(plan));
    })
    .add("PATCH", `${v1}/subscriptions/:id`, (req, [id]) => {
      requireKey(ctx, req);
      const p = parseWith(updateSchema, bodyObject(req), bad);
      const sub = findSubscription(ctx, id!);
      if (sub.status !== "active" && sub.status !== "authenticated") {
        throw rzpError(400, `Subscription cannot be updated in ${sub.status} status.`);
      }
      if (p.plan_id) sub.planId = p.plan_id;
      if (p.quantity) sub.quantity = p.quantity;
      ctx.store.changed();
      return json(200, subscriptionJson(ctx, sub));
    });

  router
    .add("POST", "/_control/razorpay/payment-failed", (req) => {
      const p = parseWith(forceSchema, bodyObject(req), bad);
      const { payment, deliveries } = failPayment(ctx, p.subscription_id);
      return json(201, {
        payment,
        deliveries: deliveries.map((d) => ({ id: d.id, event: d.event, url: d.url })),
      });
    })
    .add("POST", "/_control/razorpay/subscription-halted", (req) => {
      const p = parseWith(forceSchema, bodyObject(req), bad);
      const { subscription, deliveries } = haltSubscription(ctx, p.subscription_id);
      return json(201, {
        subscription,
        deliveries: deliveries.map((d) => ({ id: d.id, event: d.event, url: d.url })),
      });
    });
}
