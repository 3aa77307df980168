import "server-only";
import type { Refunds } from "razorpay/dist/types/refunds";
import { cancellationRefundMinor } from "@/lib/billing/cancellation-invoice";
import { creditRefundMinor, refundMarker, refundStatusStep } from "@/lib/billing/credit-refund";
import type { Currency } from "@/lib/billing/money";
import { planPrices } from "@/lib/billing/plans";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { RefundStatus } from "@/lib/supabase/billing.types";
import { findRecent, razorpayClient, razorpayErrorMessage, razorpayRefused } from "./client";
import type { RefundEventEffect } from "./refund-event";

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
  | {
      status: "created" | "existing";
      refundId: string;
      amountMinor: number;
      /** Razorpay's state of the refund (its answer's `status`, or what the invoice holds). */
      refundStatus: RefundStatus;
    }
  /** Razorpay refused (the payment was refunded elsewhere, say): a 4xx answers the same on a retry. */
  | { status: "refused"; reason: string };

/** The notes key carrying the marker, and the one naming Patchline's second attempt. */
const NOTE = "patchline_invoice";
const ATTEMPT_NOTE = "patchline_attempt";

function notesOf(r: Refunds.RazorpayRefund): Record<string, unknown> {
  return r.notes && !Array.isArray(r.notes) ? (r.notes as Record<string, unknown>) : {};
}

/** Razorpay's refund status, read as one of the three the invoice keeps. */
function statusOf(r: Refunds.RazorpayRefund): RefundStatus {
  const s = (r as { status?: string }).status;
  return s === "pending" || s === "failed" ? s : "processed";
}

/** The plan's per-bug price in `currency` (the worth of one credit). */
async function overageUnitMinor(
  admin: AdminSupabaseClient,
  planId: string,
  currency: Currency,
): Promise<number> {
  const { data: plan, error } = await admin.from("plans").select("*").eq("id", planId).single();
  if (error) throw new Error(`read plan: ${error.message}`);
  return planPrices(plan, currency).overageUnitMinor;
}

export async function refundInvoiceCredit(
  admin: AdminSupabaseClient,
  organizationId: string,
  invoiceId: string,
): Promise<RefundOutcome> {
  const { data: invoice, error } = await admin
    .from("invoices")
    .select(
      "id, kind, plan_id, currency, base_minor, tax_rate_bp, total_minor, credited_bugs, credits_minor, razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor, razorpay_refund_status",
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
      refundStatus: invoice.razorpay_refund_status ?? "processed",
    };
  }
  const amountMinor =
    invoice.kind === "cancellation"
      ? // the cycle a cancellation cut short: its credits above the overage, on the cycle's payment
        cancellationRefundMinor({
          creditedBugs: invoice.credited_bugs,
          creditsMinor: Number(invoice.credits_minor),
          unitMinor: await overageUnitMinor(admin, invoice.plan_id, invoice.currency),
          taxRateBp: invoice.tax_rate_bp,
        })
      : creditRefundMinor({
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
        (r) => notesOf(r)[NOTE] === marker && notesOf(r)[ATTEMPT_NOTE] === undefined,
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
    .update({
      razorpay_refund_id: refund.id,
      razorpay_refund_minor: refundedMinor,
      // pending: Razorpay accepted it and the bank has it; refund.processed/failed will follow
      razorpay_refund_status: statusOf(refund),
      razorpay_refund_status_at: new Date().toISOString(),
      razorpay_refund_attempt: 1,
    })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .is("razorpay_refund_id", null)
    .select("razorpay_refund_id");
  if (saveError) throw new Error(`record credit refund: ${saveError.message}`);
  if (!saved?.length) {
    // another run stored one meanwhile: theirs is the invoice's
    const { data: again, error: readError } = await admin
      .from("invoices")
      .select("razorpay_refund_id, razorpay_refund_minor, razorpay_refund_status")
      .eq("id", invoice.id)
      .single();
    if (readError) throw new Error(`read invoice: ${readError.message}`);
    return {
      status: "existing",
      refundId: again.razorpay_refund_id ?? refund.id,
      amountMinor: Number(again.razorpay_refund_minor ?? refundedMinor),
      refundStatus: again.razorpay_refund_status ?? statusOf(refund),
    };
  }
  log.info(
    {
      organizationId,
      invoiceId,
      refundId: refund.id,
      amountMinor: refundedMinor,
      refundStatus: statusOf(refund),
    },
    "credit refund made",
  );
  return {
    status: "created",
    refundId: refund.id,
    amountMinor: refundedMinor,
    refundStatus: statusOf(refund),
  };
}

export type RefundEventOutcome =
  /** No invoice of the workspace holds this refund (another refund, or an earlier attempt's). */
  | { status: "unknown" }
  /** The invoice's refund was no longer pending: a replayed or late event changes nothing. */
  | { status: "unchanged"; invoiceId: string }
  | {
      status: "recorded";
      invoiceId: string;
      refundStatus: "processed" | "failed";
      /** What follows: nothing, Patchline's one retry, or the owners told of a final failure. */
      next: "none" | "retry" | "final";
    };

/**
 * Records `refund.processed` / `refund.failed` on the invoice whose current refund it is, in one
 * conditional update (only a pending refund moves), so a redelivery or a replay under a new event
 * id changes nothing and an event about a first attempt Patchline already replaced is ignored.
 */
export async function applyRefundEvent(
  admin: AdminSupabaseClient,
  organizationId: string,
  effect: RefundEventEffect,
): Promise<RefundEventOutcome> {
  const { data: invoice, error } = await admin
    .from("invoices")
    .select("id, razorpay_refund_status, razorpay_refund_attempt")
    .eq("organization_id", organizationId)
    .eq("razorpay_refund_id", effect.refundId)
    .maybeSingle();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (!invoice?.razorpay_refund_status || !invoice.razorpay_refund_attempt) {
    log.info({ organizationId, refundId: effect.refundId }, "refund event for no invoice's refund");
    return { status: "unknown" };
  }
  const step = refundStatusStep(
    { status: invoice.razorpay_refund_status, attempt: invoice.razorpay_refund_attempt },
    effect.status,
  );
  if (step === "unchanged") return { status: "unchanged", invoiceId: invoice.id };
  const { data: saved, error: saveError } = await admin
    .from("invoices")
    .update({
      razorpay_refund_status: effect.status,
      razorpay_refund_status_at: effect.eventAt.toISOString(),
    })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .eq("razorpay_refund_id", effect.refundId)
    .eq("razorpay_refund_status", "pending")
    .select("id");
  if (saveError) throw new Error(`record refund status: ${saveError.message}`);
  if (!saved?.length) return { status: "unchanged", invoiceId: invoice.id };
  log.info(
    {
      organizationId,
      invoiceId: invoice.id,
      refundId: effect.refundId,
      refundStatus: effect.status,
    },
    "credit refund status recorded",
  );
  return {
    status: "recorded",
    invoiceId: invoice.id,
    refundStatus: effect.status,
    next: step === "processed" ? "none" : step,
  };
}

export type RefundRetryOutcome =
  /** The retry was made (or found, or made by an earlier run): its id and Razorpay's state. */
  | { status: "retried"; refundId: string; refundStatus: RefundStatus }
  /** Not retried: Razorpay refused it (4xx), or the invoice's refund is not a failed first attempt. */
  | { status: "refused" | "skipped"; reason: string };

/**
 * Patchline's one retry of a failed credit refund: the same amount on the same payment (Razorpay
 * gives a failed refund's amount back to what the payment can refund), marked as attempt 2 in its
 * notes so a retry of this step finds it instead of refunding twice. The invoice then holds the
 * second refund (attempt 2); its own `refund.failed` is final. A refusal is final at once.
 */
export async function retryFailedRefund(
  admin: AdminSupabaseClient,
  organizationId: string,
  invoiceId: string,
): Promise<RefundRetryOutcome> {
  const { data: invoice, error } = await admin
    .from("invoices")
    .select(
      "id, razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor, razorpay_refund_status, razorpay_refund_attempt",
    )
    .eq("organization_id", organizationId)
    .eq("id", invoiceId)
    .single();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (invoice.razorpay_refund_attempt === 2 && invoice.razorpay_refund_id) {
    return {
      status: "retried",
      refundId: invoice.razorpay_refund_id,
      refundStatus: invoice.razorpay_refund_status ?? "failed",
    };
  }
  const failedId = invoice.razorpay_refund_id;
  const paymentId = invoice.razorpay_payment_id;
  const amountMinor = Number(invoice.razorpay_refund_minor ?? 0);
  if (invoice.razorpay_refund_status !== "failed" || !failedId || !paymentId || !amountMinor) {
    return { status: "skipped", reason: "the invoice's refund is not a failed first attempt" };
  }

  const marker = refundMarker(invoice.id);
  let refund: Refunds.RazorpayRefund;
  try {
    refund =
      (await findRecent(
        (page) => razorpayClient().payments.fetchMultipleRefund(paymentId, page),
        (r) => notesOf(r)[NOTE] === marker && String(notesOf(r)[ATTEMPT_NOTE]) === "2",
      )) ??
      (await razorpayClient().payments.refund(paymentId, {
        amount: amountMinor,
        speed: "normal",
        notes: {
          [NOTE]: marker,
          [ATTEMPT_NOTE]: "2",
          reason: "Patchline credits above the overage (retry)",
        },
        receipt: invoice.id,
      }));
  } catch (e) {
    const reason = razorpayErrorMessage(e);
    if (!razorpayRefused(e)) throw new Error(`retry credit refund: ${reason}`);
    log.warn({ organizationId, invoiceId, reason }, "razorpay refused the credit refund's retry");
    // the retry was tried: the failure is final, on the first refund
    const { error: saveError } = await admin
      .from("invoices")
      .update({ razorpay_refund_attempt: 2, razorpay_refund_status_at: new Date().toISOString() })
      .eq("organization_id", organizationId)
      .eq("id", invoice.id)
      .eq("razorpay_refund_id", failedId)
      .eq("razorpay_refund_attempt", 1);
    if (saveError) throw new Error(`record refused retry: ${saveError.message}`);
    return { status: "refused", reason };
  }

  const { error: saveError } = await admin
    .from("invoices")
    .update({
      razorpay_refund_id: refund.id,
      razorpay_refund_status: statusOf(refund),
      razorpay_refund_status_at: new Date().toISOString(),
      razorpay_refund_attempt: 2,
    })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .eq("razorpay_refund_id", failedId)
    .eq("razorpay_refund_attempt", 1);
  if (saveError) throw new Error(`record credit refund retry: ${saveError.message}`);
  log.info(
    { organizationId, invoiceId, refundId: refund.id, refundStatus: statusOf(refund) },
    "credit refund retried",
  );
  return { status: "retried", refundId: refund.id, refundStatus: statusOf(refund) };
}
