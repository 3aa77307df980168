/** Money helpers. Amounts are integer cents; a float never holds money. */

export type Currency = "USD" | "EUR" | "GBP";

const LOCALE: Record<Currency, string> = { USD: "en-US", EUR: "de-DE", GBP: "en-GB" };

export function formatMoney(cents: number, currency: Currency): string {
  return new Intl.NumberFormat(LOCALE[currency], { style: "currency", currency }).format(
    cents / 100,
  );
}

/** Round half away from zero, the way receipts and the payment provider round. */
export function roundCents(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** `basisPoints` of an amount, rounded to the cent (1 bp = 0.01%). */
export function percentOf(cents: number, basisPoints: number): number {
  return roundCents((cents * basisPoints) / 10_000);
}

/**
 * Split `total` over `weights` in proportion, so that the parts add up to the total exactly
 * (largest remainder). Used to spread an order-level amount over its lines for refunds.
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let remainder = total - parts.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, frac: r - Math.floor(r) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (remainder <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    remainder -= 1;
  }
  return parts;
}

export function sumCents(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
