import "server-only";
import type { Addons } from "razorpay/dist/types/addons";
import type { PaymentLinks } from "razorpay/dist/types/paymentLink";
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
    .is("addon_collected_payment_id", null)
    // asked by a payment link after a cancellation: the add-on is gone, the link collects it
    .is("addon_payment_link_id", null);
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

export type PendingAddonOutcome =
  | { invoiceId: string; status: "linked" | "existing"; paymentLinkId: string; url: string }
  /** Razorpay billed it on a charge after all: that charge's `addons-collected` marks it. */
  | { invoiceId: string; status: "billed" }
  | { invoiceId: string; status: "refused"; reason: string };

/**
 * At a cancellation: the add-ons still pending are never charged (Razorpay collects an add-on with
 * the subscription's next scheduled charge, and a cancelled subscription has none), so each one's
 * amount is asked with a Razorpay Payment Link (`POST /v1/payment_links`, the SDK's
 * `paymentLink.create`; Razorpay emails it to the billing contact) and the add-on is deleted
 * (`DELETE /v1/addons/{id}`), so nothing is charged twice. Once per invoice: the link's id is
 * stored; a retry that lost Razorpay's answer finds the link by its `reference_id` (the invoice id)
 * before creating one. The link's `payment_link.paid` marks the add-on collected
 * (`markAddonLinkPaid`).
 */
export async function collectPendingAddons(
  admin: AdminSupabaseClient,
  organizationId: string,
  /** The cancelled subscription: only its add-ons are asked (a newer one's ride on its charges). */
  subscriptionId: string,
): Promise<PendingAddonOutcome[]> {
  const { data: open, error } = await admin
    .from("invoices")
    .select(
      "id, period_start, currency, razorpay_addon_id, razorpay_addon_minor, addon_payment_link_id, addon_payment_link_url",
    )
    .eq("organization_id", organizationId)
    .not("razorpay_addon_id", "is", null)
    .is("addon_collected_payment_id", null)
    .order("period_start");
  if (error) throw new Error(`read open add-ons: ${error.message}`);
  const { data: details, error: detailsError } = await admin
    .from("billing_details")
    .select("contact_name, contact_email")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (detailsError) throw new Error(`read billing details: ${detailsError.message}`);

  const outcomes: PendingAddonOutcome[] = [];
  for (const inv of open ?? []) {
    const addonId = inv.razorpay_addon_id;
    const amountMinor = Number(inv.razorpay_addon_minor ?? 0);
    if (!addonId || !amountMinor) continue;
    if (inv.addon_payment_link_id && inv.addon_payment_link_url) {
      outcomes.push({
        invoiceId: inv.id,
        status: "existing",
        paymentLinkId: inv.addon_payment_link_id,
        url: inv.addon_payment_link_url,
      });
      continue;
    }
    let link: PaymentLinks.RazorpayPaymentLink;
    try {
      const found = (
        await razorpayClient().paymentLink.all({ reference_id: inv.id } as never)
      ).payment_links.find((l) => l.reference_id === inv.id && l.status !== "cancelled");
      if (!found) {
        // not found by a retry: is it the cancelled subscription's, and still pending?
        const addon = await razorpayClient().addons.fetch(addonId);
        if (addon.subscription_id !== subscriptionId) continue;
        if (addon.invoice_id) {
          outcomes.push({ invoiceId: inv.id, status: "billed" });
          continue;
        }
      }
      link =
        found ??
        (await razorpayClient().paymentLink.create({
          amount: amountMinor,
          currency: inv.currency,
          accept_partial: false,
          reference_id: inv.id,
          description: `Patchline overage, period from ${inv.period_start.slice(0, 10)}: the subscription ended before the charge that would have collected it`,
          customer: details
            ? { name: details.contact_name, email: details.contact_email }
            : ({} as never),
          notify: { email: Boolean(details), sms: false },
          reminder_enable: true,
          notes: { organization_id: organizationId, patchline_invoice: addonMarker(inv.id) },
        }));
    } catch (e) {
      const reason = razorpayErrorMessage(e);
      if (razorpayRefused(e)) {
        log.warn(
          { organizationId, invoiceId: inv.id, reason },
          "razorpay refused the overage link",
        );
        outcomes.push({ invoiceId: inv.id, status: "refused", reason });
        continue;
      }
      throw new Error(`ask the pending add-on by payment link: ${reason}`);
    }

    const { error: saveError } = await admin
      .from("invoices")
      .update({ addon_payment_link_id: link.id, addon_payment_link_url: link.short_url })
      .eq("organization_id", organizationId)
      .eq("id", inv.id)
      .is("addon_payment_link_id", null);
    if (saveError) throw new Error(`record overage link: ${saveError.message}`);
    // the add-on can no longer be billed by any charge: the link is the one way to pay it
    try {
      await razorpayClient().addons.delete(addonId);
    } catch (e) {
      // already deleted by an earlier try (Razorpay: the id does not exist): nothing to undo
      if (!razorpayRefused(e))
        throw new Error(`delete the pending add-on: ${razorpayErrorMessage(e)}`);
    }
    log.info(
      { organizationId, invoiceId: inv.id, paymentLinkId: link.id, amountMinor },
      "pending add-on asked by payment link",
    );
    outcomes.push({
      invoiceId: inv.id,
      status: "linked",
      paymentLinkId: link.id,
      url: link.short_url,
    });
  }
  return outcomes;
}

/**
 * `payment_link.paid` for an overage link: the invoice's add-on is collected by that payment, once
 * (only an invoice not yet marked moves: a replay changes nothing).
 */
export async function markAddonLinkPaid(
  admin: AdminSupabaseClient,
  organizationId: string,
  paid: { paymentLinkId: string; paymentId: string; at: Date },
): Promise<{ status: "collected" | "unchanged" | "unknown"; invoiceId?: string }> {
  const { data: invoice, error } = await admin
    .from("invoices")
    .select("id, addon_collected_payment_id")
    .eq("organization_id", organizationId)
    .eq("addon_payment_link_id", paid.paymentLinkId)
    .maybeSingle();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (!invoice) return { status: "unknown" };
  if (invoice.addon_collected_payment_id) return { status: "unchanged", invoiceId: invoice.id };
  const { data: saved, error: saveError } = await admin
    .from("invoices")
    .update({
      addon_collected_payment_id: paid.paymentId,
      addon_collected_at: paid.at.toISOString(),
    })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .is("addon_collected_payment_id", null)
    .select("id");
  if (saveError) throw new Error(`mark add-on collected: ${saveError.message}`);
  return { status: saved?.length ? "collected" : "unchanged", invoiceId: invoice.id };
}
