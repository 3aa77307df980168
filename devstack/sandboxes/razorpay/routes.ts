import { randomBytes } from "node:crypto";
import { z } from "zod";
import { escapeHtml } from "../../shared/http";
import { type SandboxContext, webhookTarget } from "../context";
import {
  basicAuth,
  bodyObject,
  html,
  json,
  ProviderError,
  parseWith,
  type SandboxRequest,
} from "../http";
import { layout } from "../layout";
import type { Router } from "../router";
import { razorpaySignature } from "../signing";
import type { Delivery, RazorpayPayment, RazorpaySubscription } from "../state";
import { billPendingAddons, pendingAddonsAmount } from "./addons";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Razorpay ids: a prefix and 14 alphanumerics (`sub_NK1Y2r9MbaWf3k`). */
export const rzpId = (prefix: string) =>
  `${prefix}${Array.from(randomBytes(14), (b) => ALNUM[b % ALNUM.length]).join("")}`;
export const unixNow = () => Math.floor(Date.now() / 1000);

/** Razorpay's error body. */
export const rzpError = (status: number, description: string, field?: string) =>
  new ProviderError(status, {
    error: {
      code: "BAD_REQUEST_ERROR",
      description,
      source: "business",
      step: "payment_initiation",
      reason: "input_validation_failed",
      metadata: {},
      ...(field ? { field } : {}),
    },
  });

const notes = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({});
const subscriptionSchema = z.object({
  plan_id: z.string().regex(/^plan_\w+$/, "plan_id is invalid"),
  total_count: z.coerce.number().int().min(1).max(1200),
  quantity: z.coerce.number().int().min(1).default(1),
  customer_notify: z.union([z.boolean(), z.literal(0), z.literal(1)]).optional(),
  start_at: z.number().int().optional(),
  expire_by: z.number().int().optional(),
  notes,
});
const cancelSchema = z.object({
  cancel_at_cycle_end: z.union([z.boolean(), z.literal(0), z.literal(1)]).optional(),
});
const captureSchema = z.object({
  amount: z.coerce.number().int().min(100),
  currency: z.string().length(3).default("INR"),
  email: z.string().email().default("billing@customer.example"),
  subscription_id: z.string().optional(),
  notes,
});

export function requireKey(ctx: SandboxContext, req: SandboxRequest): void {
  const auth = basicAuth(req);
  if (
    auth?.user !== ctx.credentials.RAZORPAY_KEY_ID ||
    auth.password !== ctx.credentials.RAZORPAY_KEY_SECRET
  ) {
    throw new ProviderError(401, {
      error: { code: "BAD_REQUEST_ERROR", description: "Authentication failed" },
    });
  }
}

export function subscriptionJson(ctx: SandboxContext, s: RazorpaySubscription) {
  return {
    id: s.id,
    entity: "subscription",
    plan_id: s.planId,
    customer_id: s.customerId,
    status: s.status,
    current_start: s.currentStart ?? null,
    current_end: s.currentEnd ?? null,
    ended_at: null,
    quantity: s.quantity,
    notes: s.notes,
    charge_at: null,
    start_at: s.createdAt,
    end_at: null,
    auth_attempts: 0,
    total_count: s.totalCount,
    paid_count: s.paidCount,
    customer_notify: true,
    created_at: s.createdAt,
    expire_by: null,
    short_url: `${ctx.sandboxUrl}/razorpay/checkout/${s.id}`,
    has_scheduled_changes: false,
    change_scheduled_at: null,
    source: "api",
    remaining_count: s.totalCount - s.paidCount,
  };
}

export function paymentJson(p: RazorpayPayment) {
  return {
    id: p.id,
    entity: "payment",
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    order_id: p.orderId,
    invoice_id: p.invoiceId,
    international: false,
    method: "card",
    amount_refunded: p.amountRefunded ?? 0,
    refund_status: !p.amountRefunded ? null : p.status === "refunded" ? "full" : "partial",
    captured: p.status !== "failed",
    description: p.subscriptionId ? "Subscription payment" : null,
    card_id: null,
    bank: null,
    wallet: null,
    vpa: null,
    email: p.email,
    contact: "+919000090000",
    customer_id: null,
    notes: p.notes,
    fee: Math.round(p.amount * 0.02),
    tax: Math.round(p.amount * 0.0036),
    error_code: null,
    error_description: null,
    created_at: p.createdAt,
  };
}

/** Delivers an event signed with the webhook secret (hex, no prefix) with its `X-Razorpay-Event-Id`. */
export function deliverRazorpay(
  ctx: SandboxContext,
  event: string,
  payload: Record<string, { entity: unknown }>,
): Delivery {
  const body = JSON.stringify({
    entity: "event",
    account_id: "acc_SandboxAccount01",
    event,
    contains: Object.keys(payload),
    payload,
    created_at: unixNow(),
  });
  return ctx.deliverer.enqueue({
    provider: "razorpay",
    event,
    url: webhookTarget(ctx, "razorpay"),
    body,
    headers: {
      "x-razorpay-signature": razorpaySignature(ctx.credentials.RAZORPAY_WEBHOOK_SECRET, body),
      "x-razorpay-event-id": rzpId(""),
    },
  });
}

export function findSubscription(ctx: SandboxContext, id: string): RazorpaySubscription {
  const s = ctx.state.razorpay.subscriptions.find((x) => x.id === id);
  if (!s) throw rzpError(400, "The id provided does not exist", "id");
  return s;
}

/** A captured payment (for a subscription: it becomes active, and `subscription.charged` follows). */
export function capturePayment(ctx: SandboxContext, input: z.infer<typeof captureSchema>) {
  const sub = input.subscription_id ? findSubscription(ctx, input.subscription_id) : undefined;
  const invoiceId = sub ? rzpId("inv_") : null;
  // a subscription's charge is its invoice: the plan's amount plus the add-ons pending on it
  const addons = sub && invoiceId ? billPendingAddons(ctx, sub.id, invoiceId) : 0;
  const payment: RazorpayPayment = {
    id: rzpId("pay_"),
    amount: input.amount + addons,
    currency: input.currency,
    status: "captured",
    email: input.email,
    subscriptionId: sub?.id ?? null,
    orderId: rzpId("order_"),
    invoiceId,
    // a subscription's payments carry its notes (the workspace Patchline wrote there)
    notes: sub ? { ...sub.notes, ...input.notes } : input.notes,
    createdAt: unixNow(),
  };
  ctx.state.razorpay.payments.push(payment);
  const deliveries: Delivery[] = [];
  if (sub) {
    const activated = sub.status === "created" || sub.status === "authenticated";
    sub.status = "active";
    sub.paidCount += 1;
    // the cycle this charge pays for: from now (or the previous cycle's end) for a month
    const start = Math.max(payment.createdAt, sub.currentEnd ?? 0);
    const end = new Date(start * 1000);
    end.setUTCMonth(end.getUTCMonth() + 1);
    sub.currentStart = start;
    sub.currentEnd = Math.floor(end.getTime() / 1000);
    if (activated)
      deliveries.push(
        deliverRazorpay(ctx, "subscription.activated", {
          subscription: { entity: subscriptionJson(ctx, sub) },
        }),
      );
  }
  deliveries.push(
    deliverRazorpay(ctx, "payment.captured", { payment: { entity: paymentJson(payment) } }),
  );
  if (sub)
    deliveries.push(
      deliverRazorpay(ctx, "subscription.charged", {
        subscription: { entity: subscriptionJson(ctx, sub) },
        payment: { entity: paymentJson(payment) },
      }),
    );
  ctx.store.changed();
  return { payment, deliveries };
}

/** The amount a plan created through `/v1/plans` charges per cycle (the checkout's default). */
function planAmount(ctx: SandboxContext, planId: string): number | undefined {
  return ctx.state.razorpay.plans?.find((p) => p.id === planId)?.item.amount;
}

function planCurrency(ctx: SandboxContext, subscriptionId: string): string | undefined {
  const s = ctx.state.razorpay.subscriptions.find((x) => x.id === subscriptionId);
  return s ? ctx.state.razorpay.plans?.find((p) => p.id === s.planId)?.item.currency : undefined;
}

/**
 * Where the checkout's "Back" link goes: the merchant's page named in the subscription's notes
 * (`return_url`, an http(s) URL), as a hosted checkout's callback would.
 */
function returnUrl(ctx: SandboxContext, subscriptionId: string): string | undefined {
  const s = ctx.state.razorpay.subscriptions.find((x) => x.id === subscriptionId);
  const url = s?.notes.return_url;
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

/** Razorpay under `/razorpay` (RAZORPAY_API_BASE): `/v1/subscriptions`, `/v1/payments`, and a checkout page. */
export function registerRazorpay(router: Router, ctx: SandboxContext): void {
  const v1 = "/razorpay/v1";
  const bad = (m: string) => rzpError(400, m);
  router
    .add("POST", `${v1}/subscriptions`, (req) => {
      requireKey(ctx, req);
      const p = parseWith(subscriptionSchema, bodyObject(req), bad);
      const s: RazorpaySubscription = {
        id: rzpId("sub_"),
        planId: p.plan_id,
        status: "created",
        totalCount: p.total_count,
        paidCount: 0,
        quantity: p.quantity,
        notes: p.notes,
        customerId: null,
        createdAt: unixNow(),
      };
      ctx.state.razorpay.subscriptions.push(s);
      ctx.store.changed();
      return json(200, subscriptionJson(ctx, s));
    })
    .add("GET", `${v1}/subscriptions`, (req) => {
      requireKey(ctx, req);
      const items = ctx.state.razorpay.subscriptions.map((s) => subscriptionJson(ctx, s)).reverse();
      return json(200, { entity: "collection", count: items.length, items });
    })
    .add("GET", `${v1}/subscriptions/:id`, (req, [id]) => {
      requireKey(ctx, req);
      return json(200, subscriptionJson(ctx, findSubscription(ctx, id!)));
    })
    .add("POST", `${v1}/subscriptions/:id/cancel`, (req, [id]) => {
      requireKey(ctx, req);
      parseWith(cancelSchema, bodyObject(req), bad);
      const s = findSubscription(ctx, id!);
      if (s.status === "cancelled" || s.status === "completed")
        throw rzpError(400, "Subscription is not cancellable in cancelled status.");
      s.status = "cancelled";
      ctx.store.changed();
      deliverRazorpay(ctx, "subscription.cancelled", {
        subscription: { entity: subscriptionJson(ctx, s) },
      });
      return json(200, subscriptionJson(ctx, s));
    })
    .add("GET", `${v1}/payments`, (req) => {
      requireKey(ctx, req);
      const items = ctx.state.razorpay.payments.map(paymentJson).reverse();
      return json(200, { entity: "collection", count: items.length, items });
    })
    .add("GET", `${v1}/payments/:id`, (req, [id]) => {
      requireKey(ctx, req);
      const p = ctx.state.razorpay.payments.find((x) => x.id === id);
      if (!p) throw rzpError(400, "The id provided does not exist", "id");
      return json(200, paymentJson(p));
    })
    // The subscription's short_url: a person "pays" and the webhooks follow.
    .add("GET", "/razorpay/checkout/:id", (_req, [id]) => {
      const s = ctx.state.razorpay.subscriptions.find((x) => x.id === id);
      if (!s) return html(404, layout("Not found", "<p>No such subscription.</p>"));
      return html(
        200,
        layout(
          "Razorpay checkout",
          `<div class="card consent"><h1 style="font-size:18px;margin-top:0">Razorpay sandbox checkout</h1><p>Subscription <code>${escapeHtml(s.id)}</code> to <code>${escapeHtml(s.planId)}</code> (${escapeHtml(s.status)}).</p>
${pendingAddonsAmount(ctx, s.id) > 0 ? `<p>Add-ons pending on this charge: <code data-testid="sandbox-addons">${pendingAddonsAmount(ctx, s.id)}</code> (minor units, added to the amount below).</p>` : ""}<form method="post"><label for="amount">Amount (minor units)</label><input type="number" id="amount" name="amount" value="${planAmount(ctx, s.planId) ?? 49900}" min="100"><button type="submit" data-testid="sandbox-pay">Pay</button></form></div>`,
        ),
      );
    })
    .add("POST", "/razorpay/checkout/:id", (req, [id]) => {
      const form = bodyObject(req) as Record<string, string> | undefined;
      const p = parseWith(
        captureSchema,
        { amount: form?.amount, currency: planCurrency(ctx, id!), subscription_id: id },
        bad,
      );
      const { payment } = capturePayment(ctx, p);
      const back = returnUrl(ctx, id!);
      return html(
        200,
        layout(
          "Paid",
          `<div class="card consent"><p>Paid: <code>${escapeHtml(payment.id)}</code>. The webhooks are on their way; see <a href="/">deliveries</a>.</p>${back ? `<p><a href="${escapeHtml(back)}" data-testid="sandbox-return">Back to the merchant</a></p>` : ""}</div>`,
        ),
      );
    });

  router.add("POST", "/_control/razorpay/payment-captured", (req) => {
    const p = parseWith(captureSchema, bodyObject(req), bad);
    const { payment, deliveries } = capturePayment(ctx, p);
    return json(201, {
      payment: paymentJson(payment),
      deliveries: deliveries.map((d) => ({ id: d.id, event: d.event, url: d.url })),
    });
  });
}
