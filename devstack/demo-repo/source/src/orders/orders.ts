import type { Store } from "../db/store.js";
import type { Order } from "../db/types.js";
import { ConflictError, NotFoundError } from "../http/errors.js";
import { releaseStock } from "../inventory/inventory.js";
import type { PaymentGateway } from "../checkout/payments.js";

/** An order as its customer may see it: someone else's order is "not found", not "forbidden". */
export async function getCustomerOrder(store: Store, customerId: string, id: string): Promise<Order> {
  const order = await store.getOrder(id);
  if (!order || order.customerId !== customerId) throw new NotFoundError("Order");
  return order;
}

/** A customer's orders, newest first. */
export async function orderHistory(store: Store, customerId: string): Promise<Order[]> {
  const orders = await store.listOrders({ customerId });
  return orders.sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime());
}

/**
 * Cancel an order that has not shipped: refund the charge in full and put the stock back.
 * Shipped orders go through returns instead.
 */
export async function cancelOrder(
  store: Store,
  payments: PaymentGateway,
  customerId: string,
  id: string,
): Promise<Order> {
  const order = await getCustomerOrder(store, customerId, id);
  if (order.status === "cancelled") return order;
  if (order.status !== "paid" && order.status !== "pending") {
    throw new ConflictError("not_cancellable", "This order has shipped; start a return instead");
  }
  if (order.paymentId) await payments.refund(order.paymentId);
  await releaseStock(
    store,
    order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
  );
  const cancelled: Order = { ...order, status: "cancelled" };
  await store.saveOrder(cancelled);
  return cancelled;
}

/** Mark an order shipped with its tracking number (called by the fulfilment webhook). */
export async function markShipped(store: Store, id: string): Promise<Order> {
  const order = await store.getOrder(id);
  if (!order) throw new NotFoundError("Order");
  if (order.status !== "paid") {
    throw new ConflictError("not_shippable", `Order ${order.number} is ${order.status}`);
  }
  const shipped: Order = { ...order, status: "shipped" };
  await store.saveOrder(shipped);
  return shipped;
}
