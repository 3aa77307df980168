import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getJson, type RunView, runsOf, waitFor } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { pdfText } from "@/tests/helpers/pdf-text";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  type RazorpayHarness,
  replayDelivery,
  startRazorpayHarness,
  subscribeAndPayStarter,
} from "./razorpay-harness";

vi.mock("server-only", () => ({}));

/**
 * An add-on pending when the subscription is cancelled (docs/billing.md "An add-on pending at
 * cancellation"), end to end on the devstack: a second charge on Starter with 52 Mapped Bugs and
 * 1 credit leaves a ₹140.42 add-on for the next charge; the owner cancels; the real
 * `razorpay-subscription-events` run (real intake, devstack executor) asks it with a Razorpay
 * Payment Link and deletes the add-on, once (a replayed cancellation asks nothing more); the
 * customer pays the link in the sandbox and `payment_link.paid` marks the add-on collected, once.
 * The harness is razorpay-credit-refund.test.ts's.
 */

const APP_ID = "razorpay-addon-cancel-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let harness: RazorpayHarness;
let user: ApiUser;

/** Deliveries the sandbox sent for this test's subscription events, once our intake took them. */
beforeAll(async () => {
  harness = await startRazorpayHarness(APP_ID);
  user = await signedInUser("pl-rzc");
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await closeDb();
});

const FN = `${APP_ID}-razorpay-subscription-events`;
let organizationId: string;

async function admin() {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  return createAdminClient({ reason: "razorpay add-on cancel test", organizationId });
}
async function rzp() {
  const { razorpayClient } = await import("@/lib/billing/razorpay/client");
  return razorpayClient();
}

interface AddonRow {
  id: string;
  razorpay_addon_id: string | null;
  razorpay_addon_minor: string | null;
  addon_collected_payment_id: string | null;
  addon_payment_link_id: string | null;
  addon_payment_link_url: string | null;
}
async function addonRow(invoiceId: string): Promise<AddonRow> {
  const [row] = await asSuperuser<AddonRow>(
    `select id, razorpay_addon_id, razorpay_addon_minor, addon_collected_payment_id,
            addon_payment_link_id, addon_payment_link_url
       from public.invoices where id = $1`,
    [invoiceId],
  );
  if (!row) throw new Error("no invoice");
  return row;
}
async function newRun(before: Set<string>, what: string) {
  const run = await waitFor(
    async () =>
      (await runsOf(executorUrl(), FN)).find(
        (r) => !before.has(r.id) && ["completed", "failed"].includes(r.status),
      ),
    30_000,
    what,
  );
  return getJson<RunView>(`${executorUrl()}/v1/runs/${run.id}`);
}
describe("an add-on pending when the subscription is cancelled", () => {
  let invoiceId: string;
  let subscriptionId: string;
  let linkId: string;

  it("the cancellation asks the pending add-on with a payment link and removes the add-on, once", async () => {
    const created = await user.client.rpc("create_organization", {
      p_name: "Add-on at cancel",
      p_slug: `pl-rzc-${randomUUID().slice(0, 8)}`,
    });
    if (created.error) throw new Error(created.error.message);
    organizationId = (created.data as { id: string }).id;
    await asSuperuser(
      `insert into public.billing_details (organization_id, contact_name, contact_email, country)
       values ($1, 'Asha Rao', 'billing@acme.test', 'IN')`,
      [organizationId],
    );
    const { cancelSubscription } = await import("@/lib/billing/razorpay/subscriptions");
    subscriptionId = await subscribeAndPayStarter(organizationId);

    // 52 Mapped Bugs (2 past Starter's 50) and 1 credit: ₹140.42 above the plan's charge
    await asSuperuser(
      "update public.subscriptions set overage_cap = 100 where organization_id = $1",
      [organizationId],
    );
    for (let i = 0; i < 52; i++) {
      await asSuperuser(
        `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
         values ($1, $2, 'medium', 0.9, 0.9, 'mapped')`,
        [organizationId, `Bug ${i}`],
      );
    }
    const [bug] = await asSuperuser<{ id: string }>(
      "select id from public.bugs where organization_id = $1 order by id limit 1",
      [organizationId],
    );
    await asSuperuser(
      "insert into public.bug_credits (organization_id, bug_id, reason) values ($1, $2, 'wrong file')",
      [organizationId, bug!.id],
    );
    await new Promise((r) => setTimeout(r, 1_100));
    await control("POST", "/razorpay/payment-captured", {
      amount: 589882,
      subscription_id: subscriptionId,
    });
    const [second] = await waitFor(
      async () => {
        const rows = await asSuperuser<{ id: string }>(
          `select id from public.invoices
            where organization_id = $1 and razorpay_addon_id is not null`,
          [organizationId],
        );
        return rows.length ? rows : undefined;
      },
      30_000,
      "the second invoice's add-on",
    );
    invoiceId = second!.id;
    const before = await addonRow(invoiceId);
    expect(before).toMatchObject({ razorpay_addon_minor: "14042", addon_payment_link_id: null });
    const addonId = before.razorpay_addon_id!;
    expect((await (await rzp()).addons.fetch(addonId)).invoice_id).toBeNull();

    // the owner cancels: Razorpay's next charge will never come
    const runsBefore = new Set((await runsOf(executorUrl(), FN)).map((r) => r.id));
    await cancelSubscription(await admin(), organizationId);
    const linked = await waitFor(
      async () => {
        const row = await addonRow(invoiceId);
        return row.addon_payment_link_id ? row : undefined;
      },
      30_000,
      "the add-on's payment link",
    );
    linkId = linked.addon_payment_link_id!;
    expect(linked.addon_payment_link_url).toMatch(new RegExp(`/razorpay/pl/${linkId}$`));
    expect(linked.addon_collected_payment_id).toBeNull();
    const run = await newRun(runsBefore, "the cancellation's run");
    expect(run.steps.map((s) => s.name)).toContain("collect-pending-addons");

    const link = await (await rzp()).paymentLink.fetch(linkId);
    expect(link).toMatchObject({
      amount: 14042,
      currency: "INR",
      status: "created",
      reference_id: invoiceId,
      customer: { name: "Asha Rao", email: "billing@acme.test" },
      notify: { email: true, sms: false },
      notes: {
        organization_id: organizationId,
        patchline_invoice: `patchline-invoice:${invoiceId}`,
      },
    });
    // the add-on is gone: no charge can bill it as well
    await expect((await rzp()).addons.fetch(addonId)).rejects.toMatchObject({ statusCode: 400 });

    // a replayed cancellation asks nothing more
    const replayed = await replayDelivery(harness, FN, "subscription.cancelled", subscriptionId);
    expect(replayed.status).toBe("completed");
    const step = replayed.steps.find((s) => s.name === "collect-pending-addons");
    expect(JSON.stringify(step?.memo)).toContain(`"status":"existing"`);
    const byReference = await (await rzp()).paymentLink.all({ reference_id: invoiceId } as never);
    expect(byReference.payment_links).toHaveLength(1);
    expect(await addonRow(invoiceId)).toEqual(linked);

    // the PDF asks for it with the link
    const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
    const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
    const input = await invoiceForPdf(
      user.client as never,
      { id: organizationId, name: "Add-on at cancel" },
      invoiceId,
    );
    const { lines } = await pdfText(await renderInvoicePdf(input!));
    expect(lines).toContain(
      `INR 140.42 (add-on ${addonId}): the subscription ended before the next charge; pay it at`,
    );
    expect(lines).toContain(`${linked.addon_payment_link_url} (Razorpay payment link ${linkId}).`);
  }, 150_000);

  it("paying the link collects the add-on, once", async () => {
    const runsBefore = new Set((await runsOf(executorUrl(), FN)).map((r) => r.id));
    const paid = await control<{ payment: { id: string }; deliveries: Array<{ event: string }> }>(
      "POST",
      "/razorpay/payment-link-paid",
      { id: linkId },
    );
    expect(paid.status).toBe(201);
    expect(paid.json.deliveries.map((d) => d.event)).toEqual([
      "payment.captured",
      "payment_link.paid",
    ]);
    const paymentId = paid.json.payment.id;
    const collected = await waitFor(
      async () => {
        const row = await addonRow(invoiceId);
        return row.addon_collected_payment_id ? row : undefined;
      },
      30_000,
      "the add-on collected",
    );
    expect(collected.addon_collected_payment_id).toBe(paymentId);
    const run = await newRun(runsBefore, "payment_link.paid's run");
    expect(run.output).toMatchObject({
      event: "payment_link.paid",
      status: "collected",
      invoiceId,
    });

    // paid once: the sandbox refuses to pay it again, a replay changes nothing
    expect((await control("POST", "/razorpay/payment-link-paid", { id: linkId })).status).toBe(400);
    const replayed = await replayDelivery(harness, FN, "payment_link.paid", linkId);
    expect(replayed.output).toMatchObject({ status: "unchanged", invoiceId });
    expect(await addonRow(invoiceId)).toEqual(collected);

    const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
    const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
    const input = await invoiceForPdf(
      user.client as never,
      { id: organizationId, name: "Add-on at cancel" },
      invoiceId,
    );
    const { lines } = await pdfText(await renderInvoicePdf(input!));
    expect(lines).toContain(
      `INR 140.42 (add-on ${collected.razorpay_addon_id}) paid by payment link ${linkId}, ${paymentId}.`,
    );
  }, 90_000);
});
