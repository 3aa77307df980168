import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInvoice } from "@/lib/billing/invoice";
import { applyRate } from "@/lib/billing/money";
import { addonMarker, overageAddonMinor } from "@/lib/billing/overage-addon";
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

/** What Razorpay charges each cycle: the plan's amount, as `razorpayPlanId` creates it. */
const planCharge = (p: typeof inr) => p.baseMinor + applyRate(p.baseMinor, p.taxRateBp);

const addonFor = (draft: ReturnType<typeof buildInvoice>) =>
  overageAddonMinor({
    baseMinor: draft.baseMinor,
    taxRateBp: draft.taxRateBp,
    totalMinor: draft.totalMinor,
  });

describe("overageAddonMinor", () => {
  it("charges the overage less credits, with GST, beyond the plan's charge (INR)", () => {
    // 52 bugs on Starter, one credit: ₹6,039.24 in all; Razorpay charged ₹5,898.82
    const draft = buildInvoice({ plan: inr, bugsCount: 52, creditsOwed: 1 });
    expect(draft.totalMinor).toBe(603924);
    expect(addonFor(draft)).toBe(14042);
  });

  it("charges the overage less credits without tax (USD)", () => {
    const draft = buildInvoice({ plan: usd, bugsCount: 53, creditsOwed: 1 });
    expect(addonFor(draft)).toBe(2 * 149);
  });

  it("asks nothing when the invoice is the plan's charge, or below it (credits past the overage)", () => {
    expect(addonFor(buildInvoice({ plan: inr, bugsCount: 50, creditsOwed: 0 }))).toBe(0);
    expect(addonFor(buildInvoice({ plan: inr, bugsCount: 51, creditsOwed: 3 }))).toBe(0);
  });

  it("plan charge + add-on is the invoice's total whenever the invoice is at least the plan", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(inr, usd),
        (bugsCount, creditsOwed, plan) => {
          const draft = buildInvoice({ plan, bugsCount, creditsOwed });
          const addon = addonFor(draft);
          expect(Number.isSafeInteger(addon) && addon >= 0).toBe(true);
          if (draft.totalMinor >= planCharge(plan)) {
            expect(planCharge(plan) + addon).toBe(draft.totalMinor);
          } else {
            expect(addon).toBe(0);
          }
        },
      ),
    );
  });

  it("marks the add-on with its invoice", () => {
    expect(addonMarker("0b6c4f2e-1f1a-4b8e-9d0e-2f4f7f2c9a10")).toBe(
      "patchline-invoice:0b6c4f2e-1f1a-4b8e-9d0e-2f4f7f2c9a10",
    );
  });
});
