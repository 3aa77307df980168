import { describe, expect, it } from "vitest";
import { freeShippingHint, quoteShipping } from "../src/pricing/shipping.js";

describe("quoteShipping", () => {
  it("charges standard domestic shipping below the free-shipping minimum", () => {
    expect(quoteShipping("standard", { country: "US" }, 3000, 900).cents).toBe(599);
  });

  it("ships free above the minimum", () => {
    const quote = quoteShipping("standard", { country: "US" }, 7500, 900);
    expect(quote).toMatchObject({ cents: 0, free: true });
  });

  it("adds a rate per started kilogram", () => {
    expect(quoteShipping("express", { country: "CA" }, 1000, 2100).cents).toBe(3999 + 2 * 600);
  });

  it("honours free-shipping codes for standard domestic only", () => {
    expect(quoteShipping("standard", { country: "US" }, 1000, 100, true).cents).toBe(0);
    expect(quoteShipping("express", { country: "US" }, 1000, 100, true).cents).toBe(1499);
  });
});

describe("freeShippingHint", () => {
  it("says how much is missing", () => {
    expect(freeShippingHint(4250)).toBe("Add $7.50 more for free standard shipping");
    expect(freeShippingHint(9000)).toBeUndefined();
  });
});
