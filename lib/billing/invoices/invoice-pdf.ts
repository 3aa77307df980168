import { PDFDocument, type PDFFont, rgb, StandardFonts } from "pdf-lib";
import { cancellationNote } from "@/lib/billing/cancellation-invoice";
import { refundNote } from "@/lib/billing/credit-refund";
import type { Currency } from "@/lib/billing/money";
import type { InvoiceLineKind, InvoiceStatus } from "@/lib/supabase/billing.types";

/**
 * An invoice as a one-page A4 PDF, drawn with pdf-lib: who issued it and to whom (billing
 * address and GSTIN when given), the period, the plan, the lines (base, overage, credits, tax),
 * the total and the payment status. Amounts are written `INR 5,898.82` rather than with the ₹
 * sign: the standard PDF fonts (WinAnsi) have no rupee glyph, and embedding a font file for one
 * character is not worth its weight.
 */

export interface InvoicePdfInput {
  invoiceId: string;
  workspaceName: string;
  planName: string;
  currency: Currency;
  periodStart: Date;
  periodEnd: Date;
  status: InvoiceStatus;
  paidAt: Date | null;
  issuedAt: Date | null;
  bugsCount: number;
  includedBugs: number;
  lines: Array<{ kind: InvoiceLineKind; description: string; amountMinor: number }>;
  subtotalMinor: number;
  totalMinor: number;
  razorpayPaymentId: string | null;
  /**
   * What the invoice adds to the plan's Razorpay charge (overage less credits, with GST), charged
   * as a Razorpay add-on with the next charge; absent when nothing was added.
   */
  addon?: {
    id: string;
    amountMinor: number;
    collectedPaymentId: string | null;
    /** The payment link asking it after a cancellation (absent: none). */
    paymentLink?: { id: string; url: string } | null;
  } | null;
  /**
   * What the invoice is below the plan's Razorpay charge (credits above the overage, with GST),
   * refunded on the charge's payment; absent when nothing was refunded.
   */
  refund?: {
    id: string;
    amountMinor: number;
    /** Razorpay's state of the refund (absent: processed) and Patchline's attempt (absent: 1). */
    status?: "pending" | "processed" | "failed";
    attempt?: 1 | 2;
  } | null;
  /**
   * The invoice closes the cycle in which the subscription was cancelled (its period ends at the
   * cancellation): what it asks is asked by a payment link; absent on a cycle's invoice.
   */
  cancellation?: {
    overageBugs: number;
    paymentLink: { id: string; url: string } | null;
    paidPaymentId: string | null;
  } | null;
  billTo: {
    contactName: string;
    contactEmail: string;
    address: string[];
    country: string;
    gstin: string | null;
  } | null;
}

/** `INR 5,898.82`, `-USD 1.49`: ASCII only, so the standard fonts can draw it. */
export function pdfAmount(minor: number, currency: Currency): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100).toLocaleString(currency === "INR" ? "en-IN" : "en-US");
  return `${sign}${currency} ${whole}.${String(abs % 100).padStart(2, "0")}`;
}

const day = (d: Date) =>
  d.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

/**
 * What the standard fonts can draw: the rupee sign and the multiplication sign of the line
 * descriptions spelled out, accents dropped, anything else (names may hold any script) a `?`.
 */
export function pdfSafe(text: string): string {
  return text
    .replaceAll("₹", "INR ")
    .replaceAll("×", "x")
    .replaceAll("−", "-")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7E]/g, "?");
}
const ascii = pdfSafe;

const STATUS_TEXT: Record<InvoiceStatus, string> = {
  draft: "Draft",
  issued: "Due",
  paid: "Paid",
  failed: "Payment failed",
  void: "Void",
};

/** The invoice's PDF bytes. */
export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const number = `PL-${input.invoiceId.slice(0, 8).toUpperCase()}`;
  doc.setTitle(`Patchline invoice ${number}`);
  doc.setAuthor("Patchline");
  doc.setSubject(`${input.workspaceName}: ${day(input.periodStart)} to ${day(input.periodEnd)}`);
  doc.setCreationDate(input.issuedAt ?? new Date());
  const page = doc.addPage([595.28, 841.89]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.1, 0.1, 0.12);
  const muted = rgb(0.42, 0.45, 0.5);
  const left = 56;
  const right = 595.28 - 56;
  let y = 841.89 - 64;

  const text = (s: string, x: number, size = 10, font: PDFFont = regular, color = ink) =>
    page.drawText(ascii(s), { x, y, size, font, color });
  const textRight = (s: string, size = 10, font: PDFFont = regular) =>
    page.drawText(ascii(s), {
      x: right - font.widthOfTextAtSize(ascii(s), size),
      y,
      size,
      font,
      color: ink,
    });
  const rule = () => {
    page.drawLine({ start: { x: left, y }, end: { x: right, y }, thickness: 0.5, color: muted });
  };

  text("Patchline", left, 20, bold);
  textRight("Invoice", 20, bold);
  y -= 22;
  text("Bugs mapped to code, billed by the Mapped Bug", left, 9, regular, muted);
  textRight(number, 10);
  y -= 30;

  const facts: Array<[string, string]> = [
    [
      "Period",
      input.cancellation
        ? `${day(input.periodStart)} - ${day(input.periodEnd)} (subscription cancelled)`
        : `${day(input.periodStart)} - ${day(input.periodEnd)}`,
    ],
    ["Plan", `${input.planName} (${input.includedBugs} Mapped Bugs included)`],
    ["Mapped Bugs", String(input.bugsCount)],
    [
      "Status",
      input.status === "paid" && input.paidAt
        ? `Paid on ${day(input.paidAt)}`
        : STATUS_TEXT[input.status],
    ],
  ];
  // a cancellation invoice was not paid by a charge (a refund on the cycle's payment names it below)
  if (input.razorpayPaymentId && !input.cancellation) {
    facts.push(["Payment", input.razorpayPaymentId]);
  }
  for (const [label, value] of facts) {
    text(label, left, 10, bold);
    text(value, left + 90, 10);
    y -= 15;
  }

  y -= 10;
  text("Bill to", left, 10, bold);
  y -= 15;
  const billTo = input.billTo;
  const billLines = billTo
    ? [
        input.workspaceName,
        billTo.contactName,
        billTo.contactEmail,
        ...billTo.address,
        billTo.country,
        ...(billTo.gstin ? [`GSTIN ${billTo.gstin}`] : []),
      ]
    : [input.workspaceName, "No billing details given"];
  for (const l of billLines) {
    text(l, left, 10);
    y -= 14;
  }

  y -= 16;
  text("Description", left, 10, bold);
  textRight("Amount", 10, bold);
  y -= 8;
  rule();
  y -= 16;
  for (const l of input.lines.filter((l) => l.kind !== "tax")) {
    text(l.description, left, 10);
    textRight(pdfAmount(l.amountMinor, input.currency));
    y -= 18;
  }
  rule();
  y -= 16;
  text("Subtotal", left, 10);
  textRight(pdfAmount(input.subtotalMinor, input.currency));
  y -= 16;
  const tax = input.lines.find((l) => l.kind === "tax");
  text(tax ? tax.description : "Tax (none on USD invoices)", left, 10);
  textRight(pdfAmount(tax?.amountMinor ?? 0, input.currency));
  y -= 20;
  rule();
  y -= 18;
  text("Total", left, 12, bold);
  textRight(pdfAmount(input.totalMinor, input.currency), 12, bold);
  if (input.addon) {
    // Razorpay charged the plan's amount with this payment; the rest rides on the next charge
    y -= 26;
    const rest = pdfAmount(input.addon.amountMinor, input.currency);
    text(
      `Charged on Razorpay: the plan's amount with ${input.razorpayPaymentId ?? "this payment"}, and`,
      left,
      9,
      regular,
      muted,
    );
    y -= 13;
    const link = input.addon.paymentLink;
    text(
      link
        ? input.addon.collectedPaymentId
          ? `${rest} (add-on ${input.addon.id}) paid by payment link ${link.id}, ${input.addon.collectedPaymentId}.`
          : `${rest} (add-on ${input.addon.id}): the subscription ended before the next charge; pay it at`
        : input.addon.collectedPaymentId
          ? `${rest} (add-on ${input.addon.id}) collected with the next charge, ${input.addon.collectedPaymentId}.`
          : `${rest} (add-on ${input.addon.id}) to be collected with the next charge.`,
      left,
      9,
      regular,
      muted,
    );
    if (link && !input.addon.collectedPaymentId) {
      y -= 13;
      text(`${link.url} (Razorpay payment link ${link.id}).`, left, 9, regular, muted);
    }
  }
  if (input.cancellation) {
    // no charge follows a cancellation: say what this invoice closes and how its amount is paid
    const c = input.cancellation;
    y -= 26;
    const [closes, pay] = cancellationNote({
      totalMinor: input.totalMinor,
      overageBugs: c.overageBugs,
      includedBugs: input.includedBugs,
      linked: Boolean(c.paymentLink),
      paid: Boolean(c.paidPaymentId),
    });
    text(closes, left, 9, regular, muted);
    y -= 13;
    text(pay, left, 9, regular, muted);
    if (c.paymentLink) {
      y -= 13;
      text(
        c.paidPaymentId
          ? `Paid by Razorpay payment link ${c.paymentLink.id}, ${c.paidPaymentId}.`
          : `Pay at ${c.paymentLink.url} (Razorpay payment link ${c.paymentLink.id}).`,
        left,
        9,
        regular,
        muted,
      );
    }
  }

  if (input.refund) {
    // Razorpay took the plan's amount with this payment; the credits above the overage go back
    y -= 26;
    text(
      input.cancellation
        ? `Refunded on ${input.razorpayPaymentId ?? "the payment"}, the charge that started this period:`
        : `Charged on Razorpay: the plan's amount with ${input.razorpayPaymentId ?? "this payment"}, and`,
      left,
      9,
      regular,
      muted,
    );
    y -= 13;
    const status = input.refund.status ?? "processed";
    const amount = pdfAmount(input.refund.amountMinor, input.currency);
    if (status === "processed") {
      text(`${refundNote(amount, status, 1)}, refund ${input.refund.id}.`, left, 9, regular, muted);
    } else {
      // pending or failed: what happens next, on a line of its own, then the refund's id
      text(`${refundNote(amount, status, input.refund.attempt ?? 1)}.`, left, 9, regular, muted);
      y -= 13;
      text(`Refund ${input.refund.id} (credits above the overage).`, left, 9, regular, muted);
    }
  }

  y = 64;
  text(
    "Card payments are processed by Razorpay; Patchline never sees card data.",
    left,
    8,
    regular,
    muted,
  );
  return doc.save();
}
