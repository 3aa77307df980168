import { describe, expect, it } from "vitest";
import { creditRefundMinor } from "@/lib/billing/credit-refund";
import { buildInvoice } from "@/lib/billing/invoice";
import { pdfAmount, pdfSafe, renderInvoicePdf } from "@/lib/billing/invoices/invoice-pdf";
import { pdfText } from "@/tests/helpers/pdf-text";

const growth = {
  name: "Growth",
  includedBugs: 200,
  baseMinor: 1_499_900,
  overageUnitMinor: 8_900,
  taxRateBp: 1800,
};

function input(currency: "INR" | "USD", gstin: string | null) {
  const plan =
    currency === "INR"
      ? { ...growth, currency }
      : { ...growth, currency, baseMinor: 17_900, overageUnitMinor: 109, taxRateBp: 0 };
  const draft = buildInvoice({ plan, bugsCount: 203, creditsOwed: 1 });
  return {
    draft,
    pdf: {
      invoiceId: "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
      workspaceName: "Acme Bäckerei",
      planName: "Growth",
      currency,
      periodStart: new Date("2026-12-06T00:00:00Z"),
      periodEnd: new Date("2027-01-06T00:00:00Z"),
      status: "paid" as const,
      paidAt: new Date("2026-12-06T00:00:05Z"),
      issuedAt: new Date("2026-12-06T00:00:05Z"),
      bugsCount: draft.bugsCount,
      includedBugs: draft.includedBugs,
      lines: draft.lines,
      subtotalMinor: draft.subtotalMinor,
      totalMinor: draft.totalMinor,
      razorpayPaymentId: "pay_BBBBBBBBBBBBBB",
      billTo: {
        contactName: "Asha Rao",
        contactEmail: "billing@acme.example",
        address: ["12 MG Road", "Bengaluru 560001"],
        country: currency === "INR" ? "IN" : "US",
        gstin,
      },
    },
  };
}

describe("invoice PDF", () => {
  it("parses back with pdf-lib and states period, plan, every line, GST, total, status and GSTIN", async () => {
    const { draft, pdf } = input("INR", "29ABCDE1234F1Z5");
    const { doc, lines } = await pdfText(await renderInvoicePdf(pdf));
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("Patchline invoice PL-0F1E2D3C");
    expect(lines).toContain("6 Dec 2026 - 6 Jan 2027");
    expect(lines).toContain("Growth (200 Mapped Bugs included)");
    expect(lines).toContain("GSTIN 29ABCDE1234F1Z5");
    expect(lines).toContain("Paid on 6 Dec 2026");
    for (const l of draft.lines) {
      expect(lines).toContain(pdfSafe(l.description));
      expect(lines).toContain(pdfAmount(l.amountMinor, "INR"));
    }
    expect(lines).toContain("GST 18%");
    expect(lines).toContain(pdfAmount(draft.totalMinor, "INR"));
    // 14,999 + 3 × 89 − 1 × 89 = 15,177; + 18% GST 2,731.86 = 17,908.86
    expect(pdfAmount(draft.totalMinor, "INR")).toBe("INR 17,908.86");
    expect(lines).toContain("Overage: 3 Mapped Bugs x INR 89.00");
    // a name outside WinAnsi is drawn, not dropped
    expect(lines).toContain("Acme Backerei");
  });

  it("a USD invoice has no tax and no GSTIN line", async () => {
    const { draft, pdf } = input("USD", null);
    const { lines } = await pdfText(await renderInvoicePdf(pdf));
    expect(lines).toContain("Tax (none on USD invoices)");
    expect(lines.some((l) => l.startsWith("GSTIN"))).toBe(false);
    expect(lines).toContain(pdfAmount(draft.totalMinor, "USD"));
    expect(pdfAmount(draft.totalMinor, "USD")).toBe("USD 181.18");
  });

  it("an invoice below the plan's charge says what was refunded to the card/payment", async () => {
    const plan = { ...growth, currency: "INR" as const };
    // 201 bugs (1 overage) and 3 credits: 14,999 + 89 − 267 = 14,821; total 17,488.78
    const draft = buildInvoice({ plan, bugsCount: 201, creditsOwed: 3 });
    const refundMinor = creditRefundMinor(draft);
    expect(refundMinor).toBe(21004);
    const { pdf } = input("INR", null);
    const { lines } = await pdfText(
      await renderInvoicePdf({
        ...pdf,
        lines: draft.lines,
        subtotalMinor: draft.subtotalMinor,
        totalMinor: draft.totalMinor,
        refund: { id: "rfnd_CCCCCCCCCCCCCC", amountMinor: refundMinor },
      }),
    );
    expect(lines).toContain("Charged on Razorpay: the plan's amount with pay_BBBBBBBBBBBBBB, and");
    expect(lines).toContain(
      "INR 210.04 refunded to the card/payment (credits above the overage), refund rfnd_CCCCCCCCCCCCCC.",
    );
    // without a refund the PDF says none
    const plain = await pdfText(await renderInvoicePdf(pdf));
    expect(plain.lines.some((l) => l.includes("refunded"))).toBe(false);

    // a refund still with the bank, and one that failed twice: what Patchline does, then its id
    const withRefund = (status: "pending" | "failed", attempt: 1 | 2) =>
      renderInvoicePdf({
        ...pdf,
        lines: draft.lines,
        subtotalMinor: draft.subtotalMinor,
        totalMinor: draft.totalMinor,
        refund: { id: "rfnd_CCCCCCCCCCCCCC", amountMinor: refundMinor, status, attempt },
      });
    const pending = (await pdfText(await withRefund("pending", 1))).lines;
    expect(pending).toContain(
      "INR 210.04 refund pending with the bank (credits above the overage).",
    );
    expect(pending).toContain("Refund rfnd_CCCCCCCCCCCCCC (credits above the overage).");
    const failed = (await pdfText(await withRefund("failed", 2))).lines;
    expect(failed).toContain(
      "Refund of INR 210.04 failed twice: we will pay it back to the billing contact by bank transfer.",
    );
    expect(failed.some((l) => l.includes("refunded to the card"))).toBe(false);
  });

  it("writes negative amounts and large sums in ASCII", () => {
    expect(pdfAmount(-8900, "INR")).toBe("-INR 89.00");
    expect(pdfAmount(12_345_678_901, "INR")).toBe("INR 12,34,56,789.01");
    expect(pdfAmount(5, "USD")).toBe("USD 0.05");
  });
});
