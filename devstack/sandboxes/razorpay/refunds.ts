import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, queryObject } from "../http";
import type { Router } from "../router";
import type { RazorpayPayment, RazorpayRefund } from "../state";
import { deliverRazorpay, paymentJson, requireKey, rzpError, rzpId, unixNow } from "./routes";

/**
 * Refunds, as Razorpay documents them: `POST /v1/payments/{id}/refund` refunds a captured payment
 * in full (no `amount`) or in part (`amount` in minor units, at least 100), with `speed`
 * (`normal`/`optimum`), `notes` and `receipt`; an amount above what is left to refund is refused.
 * `GET /v1/payments/{id}/refunds` lists a payment's refunds (newest first, `from`/`to`/`count`/
 * `skip`), `GET /v1/payments/{id}/refunds/{refund_id}` and `GET /v1/refunds/{id}` fetch one. The
 * sandbox processes a refund at once: `refund.created` and `refund.processed` are delivered (with
 * the payment, whose notes name the workspace), and the payment's `amount_refunded` grows
 * (`refund_status` partial, then full: the payment becomes `refunded`).
 *
 * What a bank does later is forced by controls: `/_control/razorpay/refunds-pending {count}` makes
 * the next refunds stay `pending` (only `refund.created` is delivered, the answer says pending), and
 * `/_control/razorpay/refund-settled {refund_id, status}` ends a pending refund `processed`
 * (`refund.processed`) or `failed` (`refund.failed`; its amount is again refundable on the payment).
 */

const notes = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({});
const refundSchema = z.object({
  amount: z.coerce.number().int().min(100, "The amount must be at least INR 1.00").optional(),
  speed: z.enum(["normal", "optimum"]).default("normal"),
  notes,
  receipt: z.string().max(40).nullish(),
});
const listSchema = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  count: z.coerce.number().int().min(1).max(100).default(10),
  skip: z.coerce.number().int().nonnegative().default(0),
});

export function refundJson(r: RazorpayRefund) {
  return {
    id: r.id,
    entity: "refund",
    amount: r.amount,
    currency: r.currency,
    payment_id: r.paymentId,
    // Razorpay sends empty notes as []
    notes: Object.keys(r.notes).length ? r.notes : [],
    receipt: r.receipt,
    acquirer_data: { arn: null },
    created_at: r.createdAt,
    batch_id: null,
    status: r.status ?? "processed",
    speed_processed: "normal",
    speed_requested: r.speedRequested,
  };
}

function refunds(ctx: SandboxContext): RazorpayRefund[] {
  ctx.state.razorpay.refunds ??= [];
  return ctx.state.razorpay.refunds;
}

function findPayment(ctx: SandboxContext, id: string): RazorpayPayment {
  const p = ctx.state.razorpay.payments.find((x) => x.id === id);
  if (!p) throw rzpError(400, "The id provided does not exist", "id");
  return p;
}

/** Refunds `amount` (default: what is left) of a captured payment; refuses more than is left. */
export function refundPayment(
  ctx: SandboxContext,
  paymentId: string,
  input: z.infer<typeof refundSchema>,
): RazorpayRefund {
  const payment = findPayment(ctx, paymentId);
  if (payment.status === "failed") {
    throw rzpError(400, "The payment has not been captured");
  }
  const left = payment.amount - (payment.amountRefunded ?? 0);
  if (left <= 0) throw rzpError(400, "The payment has been fully refunded already");
  const amount = input.amount ?? left;
  if (amount > left) {
    throw rzpError(
      400,
      "The refund amount provided is greater than amount captured or amount left to be refunded",
      "amount",
    );
  }
  const refund: RazorpayRefund = {
    id: rzpId("rfnd_"),
    paymentId: payment.id,
    amount,
    currency: payment.currency,
    notes: input.notes,
    receipt: input.receipt ?? null,
    speedRequested: input.speed,
    createdAt: unixNow(),
    status: "processed",
  };
  const pending = ctx.state.razorpay.refundsPending ?? 0;
  if (pending > 0) {
    refund.status = "pending";
    ctx.state.razorpay.refundsPending = pending - 1;
  }
  refunds(ctx).push(refund);
  payment.amountRefunded = (payment.amountRefunded ?? 0) + amount;
  if (payment.amountRefunded === payment.amount) payment.status = "refunded";
  ctx.store.changed();
  const events =
    refund.status === "pending" ? ["refund.created"] : ["refund.created", "refund.processed"];
  for (const event of events) {
    deliverRazorpay(ctx, event, {
      refund: { entity: refundJson(refund) },
      payment: { entity: paymentJson(payment) },
    });
  }
  return refund;
}

/**
 * The bank's answer to a pending refund: `processed` (`refund.processed`) or `failed`
 * (`refund.failed`, and the amount goes back to what the payment can refund). Only a pending
 * refund settles, once.
 */
export function settleRefund(
  ctx: SandboxContext,
  refundId: string,
  status: "processed" | "failed",
) {
  const refund = refunds(ctx).find((r) => r.id === refundId);
  if (!refund) throw rzpError(400, "The id provided does not exist", "id");
  if ((refund.status ?? "processed") !== "pending") {
    throw rzpError(400, `The refund is already ${refund.status ?? "processed"}`);
  }
  const payment = findPayment(ctx, refund.paymentId);
  refund.status = status;
  if (status === "failed") {
    payment.amountRefunded = Math.max(0, (payment.amountRefunded ?? 0) - refund.amount);
    if (payment.status === "refunded") payment.status = "captured";
  }
  ctx.store.changed();
  const delivery = deliverRazorpay(ctx, `refund.${status}`, {
    refund: { entity: refundJson(refund) },
    payment: { entity: paymentJson(payment) },
  });
  return { refund: refundJson(refund), deliveries: [delivery] };
}

const pendingSchema = z.object({ count: z.coerce.number().int().min(0).max(100).default(1) });
const settleSchema = z.object({
  refund_id: z.string().min(1).max(100),
  status: z.enum(["processed", "failed"]),
});

export function registerRazorpayRefunds(router: Router, ctx: SandboxContext): void {
  const v1 = "/razorpay/v1";
  const bad = (m: string) => rzpError(400, m);
  router
    .add("POST", `${v1}/payments/:id/refund`, (req, [id]) => {
      requireKey(ctx, req);
      const p = parseWith(refundSchema, bodyObject(req), bad);
      return json(200, refundJson(refundPayment(ctx, id!, p)));
    })
    .add("GET", `${v1}/payments/:id/refunds`, (req, [id]) => {
      requireKey(ctx, req);
      const p = parseWith(listSchema, queryObject(req), bad);
      const payment = findPayment(ctx, id!);
      const items = refunds(ctx)
        .filter(
          (r) =>
            r.paymentId === payment.id &&
            (p.from === undefined || r.createdAt >= p.from) &&
            (p.to === undefined || r.createdAt <= p.to),
        )
        .slice()
        .reverse()
        .slice(p.skip, p.skip + p.count)
        .map(refundJson);
      return json(200, { entity: "collection", count: items.length, items });
    })
    .add("GET", `${v1}/payments/:id/refunds/:refund`, (req, [id, refundId]) => {
      requireKey(ctx, req);
      const r = refunds(ctx).find((x) => x.id === refundId && x.paymentId === id);
      if (!r) throw rzpError(400, "The id provided does not exist", "id");
      return json(200, refundJson(r));
    })
    .add("GET", `${v1}/refunds/:id`, (req, [id]) => {
      requireKey(ctx, req);
      const r = refunds(ctx).find((x) => x.id === id);
      if (!r) throw rzpError(400, "The id provided does not exist", "id");
      return json(200, refundJson(r));
    });

  router
    .add("POST", "/_control/razorpay/refunds-pending", (req) => {
      const p = parseWith(pendingSchema, bodyObject(req) ?? {}, bad);
      ctx.state.razorpay.refundsPending = p.count;
      ctx.store.changed();
      return json(200, { refunds_pending: p.count });
    })
    .add("POST", "/_control/razorpay/refund-settled", (req) => {
      const p = parseWith(settleSchema, bodyObject(req), bad);
      const { refund, deliveries } = settleRefund(ctx, p.refund_id, p.status);
      return json(201, {
        refund,
        deliveries: deliveries.map((d) => ({ id: d.id, event: d.event, url: d.url })),
      });
    });
}
