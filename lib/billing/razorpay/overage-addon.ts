import "server-only";
import type { Addons } from "razorpay/dist/types/addons";
import { addonMarker, overageAddonMinor } from "@/lib/billing/overage-addon";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { findRecent, razorpayClient, razorpayErrorMessage, razorpayRefused } from "./client";

/**
 * Collects an invoice's overage on Razorpay: Razorpay charges a subscription its plan's amount
 * each cycle, so what the invoice adds to that (overage less credits, with GST) is created as an
 * add-on on the subscription (`POST /v1/subscriptions/{id}/addons`, the SDK's
 * `subscriptions.createAddon`). Razorpay adds it to the subscription's next invoice and charges
 * it with the next cycle. Once per invoice: the add-on's id is stored on the invoice, and a retry
 * that died between Razorpay's answer and the store finds the add-on by its marker
 * (`addonMarker`) among the recent ones instead of creating another.
 */

export type AddonOutcome =
  | { status: "none" }
  | { status: "created" | "existing"; addonId: string; amountMinor: number }
  /** Razorpay refused (the subscription ended, say): a 4xx answers the same on a retry. */
  | { status: "refused"; reason: string };

export async function chargeInvoiceOverage(
  admin: AdminSupabaseClient,
  organizationId: string,
  invoiceId: string,
  subscriptionId: string,
): Promise<AddonOutcome> {
  const { data: invoice, error } = await admin
    .from("invoices")
    .select(
      "id, period_start, currency, base_minor, tax_rate_bp, total_minor, razorpay_addon_id, razorpay_addon_minor",
    )
    .eq("organization_id", organizationId)
    .eq("id", invoiceId)
    .single();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (invoice.razorpay_addon_id && invoice.razorpay_addon_minor) {
    return {
      status: "existing",
      addonId: invoice.razorpay_addon_id,
      amountMinor: Number(invoice.razorpay_addon_minor),
    };
  }
  const amountMinor = overageAddonMinor({
    baseMinor: Number(invoice.base_minor),
    taxRateBp: invoice.tax_rate_bp,
    totalMinor: Number(invoice.total_minor),
  });
  if (amountMinor === 0) return { status: "none" };

  const marker = addonMarker(invoice.id);
  let addon: Addons.RazorpayAddon;
  try {
    addon =
      (await findRecent(
        (page) => razorpayClient().addons.all(page),
        (a) => a.subscription_id === subscriptionId && a.item.description === marker,
      )) ??
      (await razorpayClient().subscriptions.createAddon(subscriptionId, {
        item: {
          name: `Patchline overage, period from ${invoice.period_start.slice(0, 10)}`,
          amount: amountMinor,
          currency: invoice.currency,
          description: marker,
        },
        quantity: 1,
      }));
  } catch (e) {
    const reason = razorpayErrorMessage(e);
    if (razorpayRefused(e)) {
      log.warn({ organizationId, invoiceId, reason }, "razorpay refused the overage add-on");
      return { status: "refused", reason };
    }
    throw new Error(`create overage add-on: ${reason}`);
  }

  const { data: saved, error: saveError } = await admin
    .from("invoices")
    .update({ razorpay_addon_id: addon.id, razorpay_addon_minor: amountMinor })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .is("razorpay_addon_id", null)
    .select("razorpay_addon_id");
  if (saveError) throw new Error(`record overage add-on: ${saveError.message}`);
  if (!saved?.length) {
    // another run stored one meanwhile: theirs is the invoice's
    const { data: again, error: readError } = await admin
      .from("invoices")
      .select("razorpay_addon_id, razorpay_addon_minor")
      .eq("id", invoice.id)
      .single();
    if (readError) throw new Error(`read invoice: ${readError.message}`);
    return {
      status: "existing",
      addonId: again.razorpay_addon_id ?? addon.id,
      amountMinor: Number(again.razorpay_addon_minor ?? amountMinor),
    };
  }
  log.info({ organizationId, invoiceId, addonId: addon.id, amountMinor }, "overage add-on created");
  return { status: "created", addonId: addon.id, amountMinor };
}

/**
 * After a charge: the workspace's earlier add-ons that Razorpay billed on this charge's invoice
 * are marked collected by its payment (asked of Razorpay, `addons.fetch`: an add-on is billed
 * once `invoice_id` is set). Idempotent: only add-ons not yet marked are looked at.
 */
export async function markAddonsCollected(
  admin: AdminSupabaseClient,
  organizationId: string,
  charge: { paymentId: string; razorpayInvoiceId: string | null; at: Date },
): Promise<string[]> {
  const { data: open, error } = await admin
    .from("invoices")
    .select("id, razorpay_addon_id")
    .eq("organization_id", organizationId)
    .not("razorpay_addon_id", "is", null)
    .is("addon_collected_payment_id", null);
  if (error) throw new Error(`read open add-ons: ${error.message}`);
  const collected: string[] = [];
  for (const inv of open ?? []) {
    if (!inv.razorpay_addon_id) continue;
    const addon = await razorpayClient().addons.fetch(inv.razorpay_addon_id);
    if (!addon.invoice_id) continue;
    if (charge.razorpayInvoiceId && addon.invoice_id !== charge.razorpayInvoiceId) continue;
    const { error: updateError } = await admin
      .from("invoices")
      .update({
        addon_collected_payment_id: charge.paymentId,
        addon_collected_at: charge.at.toISOString(),
      })
      .eq("id", inv.id)
      .is("addon_collected_payment_id", null);
    if (updateError) throw new Error(`mark add-on collected: ${updateError.message}`);
    collected.push(inv.id);
  }
  return collected;
}
