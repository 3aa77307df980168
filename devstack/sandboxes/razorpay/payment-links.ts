import { z } from "zod";
import { escapeHtml } from "../../shared/http";
import type { SandboxContext } from "../context";
import { bodyObject, html, json, parseWith, queryObject } from "../http";
import { layout } from "../layout";
import type { Router } from "../router";
import type { RazorpayPayment, RazorpayPaymentLink } from "../state";
import { deliverRazorpay, paymentJson, requireKey, rzpError, rzpId, unixNow } from "./routes";

/**
 * Standard Payment Links, as Razorpay documents them: `POST /v1/payment_links` `{amount, currency,
 * description?, reference_id?, customer?, notify?, reminder_enable?, notes?, callback_url?,
 * callback_method?}` answers the link with its `short_url` (here a sandbox page with a "Pay"
 * button); `GET /v1/payment_links` lists them (newest first; `reference_id` and `payment_id`
 * filter) and `GET /v1/payment_links/{id}` fetches one. Paying it captures a payment carrying the
 * link's notes and delivers `payment.captured` and `payment_link.paid` (`payment_link`, `order`,
 * `payment`). A link is paid once (no partial payments here). A `reference_id` already used by
 * another link is refused (the sandbox keeps references unique, so a caller that creates twice
 * for one reference is caught by the tests).
 */

const notes = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({});
const createSchema = z.object({
  amount: z.coerce.number().int().min(100, "amount must be at least 100"),
  currency: z.string().length(3).default("INR"),
  accept_partial: z.literal(false).optional(),
  description: z.string().max(2048).nullish(),
  reference_id: z.string().min(1).max(40).nullish(),
  customer: z
    .object({
      name: z.string().max(200).optional(),
      email: z.string().email().optional(),
      contact: z.string().max(20).optional(),
    })
    .default({}),
  notify: z
    .object({ email: z.boolean().default(false), sms: z.boolean().default(false) })
    .default({ email: false, sms: false }),
  reminder_enable: z.boolean().optional(),
  notes,
  callback_url: z.string().url().nullish(),
  callback_method: z.literal("get").nullish(),
});
const listSchema = z.object({
  reference_id: z.string().max(40).optional(),
  payment_id: z.string().max(100).optional(),
  count: z.coerce.number().int().min(1).max(100).default(10),
  skip: z.coerce.number().int().nonnegative().default(0),
});

function links(ctx: SandboxContext): RazorpayPaymentLink[] {
  ctx.state.razorpay.paymentLinks ??= [];
  return ctx.state.razorpay.paymentLinks;
}

export function paymentLinkJson(ctx: SandboxContext, l: RazorpayPaymentLink) {
  return {
    id: l.id,
    accept_partial: false,
    amount: l.amount,
    amount_paid: l.status === "paid" ? l.amount : 0,
    callback_method: l.callbackUrl ? "get" : "",
    callback_url: l.callbackUrl ?? "",
    cancelled_at: 0,
    created_at: l.createdAt,
    currency: l.currency,
    customer: l.customer,
    description: l.description ?? "",
    expire_by: 0,
    expired_at: 0,
    first_min_partial_amount: 0,
    // Razorpay sends empty notes as []
    notes: Object.keys(l.notes).length ? l.notes : [],
    notify: l.notify,
    order_id: l.orderId,
    payments: l.paymentId
      ? [
          {
            amount: l.amount,
            created_at: l.updatedAt,
            method: "card",
            payment_id: l.paymentId,
            status: "captured",
          },
        ]
      : [],
    reference_id: l.referenceId ?? "",
    reminder_enable: false,
    reminders: [],
    short_url: `${ctx.sandboxUrl}/razorpay/pl/${l.id}`,
    status: l.status,
    updated_at: l.updatedAt,
    upi_link: false,
    user_id: "",
  };
}

function findLink(ctx: SandboxContext, id: string): RazorpayPaymentLink {
  const l = links(ctx).find((x) => x.id === id);
  if (!l) throw rzpError(400, "The id provided does not exist", "id");
  return l;
}

/** The customer pays the link: a captured payment with the link's notes, then the webhooks. */
export function payPaymentLink(ctx: SandboxContext, id: string) {
  const link = findLink(ctx, id);
  if (link.status !== "created") throw rzpError(400, `Payment link is already ${link.status}`);
  const payment: RazorpayPayment = {
    id: rzpId("pay_"),
    amount: link.amount,
    currency: link.currency,
    status: "captured",
    email: link.customer.email ?? "billing@customer.example",
    subscriptionId: null,
    orderId: link.orderId,
    invoiceId: null,
    notes: { ...link.notes },
    createdAt: unixNow(),
  };
  ctx.state.razorpay.payments.push(payment);
  link.status = "paid";
  link.paymentId = payment.id;
  link.updatedAt = payment.createdAt;
  ctx.store.changed();
  const order = {
    id: link.orderId,
    entity: "order",
    amount: link.amount,
    amount_paid: link.amount,
    amount_due: 0,
    currency: link.currency,
    receipt: null,
    status: "paid",
    attempts: 1,
    notes: Object.keys(link.notes).length ? link.notes : [],
    created_at: link.createdAt,
  };
  const deliveries = [
    deliverRazorpay(ctx, "payment.captured", { payment: { entity: paymentJson(payment) } }),
    deliverRazorpay(ctx, "payment_link.paid", {
      payment_link: { entity: paymentLinkJson(ctx, link) },
      order: { entity: order },
      payment: { entity: paymentJson(payment) },
    }),
  ];
  return { payment, deliveries };
}

export function registerRazorpayPaymentLinks(router: Router, ctx: SandboxContext): void {
  const v1 = "/razorpay/v1";
  const bad = (m: string) => rzpError(400, m);
  router
    .add("POST", `${v1}/payment_links`, (req) => {
      requireKey(ctx, req);
      const p = parseWith(createSchema, bodyObject(req), bad);
      if (p.reference_id && links(ctx).some((l) => l.referenceId === p.reference_id)) {
        throw rzpError(
          400,
          `Payment Link with reference id ${p.reference_id} already exists`,
          "reference_id",
        );
      }
      const now = unixNow();
      const link: RazorpayPaymentLink = {
        id: rzpId("plink_"),
        amount: p.amount,
        currency: p.currency,
        description: p.description ?? null,
        referenceId: p.reference_id ?? null,
        customer: p.customer,
        notify: p.notify,
        notes: p.notes,
        callbackUrl: p.callback_url ?? null,
        status: "created",
        paymentId: null,
        orderId: rzpId("order_"),
        createdAt: now,
        updatedAt: now,
      };
      links(ctx).push(link);
      ctx.store.changed();
      return json(200, paymentLinkJson(ctx, link));
    })
    .add("GET", `${v1}/payment_links`, (req) => {
      requireKey(ctx, req);
      const p = parseWith(listSchema, queryObject(req), bad);
      const items = links(ctx)
        .filter(
          (l) =>
            (p.reference_id === undefined || l.referenceId === p.reference_id) &&
            (p.payment_id === undefined || l.paymentId === p.payment_id),
        )
        .slice()
        .reverse()
        .slice(p.skip, p.skip + p.count)
        .map((l) => paymentLinkJson(ctx, l));
      return json(200, { payment_links: items });
    })
    .add("GET", `${v1}/payment_links/:id`, (req, [id]) => {
      requireKey(ctx, req);
      return json(200, paymentLinkJson(ctx, findLink(ctx, id!)));
    })
    // the link's short_url: the customer pays the amount asked
    .add("GET", "/razorpay/pl/:id", (_req, [id]) => {
      const l = links(ctx).find((x) => x.id === id);
      if (!l) return html(404, layout("Not found", "<p>No such payment link.</p>"));
      const form =
        l.status === "created"
          ? `<form method="post"><button type="submit" data-testid="sandbox-link-pay">Pay ${l.amount} (minor units, ${escapeHtml(l.currency)})</button></form>`
          : `<p>This link is ${escapeHtml(l.status)}.</p>`;
      return html(
        200,
        layout(
          "Razorpay payment link",
          `<div class="card consent"><h1 style="font-size:18px;margin-top:0">Razorpay sandbox payment link</h1><p>${escapeHtml(l.description ?? "")}</p>${form}</div>`,
        ),
      );
    })
    .add("POST", "/razorpay/pl/:id", (_req, [id]) => {
      const { payment } = payPaymentLink(ctx, id!);
      return html(
        200,
        layout(
          "Paid",
          `<div class="card consent"><p>Paid: <code>${escapeHtml(payment.id)}</code>. The webhooks are on their way.</p></div>`,
        ),
      );
    });

  router.add("POST", "/_control/razorpay/payment-link-paid", (req) => {
    const p = parseWith(z.object({ id: z.string().min(1).max(100) }), bodyObject(req), bad);
    const { payment, deliveries } = payPaymentLink(ctx, p.id);
    return json(201, {
      payment: paymentJson(payment),
      deliveries: deliveries.map((d) => ({ id: d.id, event: d.event, url: d.url })),
    });
  });
}
