import { z } from "zod";
import { requireSession } from "../auth/session.js";
import type { Store } from "../db/store.js";
import { readBody } from "../http/body.js";
import type { Router } from "../http/router.js";
import type { Notifier } from "../notifications/notifier.js";
import { placeOrder } from "./checkout.js";
import type { PaymentGateway } from "./payments.js";

const address = z.object({
  name: z.string().min(1).max(120),
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  region: z.string().min(2).max(3),
  postalCode: z.string().min(3).max(12),
  country: z.string().length(2),
});

const checkoutBody = z.object({
  cartId: z.string().uuid(),
  address,
  method: z.enum(["standard", "express"]).default("standard"),
  paymentToken: z.string().min(8),
  expectedTotalCents: z.number().int().nonnegative(),
});

export function checkoutRoutes(
  router: Router,
  deps: { store: Store; payments: PaymentGateway; notifier: Notifier },
): void {
  /**
   * POST /checkout: 201 with the order, 409 when stock or prices moved, 402 when the card is
   * declined, 502 when the payment provider is down (the front offers to retry).
   */
  router.on("POST", "/checkout", async (ctx) => {
    const customerId = await requireSession(ctx, deps.store);
    const body = await readBody(ctx.req, checkoutBody);
    const order = await placeOrder(deps, { ...body, customerId });
    ctx.res.statusCode = 201;
    return {
      order: { id: order.id, number: order.number, totalCents: order.totalCents },
    };
  });
}
