/**
 * Money in integer minor units: paise for INR, cents for USD. Amounts never pass through floating
 * point on their way to an invoice; rates are basis points (1800 = 18%).
 */

export const CURRENCIES = ["INR", "USD"] as const;
export type Currency = (typeof CURRENCIES)[number];

/** GST on Indian invoices, in basis points. USD invoices carry no sales tax. */
export const GST_RATE_BP = 1800;

/** Throws unless `value` is a safe, non-negative integer (an amount in minor units or a count). */
export function assertMinor(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer in minor units, got ${value}`);
  }
  return value;
}

/**
 * `amountMinor × rateBp / 10000`, rounded half up to the minor unit (GST is charged to the paisa).
 * Computed in BigInt so large amounts cannot lose precision.
 */
export function applyRate(amountMinor: number, rateBp: number): number {
  assertMinor(amountMinor, "amount");
  if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp > 10_000) {
    throw new RangeError(`rate must be 0..10000 basis points, got ${rateBp}`);
  }
  const product = BigInt(amountMinor) * BigInt(rateBp);
  const result = (product + 5_000n) / 10_000n;
  return Number(result);
}

/** `₹4,999.00` or `$59.00`, for invoice descriptions and pages. */
export function formatMinor(amountMinor: number, currency: Currency): string {
  const locale = currency === "INR" ? "en-IN" : "en-US";
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amountMinor / 100);
}
