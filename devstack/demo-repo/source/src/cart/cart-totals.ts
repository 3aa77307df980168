import type { Store } from "../db/store.js";
import type { Address, Cart, Product } from "../db/types.js";
import { redeemableDiscount } from "../pricing/discounts.js";
import { freeShippingHint } from "../pricing/shipping.js";
import type { ShippingMethod } from "../pricing/shipping.js";
import { type Totals, computeTotals } from "../pricing/totals.js";

/** Totals for a cart, looking up what pricing needs (categories, weights, the discount code). */
export async function priceCart(
  store: Store,
  cart: Cart,
  options: { address?: Address; method?: ShippingMethod; now?: Date } = {},
): Promise<Totals & { hint?: string }> {
  const products = new Map<string, Product>();
  for (const line of cart.lines) {
    const product = await store.getProduct(line.productId);
    if (product) products.set(line.sku, product);
  }
  const subtotal = cart.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  const discount = cart.discountCode
    ? await redeemableDiscount(store, cart.discountCode, subtotal, options.now)
    : undefined;
  const totals = computeTotals({
    cart,
    discount,
    address: options.address,
    method: options.method,
    categoryOf: (line) => products.get(line.sku)?.category ?? "",
    weightGramsOf: (sku) => products.get(sku)?.weightGrams ?? 0,
  });
  return { ...totals, hint: freeShippingHint(totals.subtotalCents - totals.discountCents) };
}
