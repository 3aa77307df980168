import type { Address, Cart, CartLine, DiscountCode } from "../db/types.js";
import { type AppliedDiscount, applyDiscount } from "./discounts.js";
import { sumCents } from "./money.js";
import { type ShippingMethod, type ShippingQuote, quoteShipping } from "./shipping.js";
import { estimateTax } from "./tax.js";

export interface Totals {
  subtotalCents: number;
  discount?: AppliedDiscount;
  discountCents: number;
  shipping?: ShippingQuote;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
}

export interface TotalsInput {
  cart: Cart;
  discount?: DiscountCode;
  address?: Address;
  method?: ShippingMethod;
  categoryOf: (line: CartLine) => string;
  weightGramsOf: (sku: string) => number;
}

/**
 * The single place cart and checkout totals are computed, so the cart page, the checkout page
 * and the order record can never disagree. Shipping and tax need an address; before the
 * shopper gives one, they are left out and the total is the discounted subtotal.
 */
export function computeTotals(input: TotalsInput): Totals {
  const { cart, discount, address } = input;
  const subtotalCents = sumCents(cart.lines.map((l) => l.unitPriceCents * l.quantity));
  const applied = discount ? applyDiscount(discount, cart.lines, input.categoryOf) : undefined;
  const discountCents = applied?.amountCents ?? 0;
  const merchandiseCents = subtotalCents - discountCents;
  if (!address) {
    return {
      subtotalCents,
      discount: applied,
      discountCents,
      shippingCents: 0,
      taxCents: 0,
      totalCents: merchandiseCents,
    };
  }
  const weight = cart.lines.reduce((g, l) => g + input.weightGramsOf(l.sku) * l.quantity, 0);
  const shipping = quoteShipping(
    input.method ?? "standard",
    address,
    merchandiseCents,
    weight,
    applied?.freeShipping ?? false,
  );
  const taxCents = estimateTax(address.country, address.region, merchandiseCents, shipping.cents);
  return {
    subtotalCents,
    discount: applied,
    discountCents,
    shipping,
    shippingCents: shipping.cents,
    taxCents,
    totalCents: merchandiseCents + shipping.cents + taxCents,
  };
}
