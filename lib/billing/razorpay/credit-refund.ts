import "server-only";
import type { Refunds } from "razorpay/dist/types/refunds";
import { creditRefundMinor, refundMarker } from "@/lib/billing/credit-refund";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { findRecent, razorpayClient, razorpayErrorMessage, razorpayRefused } from "./client";

/**
 * Gives back an invoice's credits above its overage: Razorpay took the plan's charge with the
 * payment that recorded the invoice, and when the credits (mismapped bugs) are worth more than the
 * overage the invoice's total is below it. An add-on cannot be negative, so the difference is a
 * partial refund of that payment (`POST /v1/payments/{id}/refund`, the SDK's `payments.refund`).
 * Once per invoice: the refund's id is stored on the invoice, and a retry that died between
 * Razorpay's answer and the store finds the refund by its marker (`refundMarker`, in its notes)
 * among the payment's refunds instead of refunding twice. Razorpay has no idempotency key here.
 */

export type RefundOutcome =
  | { status: "none" }
  | { status: "created" | "existing"; refundId: string; amountMinor: number }
  /** Razorpay refused (the payment was refunded elsewhere, say): a 4xx answers the same on a retry. */
  | { status: "refused"; reason: string };

/** The notes key carrying the marker. */
const NOTE = "patchline_invoice";

export async function refundInvoiceCredit(
  admin: AdminSupabaseClient,
  organizationId: string,
  invoiceId: string,
): Promise<RefundOutcome> {
  const { data: invoice, error } = await admin
    .from("invoices")
    .select(
      "id, currency, base_minor, tax_rate_bp, total_minor, razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor",
    )
    .eq("organization_id", organizationId)
    .eq("id", invoiceId)
    .single();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (invoice.razorpay_refund_id && invoice.razorpay_refund_minor) {
    return {
      status: "existing",
      refundId: invoice.razorpay_refund_id,
      amountMinor: Number(invoice.razorpay_refund_minor),
    };
  }
  const amountMinor = creditRefundMinor({
    baseMinor: Number(invoice.base_minor),
    taxRateBp: invoice.tax_rate_bp,
    totalMinor: Number(invoice.total_minor),
  });
  if (amountMinor === 0) return { status: "none" };
  const paymentId = invoice.razorpay_payment_id;
  if (!paymentId) {
    // recorded without a payment: nothing was taken, so nothing to give back on Razorpay
    log.warn({ organizationId, invoiceId }, "invoice below the plan's charge has no payment");
    return { status: "refused", reason: "the invoice has no Razorpay payment" };
  }

  const marker = refundMarker(invoice.id);
  let refund: Refunds.RazorpayRefund;
  try {
    refund =
      (await findRecent(
        (page) => razorpayClient().payments.fetchMultipleRefund(paymentId, page),
        (r) => (r.notes && !Array.isArray(r.notes) ? r.notes : {})[NOTE] === marker,
      )) ??
      (await razorpayClient().payments.refund(paymentId, {
        amount: amountMinor,
        speed: "normal",
        notes: { [NOTE]: marker, reason: "Patchline credits above the overage" },
        // Razorpay's own reference for the refund; the invoice id fits its length
        receipt: invoice.id,
      }));
  } catch (e) {
    const reason = razorpayErrorMessage(e);
    if (razorpayRefused(e)) {
      log.warn({ organizationId, invoiceId, reason }, "razorpay refused the credit refund");
      return { status: "refused", reason };
    }
    throw new Error(`refund credits: ${reason}`);
  }

  const refundedMinor = Number(refund.amount ?? amountMinor);
  const { data: saved, error: saveError } = await admin
    .from("invoices")
    .update({ razorpay_refund_id: refund.id, razorpay_refund_minor: refundedMinor })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .is("razorpay_refund_id", null)
    .select("razorpay_refund_id");
  if (saveError) throw new Error(`record credit refund: ${saveError.message}`);
  if (!saved?.length) {
    // another run stored one meanwhile: theirs is the invoice's
    const { data: again, error: readError } = await admin
      .from("invoices")
      .select("razorpay_refund_id, razorpay_refund_minor")
      .eq("id", invoice.id)
      .single();
    if (readError) throw new Error(`read invoice: ${readError.message}`);
    return {
      status: "existing",
      refundId: again.razorpay_refund_id ?? refund.id,
      amountMinor: Number(again.razorpay_refund_minor ?? refundedMinor),
    };
  }
  log.info(
    { organizationId, invoiceId, refundId: refund.id, amountMinor: refundedMinor },
    "credit refund made",
  );
  return { status: "created", refundId: refund.id, amountMinor: refundedMinor };
}
