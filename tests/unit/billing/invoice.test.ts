import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInvoice, type InvoiceDraft } from "@/lib/billing/invoice";
import { applyRate, formatMinor } from "@/lib/billing/money";
import { currencyForCountry, type PlanPrices, planPrices } from "@/lib/billing/plans";

// The Starter row as the migration seeds it.
const STARTER = {
  name: "Starter",
  included_bugs: 50,
  price_inr_paise: 499900,
  gst_rate_bp: 1800,
  price_usd_cents: 5900,
  overage_inr_paise: 11900,
  overage_usd_cents: 149,
};
const inr = planPrices(STARTER, "INR");
const usd = planPrices(STARTER, "USD");

/** The equations the invoices table checks, and the lines summing to the total. */
function expectAddsUp(draft: InvoiceDraft): void {
  expect(draft.subtotalMinor).toBe(draft.baseMinor + draft.overageMinor - draft.creditsMinor);
  expect(draft.totalMinor).toBe(draft.subtotalMinor + draft.taxMinor);
  expect(draft.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(draft.totalMinor);
  for (const l of draft.lines) {
    expect(Number.isSafeInteger(l.amountMinor)).toBe(true);
    expect(l.amountMinor).toBe(l.quantity * l.unitMinor);
  }
}

describe("money in integer minor units", () => {
  it("rounds GST half up to the paisa", () => {
    expect(applyRate(499900, 1800)).toBe(89982);
    expect(applyRate(25, 1800)).toBe(5); // 4.5 → 5
    expect(applyRate(24, 1800)).toBe(4); // 4.32 → 4
    expect(applyRate(0, 1800)).toBe(0);
  });

  it("stays exact for amounts past 2^53 / 10000", () => {
    expect(applyRate(9_000_000_000_000_00, 1800)).toBe(162_000_000_000_000);
  });

  it("refuses fractional or negative amounts", () => {
    expect(() => applyRate(10.5, 1800)).toThrow(RangeError);
    expect(() => applyRate(-1, 1800)).toThrow(RangeError);
  });

  it("formats for people", () => {
    expect(formatMinor(499900, "INR")).toBe("₹4,999.00");
    expect(formatMinor(11900000, "INR")).toBe("₹1,19,000.00");
    expect(formatMinor(149, "USD")).toBe("$1.49");
  });

  it("bills India in INR and everyone else in USD", () => {
    expect(currencyForCountry("in")).toBe("INR");
    expect(currencyForCountry("US")).toBe("USD");
    expect(usd.taxRateBp).toBe(0);
    expect(inr).toMatchObject({ baseMinor: 499900, overageUnitMinor: 11900, taxRateBp: 1800 });
  });
});

describe("invoice arithmetic", () => {
  it("INR within the allowance: base + 18% GST", () => {
    const draft = buildInvoice({ plan: inr, bugsCount: 42, creditsOwed: 0 });
    expect(draft).toMatchObject({
      overageBugs: 0,
      baseMinor: 499900,
      overageMinor: 0,
      subtotalMinor: 499900,
      taxMinor: 89982,
      totalMinor: 589882,
    });
    expect(draft.lines.map((l) => [l.kind, l.description, l.amountMinor])).toEqual([
      ["base", "Starter plan, 50 Mapped Bugs included", 499900],
      ["tax", "GST 18%", 89982],
    ]);
    expectAddsUp(draft);
  });

  it("INR with overage and credits: GST on what remains after credits", () => {
    const draft = buildInvoice({ plan: inr, bugsCount: 62, creditsOwed: 2 });
    // 12 × 119 = 1,428.00 overage; 2 credits = 238.00; subtotal 6,189.00; GST 1,114.02
    expect(draft).toMatchObject({
      overageBugs: 12,
      overageMinor: 142800,
      creditedBugs: 2,
      creditsMinor: 23800,
      subtotalMinor: 618900,
      taxMinor: 111402,
      totalMinor: 730302,
      creditsCarried: 0,
    });
    expect(draft.lines.map((l) => [l.kind, l.quantity, l.unitMinor])).toEqual([
      ["base", 1, 499900],
      ["overage", 12, 11900],
      ["credit", 2, -11900],
      ["tax", 1, 111402],
    ]);
    expect(draft.lines[1]?.description).toBe("Overage: 12 Mapped Bugs × ₹119.00");
    expectAddsUp(draft);
  });

  it("USD carries no tax line", () => {
    const draft = buildInvoice({ plan: usd, bugsCount: 51, creditsOwed: 1 });
    expect(draft).toMatchObject({ taxMinor: 0, taxRateBp: 0, totalMinor: 5900 });
    expect(draft.lines.map((l) => l.kind)).toEqual(["base", "overage", "credit"]);
    expectAddsUp(draft);
  });

  it("never goes below zero: credits that do not fit carry to the next invoice", () => {
    const free: PlanPrices = { ...inr, baseMinor: 20000 };
    const draft = buildInvoice({ plan: free, bugsCount: 3, creditsOwed: 5 });
    // 200.00 holds one whole 119.00 credit; four wait
    expect(draft).toMatchObject({ creditedBugs: 1, creditsCarried: 4, subtotalMinor: 8100 });
    expectAddsUp(draft);
  });

  it("refuses a fractional count", () => {
    expect(() => buildInvoice({ plan: inr, bugsCount: 1.5, creditsOwed: 0 })).toThrow(RangeError);
  });

  it("adds up for any plan, count and credits, in both currencies", () => {
    fc.assert(
      fc.property(
        fc.record({
          includedBugs: fc.integer({ min: 1, max: 5000 }),
          baseMinor: fc.integer({ min: 0, max: 100_000_000 }),
          overageUnitMinor: fc.integer({ min: 0, max: 1_000_000 }),
          currency: fc.constantFrom("INR" as const, "USD" as const),
        }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 500 }),
        (p, bugsCount, creditsOwed) => {
          const plan: PlanPrices = { ...p, name: "P", taxRateBp: 1800 };
          const draft = buildInvoice({ plan, bugsCount, creditsOwed });
          expectAddsUp(draft);
          expect(draft.subtotalMinor).toBeGreaterThanOrEqual(0);
          expect(draft.creditedBugs + draft.creditsCarried).toBe(creditsOwed);
          expect(draft.overageBugs).toBe(Math.max(0, bugsCount - p.includedBugs));
          if (p.currency === "USD") expect(draft.taxMinor).toBe(0);
          else expect(draft.taxMinor).toBe(applyRate(draft.subtotalMinor, 1800));
        },
      ),
    );
  });
});
