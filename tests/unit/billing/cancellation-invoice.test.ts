import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cancellationInvoice,
  cancellationNote,
  cancellationPeriod,
  cancellationRefundMinor,
} from "@/lib/billing/cancellation-invoice";
import { buildInvoice } from "@/lib/billing/invoice";
import { renderInvoicePdf } from "@/lib/billing/invoices/invoice-pdf";
import { overageAddonMinor } from "@/lib/billing/overage-addon";
import { planPrices } from "@/lib/billing/plans";
import { pdfText } from "@/tests/helpers/pdf-text";

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

describe("cancellationInvoice", () => {
  it("bills the partial cycle's overage with GST and no base (60 bugs on Starter, INR)", () => {
    const draft = cancellationInvoice({ plan: inr, bugsCount: 60, creditsOwed: 0 });
    expect(draft).toMatchObject({
      baseMinor: 0,
      includedBugs: 50,
      bugsCount: 60,
      overageBugs: 10,
      overageMinor: 119_000,
      taxMinor: 21_420,
      totalMinor: 140_420,
    });
    expect(draft.lines.map((l) => [l.kind, l.description, l.amountMinor])).toEqual([
      [
        "base",
        "Starter plan, 50 Mapped Bugs included: paid with the charge that started this period",
        0,
      ],
      ["overage", "Overage: 10 Mapped Bugs × ₹119.00", 119_000],
      ["tax", "GST 18%", 21_420],
    ]);
    // the payment link asks all of it: nothing of this invoice was charged
    expect(overageAddonMinor({ baseMinor: 0, taxRateBp: 1800, totalMinor: 140_420 })).toBe(140_420);
  });

  it("keeps the whole allowance (not prorated) and asks nothing within it", () => {
    const draft = cancellationInvoice({ plan: inr, bugsCount: 50, creditsOwed: 0 });
    expect(draft).toMatchObject({ overageBugs: 0, subtotalMinor: 0, taxMinor: 0, totalMinor: 0 });
    expect(draft.lines.map((l) => l.kind)).toEqual(["base", "tax"]);
  });

  it("applies credits up to the overage and carries the rest (the existing credit rule)", () => {
    const one = cancellationInvoice({ plan: inr, bugsCount: 60, creditsOwed: 1 });
    expect(one).toMatchObject({ creditedBugs: 1, creditsMinor: 11_900, totalMinor: 126_378 });
    const many = cancellationInvoice({ plan: inr, bugsCount: 52, creditsOwed: 5 });
    expect(many).toMatchObject({ creditedBugs: 2, creditsCarried: 3, totalMinor: 0 });
    const none = cancellationInvoice({ plan: inr, bugsCount: 10, creditsOwed: 2 });
    expect(none).toMatchObject({ creditedBugs: 0, creditsCarried: 2, totalMinor: 0 });
  });

  it("charges no tax on USD", () => {
    const draft = cancellationInvoice({ plan: usd, bugsCount: 60, creditsOwed: 0 });
    expect(draft).toMatchObject({ overageMinor: 1_490, taxMinor: 0, totalMinor: 1_490 });
  });

  it("is the cycle invoice's arithmetic without the base, for any count and credits", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom(inr, usd),
        (bugsCount, creditsOwed, plan) => {
          const draft = cancellationInvoice({ plan, bugsCount, creditsOwed });
          const reference = buildInvoice({
            plan: { ...plan, baseMinor: 0 },
            bugsCount,
            creditsOwed,
          });
          expect(draft.totalMinor).toBe(reference.totalMinor);
          expect(draft.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(draft.totalMinor);
          expect(draft.creditedBugs).toBeLessThanOrEqual(draft.overageBugs);
        },
      ),
    );
  });
});

describe("cancellationRefundMinor", () => {
  it("refunds the credits above the overage, with GST (51 bugs, 3 credits on Starter)", () => {
    const draft = cancellationInvoice({ plan: inr, bugsCount: 51, creditsOwed: 3 });
    expect(draft).toMatchObject({ creditedBugs: 1, creditsCarried: 2, totalMinor: 0 });
    // the invoice settles all 3: 1 applied, 2 refunded (₹238.00 + ₹42.84)
    expect(
      cancellationRefundMinor({
        creditedBugs: 3,
        creditsMinor: draft.creditsMinor,
        unitMinor: inr.overageUnitMinor,
        taxRateBp: 1800,
      }),
    ).toBe(28_084);
    expect(
      cancellationRefundMinor({ creditedBugs: 2, creditsMinor: 298, unitMinor: 149, taxRateBp: 0 }),
    ).toBe(0);
    expect(
      cancellationRefundMinor({ creditedBugs: 3, creditsMinor: 149, unitMinor: 149, taxRateBp: 0 }),
    ).toBe(298);
  });
  it("refuses applied credits that do not fit the credited count", () => {
    expect(() =>
      cancellationRefundMinor({ creditedBugs: 1, creditsMinor: 298, unitMinor: 149, taxRateBp: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      cancellationRefundMinor({ creditedBugs: 2, creditsMinor: 100, unitMinor: 149, taxRateBp: 0 }),
    ).toThrow(RangeError);
  });
});

describe("cancellationPeriod", () => {
  it("runs from the cycle's start to the cancellation", () => {
    const start = new Date("2026-12-01T00:00:00Z");
    const at = new Date("2026-12-07T05:40:00Z");
    expect(cancellationPeriod(start, at)).toEqual({ start, end: at });
  });
  it("closes a one-second period when the cancellation is at the cycle's start", () => {
    const start = new Date("2026-12-01T00:00:00Z");
    expect(cancellationPeriod(start, start).end).toEqual(new Date("2026-12-01T00:00:01Z"));
    expect(cancellationPeriod(start, new Date("2026-11-30T00:00:00Z")).end.getTime()).toBe(
      start.getTime() + 1000,
    );
  });
});

describe("cancellationNote", () => {
  const base = {
    totalMinor: 140_420,
    overageBugs: 10,
    includedBugs: 50,
    linked: false,
    paid: false,
  };
  it("says what the invoice closes and what is to pay, as it goes", () => {
    expect(cancellationNote(base)).toEqual([
      "Subscription cancelled: its last period, up to the cancellation.",
      "10 Mapped Bugs over the plan's 50: a Razorpay payment link follows.",
    ]);
    expect(cancellationNote({ ...base, linked: true })[1]).toBe(
      "10 Mapped Bugs over the plan's 50: pay by Razorpay payment link.",
    );
    expect(cancellationNote({ ...base, linked: true, paid: true })[1]).toBe(
      "10 Mapped Bugs over the plan's 50, paid by payment link.",
    );
  });
  it("says there is nothing to pay within the allowance, or when credits covered the overage", () => {
    expect(cancellationNote({ ...base, totalMinor: 0, overageBugs: 0 })[1]).toBe(
      "Nothing to pay: the Mapped Bugs stayed within the plan's 50.",
    );
    expect(cancellationNote({ ...base, totalMinor: 0, overageBugs: 1 })[1]).toBe(
      "Nothing to pay: the 1 Mapped Bug over the plan's 50 was credited.",
    );
  });
});

describe("a cancellation invoice's PDF", () => {
  it("says the subscription was cancelled and where to pay", async () => {
    const draft = cancellationInvoice({ plan: inr, bugsCount: 60, creditsOwed: 0 });
    const pdf = await renderInvoicePdf({
      invoiceId: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
      workspaceName: "Acme",
      planName: "Starter",
      currency: "INR",
      periodStart: new Date("2026-12-01T00:00:00Z"),
      periodEnd: new Date("2026-12-07T05:40:00Z"),
      status: "issued",
      paidAt: null,
      issuedAt: new Date("2026-12-07T05:40:02Z"),
      bugsCount: draft.bugsCount,
      includedBugs: draft.includedBugs,
      lines: draft.lines,
      subtotalMinor: draft.subtotalMinor,
      totalMinor: draft.totalMinor,
      razorpayPaymentId: null,
      cancellation: {
        overageBugs: 10,
        paymentLink: { id: "plink_A", url: "https://rzp.io/i/a" },
        paidPaymentId: null,
      },
      billTo: null,
    });
    const { lines } = await pdfText(pdf);
    expect(lines).toContain("1 Dec 2026 - 7 Dec 2026 (subscription cancelled)");
    expect(lines[lines.indexOf("Status") + 1]).toBe("Due");
    expect(lines).toContain("Subscription cancelled: its last period, up to the cancellation.");
    expect(lines).toContain("10 Mapped Bugs over the plan's 50: pay by Razorpay payment link.");
    expect(lines).toContain("Pay at https://rzp.io/i/a (Razorpay payment link plink_A).");
  });
});
