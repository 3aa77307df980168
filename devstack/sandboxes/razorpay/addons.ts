import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, queryObject } from "../http";
import type { Router } from "../router";
import type { RazorpayAddon, RazorpaySubscription } from "../state";
import { findSubscription, requireKey, rzpError, rzpId, unixNow } from "./routes";

/**
 * Subscription add-ons, as Razorpay documents them: `POST /v1/subscriptions/{id}/addons` creates
 * an extra amount (`item.amount × quantity`) that Razorpay adds to the subscription's next
 * invoice and collects with its next charge; `GET /v1/addons[/{id}]` lists and fetches them
 * (newest first, `from`/`to`/`count`/`skip`), `DELETE /v1/addons/{id}` removes one not yet
 * billed. A charge (`capturePayment`) bills the pending add-ons: their amount joins the
 * payment's and they get the charge's `invoice_id`.
 */

const addonSchema = z.object({
  item: z.object({
    name: z.string().min(1).max(200),
    amount: z.coerce.number().int().min(1),
    currency: z.string().length(3),
    description: z.string().max(2000).optional(),
  }),
  quantity: z.coerce.number().int().min(1).default(1),
});
const listSchema = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  count: z.coerce.number().int().min(1).max(100).default(10),
  skip: z.coerce.number().int().nonnegative().default(0),
});

/** Add-ons cannot be added once a subscription has ended. */
const ENDED: ReadonlyArray<RazorpaySubscription["status"]> = ["cancelled", "completed"];

export function addonJson(a: RazorpayAddon) {
  return {
    id: a.id,
    entity: "addon",
    item: {
      id: a.itemId,
      active: true,
      name: a.item.name,
      description: a.item.description ?? null,
      amount: a.item.amount,
      unit_amount: a.item.amount,
      currency: a.item.currency,
      type: "addon",
      unit: null,
      tax_inclusive: false,
      hsn_code: null,
      sac_code: null,
      tax_rate: null,
      tax_id: null,
      tax_group_id: null,
      created_at: a.createdAt,
      updated_at: a.createdAt,
    },
    quantity: a.quantity,
    created_at: a.createdAt,
    subscription_id: a.subscriptionId,
    invoice_id: a.invoiceId,
  };
}

function addons(ctx: SandboxContext): RazorpayAddon[] {
  ctx.state.razorpay.addons ??= [];
  return ctx.state.razorpay.addons;
}

/**
 * Bills the subscription's pending add-ons on the charge's invoice: returns what they add to the
 * payment (the caller adds it to the plan's amount) and marks them billed.
 */
export function billPendingAddons(
  ctx: SandboxContext,
  subscriptionId: string,
  invoiceId: string,
): number {
  let total = 0;
  for (const a of addons(ctx)) {
    if (a.subscriptionId !== subscriptionId || a.invoiceId) continue;
    a.invoiceId = invoiceId;
    total += a.item.amount * a.quantity;
  }
  return total;
}

/** What the next charge of a subscription adds for its pending add-ons (the checkout shows it). */
export function pendingAddonsAmount(ctx: SandboxContext, subscriptionId: string): number {
  return addons(ctx)
    .filter((a) => a.subscriptionId === subscriptionId && !a.invoiceId)
    .reduce((sum, a) => sum + a.item.amount * a.quantity, 0);
}

function findAddon(ctx: SandboxContext, id: string): RazorpayAddon {
  const a = addons(ctx).find((x) => x.id === id);
  if (!a) throw rzpError(400, "The id provided does not exist", "id");
  return a;
}

export function registerRazorpayAddons(router: Router, ctx: SandboxContext): void {
  const v1 = "/razorpay/v1";
  const bad = (m: string) => rzpError(400, m);
  router
    .add("POST", `${v1}/subscriptions/:id/addons`, (req, [id]) => {
      requireKey(ctx, req);
      const p = parseWith(addonSchema, bodyObject(req), bad);
      const sub = findSubscription(ctx, id!);
      if (ENDED.includes(sub.status)) {
        throw rzpError(400, `Addon cannot be created for a subscription in ${sub.status} status.`);
      }
      const planCurrency = ctx.state.razorpay.plans?.find((x) => x.id === sub.planId)?.item
        .currency;
      if (planCurrency && planCurrency !== p.item.currency) {
        throw rzpError(
          400,
          "The addon currency should be the same as the plan currency.",
          "currency",
        );
      }
      const addon: RazorpayAddon = {
        id: rzpId("ao_"),
        itemId: rzpId("item_"),
        subscriptionId: sub.id,
        item: p.item,
        quantity: p.quantity,
        invoiceId: null,
        createdAt: unixNow(),
      };
      addons(ctx).push(addon);
      ctx.store.changed();
      return json(200, addonJson(addon));
    })
    .add("GET", `${v1}/addons`, (req) => {
      requireKey(ctx, req);
      const p = parseWith(listSchema, queryObject(req), bad);
      const items = addons(ctx)
        .filter(
          (a) =>
            (p.from === undefined || a.createdAt >= p.from) &&
            (p.to === undefined || a.createdAt <= p.to),
        )
        .slice()
        .reverse()
        .slice(p.skip, p.skip + p.count)
        .map(addonJson);
      return json(200, { entity: "collection", count: items.length, items });
    })
    .add("GET", `${v1}/addons/:id`, (req, [id]) => {
      requireKey(ctx, req);
      return json(200, addonJson(findAddon(ctx, id!)));
    })
    .add("DELETE", `${v1}/addons/:id`, (req, [id]) => {
      requireKey(ctx, req);
      const a = findAddon(ctx, id!);
      if (a.invoiceId)
        throw rzpError(400, "Addon has already been invoiced and cannot be deleted.");
      ctx.state.razorpay.addons = addons(ctx).filter((x) => x.id !== a.id);
      ctx.store.changed();
      return json(200, []);
    });
}
