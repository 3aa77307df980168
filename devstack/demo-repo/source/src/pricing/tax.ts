import { percentOf } from "./money.js";

/**
 * Sales tax rates in basis points by US state, for the estimate shown at checkout. The billing
 * service holds the same table (billing/acme_billing/tax.py) and computes the tax on invoices;
 * both tax the merchandise after discounts, and shipping where the state taxes it.
 */
const STATE_RATES_BP: Record<string, number> = {
  CA: 725,
  NY: 400,
  TX: 625,
  WA: 650,
  IL: 625,
  MA: 625,
  NJ: 663,
  PA: 600,
  CO: 290,
  OR: 0,
  MT: 0,
  NH: 0,
  DE: 0,
};

const TAXES_SHIPPING = new Set(["NY", "TX", "WA", "NJ", "PA"]);

export function taxRateBp(country: string, region: string): number {
  if (country !== "US") return 0;
  return STATE_RATES_BP[region.toUpperCase()] ?? 0;
}

export function estimateTax(
  country: string,
  region: string,
  discountedMerchandiseCents: number,
  shippingCents: number,
): number {
  const rate = taxRateBp(country, region);
  const taxable =
    discountedMerchandiseCents + (TAXES_SHIPPING.has(region.toUpperCase()) ? shippingCents : 0);
  return percentOf(taxable, rate);
}
