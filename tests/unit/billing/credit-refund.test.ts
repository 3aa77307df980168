import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { creditRefundMinor, planChargeMinor, refundMarker } from "@/lib/billing/credit-refund";
import { buildInvoice } from "@/lib/billing/invoice";
import { overageAddonMinor } from "@/lib/billing/overage-addon";
import { planPrices } from "@/lib/billing/plans";

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

const refundFor = (draft: ReturnType<typeof buildInvoice>) =>
  creditRefundMinor({
    baseMinor: draft.baseMinor,
    taxRateBp: draft.taxRateBp,
    totalMinor: draft.totalMinor,
  });

describe("creditRefundMinor", () => {
  it("the plan's charge is the base plus GST on it (INR), the base alone (USD)", () => {
    expect(planChargeMinor({ baseMinor: 499900, taxRateBp: 1800 })).toBe(589882);
    expect(planChargeMinor({ baseMinor: 5900, taxRateBp: 0 })).toBe(5900);
  });

  it("refunds the credits past the overage, with their GST (INR)", () => {
    // 51 bugs on Starter (1 overage), 3 credits: ₹5,617.98 against the ₹5,898.82 charged
    const draft = buildInvoice({ plan: inr, bugsCount: 51, creditsOwed: 3 });
    expect(draft.totalMinor).toBe(561798);
    expect(refundFor(draft)).toBe(28084);
  });

  it("refunds without tax (USD)", () => {
    const draft = buildInvoice({ plan: usd, bugsCount: 10, creditsOwed: 2 });
    expect(refundFor(draft)).toBe(2 * 149);
  });

  it("refunds nothing when the overage covers the credits (the add-on's case) or they are equal", () => {
    expect(refundFor(buildInvoice({ plan: inr, bugsCount: 52, creditsOwed: 1 }))).toBe(0);
    expect(refundFor(buildInvoice({ plan: inr, bugsCount: 52, creditsOwed: 2 }))).toBe(0);
    expect(refundFor(buildInvoice({ plan: inr, bugsCount: 0, creditsOwed: 0 }))).toBe(0);
  });

  it("charge − refund + add-on is the invoice's total, at most one of them is owed, never above the payment", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(inr, usd),
        (bugsCount, creditsOwed, plan) => {
          const draft = buildInvoice({ plan, bugsCount, creditsOwed });
          const refund = refundFor(draft);
          const addon = overageAddonMinor(draft);
          const charge = planChargeMinor(draft);
          expect(Number.isSafeInteger(refund) && refund >= 0).toBe(true);
          expect(refund === 0 || addon === 0).toBe(true);
          expect(charge - refund + addon).toBe(draft.totalMinor);
          expect(refund).toBeLessThanOrEqual(charge);
        },
      ),
    );
  });

  it("refuses amounts that are not minor units", () => {
    expect(() => creditRefundMinor({ baseMinor: 1.5, taxRateBp: 0, totalMinor: 0 })).toThrow(
      RangeError,
    );
    expect(() => creditRefundMinor({ baseMinor: 100, taxRateBp: 0, totalMinor: -1 })).toThrow(
      RangeError,
    );
  });

  it("marks the refund with its invoice", () => {
    expect(refundMarker("0b6c4f2e-1f1a-4b8e-9d0e-2f4f7f2c9a10")).toBe(
      "patchline-invoice:0b6c4f2e-1f1a-4b8e-9d0e-2f4f7f2c9a10",
    );
  });
});
