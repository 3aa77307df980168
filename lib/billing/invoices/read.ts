import "server-only";
import type { InvoicePdfInput } from "@/lib/billing/invoices/invoice-pdf";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * The invoices of a workspace as its owners and admins see them, read with their own session
 * (RLS: billing.read), for the billing page and the PDF route.
 */

/** Where an invoice's PDF downloads from. */
export function invoicePdfPath(slug: string, invoiceId: string): string {
  return `/api/orgs/${encodeURIComponent(slug)}/invoices/${invoiceId}/pdf`;
}

/** The newest invoices first (at most `limit`). */
export async function listInvoices(
  supabase: ServerSupabaseClient,
  organizationId: string,
  limit = 24,
) {
  const { data, error } = await supabase
    .from("invoices")
    .select(
      "id, kind, period_start, period_end, plan_id, currency, included_bugs, bugs_count, overage_bugs, credited_bugs, total_minor, status, paid_at, razorpay_addon_minor, addon_collected_payment_id, addon_payment_link_url, razorpay_refund_minor, razorpay_refund_status, razorpay_refund_attempt",
    )
    .eq("organization_id", organizationId)
    .order("period_start", { ascending: false })
    // a cancellation invoice starts with its cycle's own invoice, and is recorded after it
    .order("created_at", { ascending: false })
    .limit(limit);
  if (error) throw new Error(`list invoices: ${error.message}`);
  return data;
}

/** Everything the PDF states, or null when the invoice is not there or not the caller's. */
export async function invoiceForPdf(
  supabase: ServerSupabaseClient,
  organization: { id: string; name: string },
  invoiceId: string,
): Promise<InvoicePdfInput | null> {
  const { data: invoice, error } = await supabase
    .from("invoices")
    .select("*")
    .eq("organization_id", organization.id)
    .eq("id", invoiceId)
    .maybeSingle();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (!invoice) return null;
  const [lines, plan, details] = await Promise.all([
    supabase
      .from("invoice_lines")
      .select("kind, description, amount_minor, position")
      .eq("organization_id", organization.id)
      .eq("invoice_id", invoice.id)
      .order("position"),
    supabase.from("plans").select("name").eq("id", invoice.plan_id).maybeSingle(),
    supabase
      .from("billing_details")
      .select("*")
      .eq("organization_id", organization.id)
      .maybeSingle(),
  ]);
  if (lines.error) throw new Error(`read invoice lines: ${lines.error.message}`);
  if (details.error) throw new Error(`read billing details: ${details.error.message}`);
  const d = details.data;
  return {
    invoiceId: invoice.id,
    workspaceName: organization.name,
    // a retired plan is hidden from clients: its id still names it
    planName: plan.data?.name ?? invoice.plan_id,
    currency: invoice.currency,
    periodStart: new Date(invoice.period_start),
    periodEnd: new Date(invoice.period_end),
    status: invoice.status,
    paidAt: invoice.paid_at ? new Date(invoice.paid_at) : null,
    issuedAt: invoice.issued_at ? new Date(invoice.issued_at) : null,
    bugsCount: invoice.bugs_count,
    includedBugs: invoice.included_bugs,
    lines: lines.data.map((l) => ({
      kind: l.kind,
      description: l.description,
      amountMinor: Number(l.amount_minor),
    })),
    subtotalMinor: Number(invoice.subtotal_minor),
    totalMinor: Number(invoice.total_minor),
    razorpayPaymentId: invoice.razorpay_payment_id,
    addon:
      invoice.razorpay_addon_id && invoice.razorpay_addon_minor
        ? {
            id: invoice.razorpay_addon_id,
            amountMinor: Number(invoice.razorpay_addon_minor),
            collectedPaymentId: invoice.addon_collected_payment_id,
            paymentLink:
              invoice.addon_payment_link_id && invoice.addon_payment_link_url
                ? { id: invoice.addon_payment_link_id, url: invoice.addon_payment_link_url }
                : null,
          }
        : null,
    cancellation:
      invoice.kind === "cancellation"
        ? {
            overageBugs: invoice.overage_bugs,
            paymentLink:
              invoice.addon_payment_link_id && invoice.addon_payment_link_url
                ? { id: invoice.addon_payment_link_id, url: invoice.addon_payment_link_url }
                : null,
            paidPaymentId: invoice.addon_collected_payment_id,
          }
        : null,
    refund:
      invoice.razorpay_refund_id && invoice.razorpay_refund_minor
        ? {
            id: invoice.razorpay_refund_id,
            amountMinor: Number(invoice.razorpay_refund_minor),
            status: invoice.razorpay_refund_status ?? "processed",
            attempt: invoice.razorpay_refund_attempt ?? 1,
          }
        : null,
    billTo: d
      ? {
          contactName: d.contact_name,
          contactEmail: d.contact_email,
          address: [
            d.address_line1,
            d.address_line2,
            [d.city, d.region, d.postal_code].filter(Boolean).join(", "),
          ].filter((x): x is string => Boolean(x)),
          country: d.country,
          gstin: d.gstin,
        }
      : null,
  };
}
