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
  const contact = await billingContact(admin, organizationId);

  const outcomes: PendingAddonOutcome[] = [];
  for (const inv of open ?? []) {
    const addonId = inv.razorpay_addon_id;
    const amountMinor = Number(inv.razorpay_addon_minor ?? 0);
    if (!addonId || !amountMinor) continue;
    const asked = await askByPaymentLink(admin, organizationId, contact, {
      invoice: inv,
      amountMinor,
      description: `Patchline overage, period from ${inv.period_start.slice(0, 10)}: the subscription ended before the charge that would have collected it`,
      // not found by a retry: is it the cancelled subscription's, and still pending?
      stillOwed: async () => {
        const addon = await razorpayClient().addons.fetch(addonId);
        if (addon.subscription_id !== subscriptionId) return "skip";
        return addon.invoice_id ? "billed" : "ask";
      },
    });
    if (!asked) continue;
    if (asked.status === "linked") {
      // the add-on can no longer be billed by any charge: the link is the one way to pay it
      try {
        await razorpayClient().addons.delete(addonId);
      } catch (e) {
        // already deleted by an earlier try (Razorpay: the id does not exist): nothing to undo
        if (!razorpayRefused(e))
          throw new Error(`delete the pending add-on: ${razorpayErrorMessage(e)}`);
      }
    }
    outcomes.push(asked);
  }
  return outcomes;
}

/**
 * At a cancellation, after `closeCancelledCycle` recorded the partial cycle's invoice: what it asks
 * (its total: it has no base, so nothing of it was charged) is asked with a payment link, as a
 * pending add-on is (`askByPaymentLink`: once, found again by its `reference_id`), and paid by the
 * same `payment_link.paid`. Nothing to pay: no link.
 */
export async function askCancellationInvoice(
  admin: AdminSupabaseClient,
  organizationId: string,
  invoiceId: string,
): Promise<PendingAddonOutcome | { invoiceId: string; status: "none" }> {
  const { data: inv, error } = await admin
    .from("invoices")
    .select(
      "id, kind, period_start, period_end, currency, base_minor, tax_rate_bp, total_minor, addon_payment_link_id, addon_payment_link_url",
    )
    .eq("organization_id", organizationId)
    .eq("id", invoiceId)
    .single();
  if (error) throw new Error(`read invoice: ${error.message}`);
  if (inv.kind !== "cancellation") throw new Error("not a cancellation invoice");
  // the invoice's total beyond what a charge took: with no base, all of it
  const amountMinor = overageAddonMinor({
    baseMinor: Number(inv.base_minor),
    taxRateBp: inv.tax_rate_bp,
    totalMinor: Number(inv.total_minor),
  });
  if (amountMinor === 0) return { invoiceId: inv.id, status: "none" };
  const asked = await askByPaymentLink(
    admin,
    organizationId,
    await billingContact(admin, organizationId),
    {
      invoice: inv,
      amountMinor,
      description: `Patchline, Mapped Bugs over the allowance from ${inv.period_start.slice(0, 10)} to the cancellation on ${inv.period_end.slice(0, 10)}`,
      stillOwed: async () => "ask",
    },
  );
  if (!asked) throw new Error("a cancellation invoice is always asked");
  return asked;
}

type BillingContact = { contact_name: string; contact_email: string } | null;

async function billingContact(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<BillingContact> {
  const { data, error } = await admin
    .from("billing_details")
    .select("contact_name, contact_email")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read billing details: ${error.message}`);
  return data;
}

/**
 * Asks one invoice's amount with a Razorpay Payment Link (`POST /v1/payment_links`, the SDK's
 * `paymentLink.create`; Razorpay emails it to the billing contact) and stores it on the invoice
 * (`addon_payment_link_id`/`_url`). Once: a stored link is returned as it is; a retry that lost
 * Razorpay's answer finds the link by its `reference_id` (the invoice id) before creating one.
 * `stillOwed` is asked only when no link exists yet: "skip" (null) or "billed" leave it unasked.
 */
async function askByPaymentLink(
  admin: AdminSupabaseClient,
  organizationId: string,
  contact: BillingContact,
  ask: {
    invoice: {
      id: string;
      currency: string;
      addon_payment_link_id: string | null;
      addon_payment_link_url: string | null;
    };
    amountMinor: number;
    description: string;
    stillOwed: () => Promise<"ask" | "billed" | "skip">;
  },
): Promise<PendingAddonOutcome | null> {
  const inv = ask.invoice;
  if (inv.addon_payment_link_id && inv.addon_payment_link_url) {
    return {
      invoiceId: inv.id,
      status: "existing",
      paymentLinkId: inv.addon_payment_link_id,
      url: inv.addon_payment_link_url,
    };
  }
  let link: PaymentLinks.RazorpayPaymentLink;
  try {
    const found = (
      await razorpayClient().paymentLink.all({ reference_id: inv.id } as never)
    ).payment_links.find((l) => l.reference_id === inv.id && l.status !== "cancelled");
    if (!found) {
      const owed = await ask.stillOwed();
      if (owed === "skip") return null;
      if (owed === "billed") return { invoiceId: inv.id, status: "billed" };
    }
    link =
      found ??
      (await razorpayClient().paymentLink.create({
        amount: ask.amountMinor,
        currency: inv.currency,
        accept_partial: false,
        reference_id: inv.id,
        description: ask.description,
        customer: contact
          ? { name: contact.contact_name, email: contact.contact_email }
          : ({} as never),
        notify: { email: Boolean(contact), sms: false },
        reminder_enable: true,
        notes: { organization_id: organizationId, patchline_invoice: addonMarker(inv.id) },
      }));
  } catch (e) {
    const reason = razorpayErrorMessage(e);
    if (razorpayRefused(e)) {
      log.warn({ organizationId, invoiceId: inv.id, reason }, "razorpay refused the overage link");
      return { invoiceId: inv.id, status: "refused", reason };
    }
    throw new Error(`ask by payment link: ${reason}`);
  }

  const { error: saveError } = await admin
    .from("invoices")
    .update({ addon_payment_link_id: link.id, addon_payment_link_url: link.short_url })
    .eq("organization_id", organizationId)
    .eq("id", inv.id)
    .is("addon_payment_link_id", null);
  if (saveError) throw new Error(`record payment link: ${saveError.message}`);
  log.info(
    { organizationId, invoiceId: inv.id, paymentLinkId: link.id, amountMinor: ask.amountMinor },
    "invoice amount asked by payment link",
  );
  return { invoiceId: inv.id, status: "linked", paymentLinkId: link.id, url: link.short_url };
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
    .select("id, kind, addon_collected_payment_id")
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
      // a cancellation invoice's whole amount was the link's: the invoice is paid by it
      ...(invoice.kind === "cancellation"
        ? { status: "paid" as const, paid_at: paid.at.toISOString() }
        : {}),
    })
    .eq("organization_id", organizationId)
    .eq("id", invoice.id)
    .is("addon_collected_payment_id", null)
    .select("id");
  if (saveError) throw new Error(`mark add-on collected: ${saveError.message}`);
  return { status: saved?.length ? "collected" : "unchanged", invoiceId: invoice.id };
}
