import type { Address, CartLine } from "../db/types.js";

/** Orders at or above this merchandise value (after discounts) ship free within the US. */
export const FREE_SHIPPING_MINIMUM_CENTS = 5_000;

export type ShippingMethod = "standard" | "express";

export interface ShippingQuote {
  method: ShippingMethod;
  cents: number;
  /** Business days, for the "arrives by" line at checkout. */
  days: [number, number];
  free: boolean;
}

const BASE_RATES: Record<ShippingMethod, { domestic: number; international: number }> = {
  standard: { domestic: 599, international: 1899 },
  express: { domestic: 1499, international: 3999 },
};

/** Extra per started kilogram above the first. */
const PER_KG_CENTS = { domestic: 150, international: 600 };

export function parcelWeightGrams(lines: CartLine[], weightOf: (sku: string) => number): number {
  return lines.reduce((sum, line) => sum + weightOf(line.sku) * line.quantity, 0);
}

/**
 * Price shipping for an order. Standard domestic shipping is free when the discounted
 * merchandise subtotal reaches the free-shipping minimum, or when a free-shipping code applies.
 */
export function quoteShipping(
  method: ShippingMethod,
  address: Pick<Address, "country">,
  merchandiseCents: number,
  weightGrams: number,
  freeShippingCode = false,
): ShippingQuote {
  const domestic = address.country === "US";
  const zone = domestic ? "domestic" : "international";
  const days: [number, number] =
    method === "express" ? (domestic ? [1, 2] : [3, 5]) : domestic ? [3, 5] : [7, 14];
  const qualifies = merchandiseCents > FREE_SHIPPING_MINIMUM_CENTS || freeShippingCode;
  if (domestic && method === "standard" && qualifies) {
    return { method, cents: 0, days, free: true };
  }
  const extraKg = Math.max(0, Math.ceil(weightGrams / 1000) - 1);
  const cents = BASE_RATES[method][zone] + extraKg * PER_KG_CENTS[zone];
  return { method, cents, days, free: false };
}

/** The line under the cart total: how much more to spend for free shipping. */
export function freeShippingHint(merchandiseCents: number): string | undefined {
  const missing = FREE_SHIPPING_MINIMUM_CENTS - merchandiseCents;
  if (missing <= 0) return undefined;
  return `Add $${(missing / 100).toFixed(2)} more for free standard shipping`;
}
