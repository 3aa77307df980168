import { requireSession } from "../auth/session.js";
import type { PaymentGateway } from "../checkout/payments.js";
import type { Store } from "../db/store.js";
import type { Router } from "../http/router.js";
import { cancelOrder, getCustomerOrder, orderHistory } from "./orders.js";

export function orderRoutes(router: Router, deps: { store: Store; payments: PaymentGateway }): void {
  const { store, payments } = deps;

  router.on("GET", "/orders", async (ctx) => {
    const customerId = await requireSession(ctx, store);
    const orders = await orderHistory(store, customerId);
    return {
      orders: orders.map((o) => ({
        id: o.id,
        number: o.number,
        status: o.status,
        totalCents: o.totalCents,
        placedAt: o.placedAt.toISOString(),
      })),
    };
  });

  router.on("GET", "/orders/:id", async (ctx) => {
    const customerId = await requireSession(ctx, store);
    return { order: await getCustomerOrder(store, customerId, ctx.params.id!) };
  });

  router.on("POST", "/orders/:id/cancel", async (ctx) => {
    const customerId = await requireSession(ctx, store);
    return { order: await cancelOrder(store, payments, customerId, ctx.params.id!) };
  });
}
