import { describe, expect, it } from "vitest";
import type { CartLine, DiscountCode } from "../src/db/types.js";
import { applyDiscount, discountProblem } from "../src/pricing/discounts.js";

const base: DiscountCode = {
  code: "SPRING20",
  kind: "percent",
  value: 20,
  minimumSubtotalCents: 0,
  categories: [],
  startsAt: new Date("2024-01-01T00:00:00Z"),
  timesUsed: 0,
};

const line = (sku: string, unitPriceCents: number, quantity = 1): CartLine => ({
  productId: sku,
  sku,
  title: sku,
  unitPriceCents,
  quantity,
});

describe("applyDiscount", () => {
  it("takes a percentage off every line", () => {
    const applied = applyDiscount(base, [line("A", 5000), line("B", 2500, 2)], () => "kitchen");
    expect(applied.amountCents).toBe(2000);
    expect(applied.perLine).toEqual([
      { sku: "A", amountCents: 1000 },
      { sku: "B", amountCents: 1000 },
    ]);
  });

  it("only discounts the categories a code is limited to", () => {
    const code = { ...base, categories: ["pantry"] };
    const applied = applyDiscount(code, [line("JAM", 1000), line("MUG", 1000)], (l) =>
      l.sku === "JAM" ? "pantry" : "kitchen",
    );
    expect(applied.amountCents).toBe(200);
  });

  it("spreads a fixed amount over the lines and never exceeds them", () => {
    const code = { ...base, kind: "fixed" as const, value: 1000 };
    const applied = applyDiscount(code, [line("A", 300), line("B", 300)], () => "");
    expect(applied.amountCents).toBe(600);
  });
});

describe("discountProblem", () => {
  const now = new Date("2024-06-01T12:00:00Z");
  it("accepts a live code", () => {
    expect(discountProblem(base, 1000, now)).toBeUndefined();
  });
  it("explains an expired code", () => {
    expect(discountProblem({ ...base, endsAt: new Date("2024-05-01T00:00:00Z") }, 1000, now)).toBe(
      "That code has expired",
    );
  });
  it("explains a used-up code", () => {
    expect(discountProblem({ ...base, usageLimit: 1, timesUsed: 1 }, 1000, now)).toBe(
      "That code has been used up",
    );
  });
});
