import type { Store } from "../db/store.js";
import type { CartLine, DiscountCode } from "../db/types.js";
import { ValidationError } from "../http/errors.js";
import { sumCents } from "./money.js";

export interface AppliedDiscount {
  code: string;
  kind: DiscountCode["kind"];
  /** Cents taken off the merchandise subtotal (0 for free shipping codes). */
  amountCents: number;
  freeShipping: boolean;
  /** Per cart line, what the discount took off that line: shown on the receipt. */
  perLine: { sku: string; amountCents: number }[];
}

/** Why a code cannot be used, in the words the cart page shows. */
export function discountProblem(
  discount: DiscountCode | undefined,
  subtotalCents: number,
  now: Date,
): string | undefined {
  if (!discount) return "That code doesn't exist";
  if (now < discount.startsAt) return "That code isn't active yet";
  if (discount.endsAt && now >= discount.endsAt) return "That code has expired";
  if (discount.usageLimit !== undefined && discount.timesUsed >= discount.usageLimit) {
    return "That code has been used up";
  }
  if (subtotalCents < discount.minimumSubtotalCents) {
    const min = (discount.minimumSubtotalCents / 100).toFixed(2);
    return `That code needs a subtotal of at least ${min}`;
  }
  return undefined;
}

function eligibleLines(discount: DiscountCode, lines: CartLine[], categoryOf: (l: CartLine) => string) {
  if (discount.categories.length === 0) return lines;
  return lines.filter((line) => discount.categories.includes(categoryOf(line)));
}

/**
 * Work out what a discount code takes off a cart. Percent codes apply to each eligible line;
 * fixed codes are spread over the eligible lines in proportion and never exceed them.
 */
export function applyDiscount(
  discount: DiscountCode,
  lines: CartLine[],
  categoryOf: (line: CartLine) => string,
): AppliedDiscount {
  const eligible = eligibleLines(discount, lines, categoryOf);
  const perLine: AppliedDiscount["perLine"] = [];
  if (discount.kind === "percent") {
    for (const line of eligible) {
      const unitDiscount = Math.floor((line.unitPriceCents * discount.value) / 100);
      perLine.push({ sku: line.sku, amountCents: unitDiscount * line.quantity });
    }
  } else if (discount.kind === "fixed") {
    const eligibleTotal = sumCents(eligible.map((l) => l.unitPriceCents * l.quantity));
    const amount = Math.min(discount.value, eligibleTotal);
    let left = amount;
    eligible.forEach((line, i) => {
      const lineTotal = line.unitPriceCents * line.quantity;
      const share =
        i === eligible.length - 1 ? left : Math.round((amount * lineTotal) / eligibleTotal);
      perLine.push({ sku: line.sku, amountCents: share });
      left -= share;
    });
  }
  return {
    code: discount.code,
    kind: discount.kind,
    amountCents: sumCents(perLine.map((p) => p.amountCents)),
    freeShipping: discount.kind === "free_shipping",
    perLine,
  };
}

/** Look a code up and check it can be used on this cart now; throws the cart page's message. */
export async function redeemableDiscount(
  store: Store,
  code: string,
  subtotalCents: number,
  now = new Date(),
): Promise<DiscountCode> {
  const discount = await store.getDiscountCode(code.trim());
  const problem = discountProblem(discount, subtotalCents, now);
  if (problem) throw new ValidationError(problem, { field: "discountCode" });
  return discount!;
}
