import { randomUUID } from "node:crypto";
import { priceCart } from "../cart/cart-totals.js";
import { repriceCart } from "../cart/cart.js";
import type { Store } from "../db/store.js";
import type { Address, Cart, Order } from "../db/types.js";
import { ConflictError, ValidationError } from "../http/errors.js";
import { releaseStock, reserveStock } from "../inventory/inventory.js";
import type { Notifier } from "../notifications/notifier.js";
import type { ShippingMethod } from "../pricing/shipping.js";
import type { PaymentGateway } from "./payments.js";

export interface CheckoutRequest {
  cartId: string;
  customerId: string;
  address: Address;
  method: ShippingMethod;
  paymentToken: string;
  /** The total the shopper saw; if pricing moved since, we stop and show the new total. */
  expectedTotalCents: number;
}

export interface CheckoutDeps {
  store: Store;
  payments: PaymentGateway;
  notifier: Notifier;
  now?: () => Date;
}

/**
 * Turn a cart into a paid order: re-price, reserve stock, charge, record, confirm.
 * Stock is reserved before the charge so nobody pays for something we cannot ship; if the
 * charge fails the reservation is released and the cart is left as it was.
 */
export async function placeOrder(deps: CheckoutDeps, request: CheckoutRequest): Promise<Order> {
  const { store, payments, notifier } = deps;
  const now = deps.now?.() ?? new Date();
  const cart = await store.getCart(request.cartId);
  if (!cart || cart.lines.length === 0) throw new ValidationError("Your cart is empty");
  if (cart.customerId && cart.customerId !== request.customerId) {
    throw new ValidationError("This cart belongs to another account");
  }

  const { changed } = await repriceCart(store, cart);
  const totals = await priceCart(store, cart, {
    address: request.address,
    method: request.method,
    now,
  });
  if (changed.length > 0 || totals.totalCents !== request.expectedTotalCents) {
    await store.saveCart(cart);
    throw new ConflictError("price_changed", "Prices changed since you opened checkout", {
      changed,
      totalCents: totals.totalCents,
    });
  }

  const reservations = await reserveStock(store, cart.lines);
  const number = await store.nextOrderNumber();
  let paymentId: string;
  try {
    const charge = await payments.charge({
      amountCents: totals.totalCents,
      currency: cart.currency,
      paymentToken: request.paymentToken,
      orderNumber: number,
      idempotencyKey: `order-${cart.id}-${totals.totalCents}`,
    });
    paymentId = charge.id;
  } catch (error) {
    await releaseStock(store, reservations);
    throw error;
  }

  const order = buildOrder(cart, request, number, paymentId, totals, now);
  await store.saveOrder(order);
  if (cart.discountCode) await store.incrementDiscountUsage(cart.discountCode);
  await store.deleteCart(cart.id);
  await notifier.orderPlaced(order).catch((error) => {
    // The order is paid and saved; a failed email must not turn into a failed checkout.
    console.error("order confirmation email failed", order.id, error);
  });
  return order;
}

function buildOrder(
  cart: Cart,
  request: CheckoutRequest,
  number: number,
  paymentId: string,
  totals: Awaited<ReturnType<typeof priceCart>>,
  now: Date,
): Order {
  return {
    id: randomUUID(),
    number,
    customerId: request.customerId,
    merchantId: cart.merchantId ?? "",
    lines: cart.lines.map((l) => ({ ...l })),
    subtotalCents: totals.subtotalCents,
    discountCents: totals.discountCents,
    shippingCents: totals.shippingCents,
    taxCents: totals.taxCents,
    totalCents: totals.totalCents,
    currency: cart.currency,
    discountCode: cart.discountCode,
    shippingAddress: request.address,
    paymentId,
    status: "paid",
    placedAt: now,
  };
}
