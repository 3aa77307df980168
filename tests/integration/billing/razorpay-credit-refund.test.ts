import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { waitFor } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { pdfText } from "@/tests/helpers/pdf-text";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  delivered,
  type RazorpayHarness,
  replayDelivery,
  startRazorpayHarness,
} from "./razorpay-harness";

vi.mock("server-only", () => ({}));

/**
 * Credits above the overage, end to end on the devstack (docs/billing.md "Credits above the
 * overage: a partial refund"): the owner subscribes through the official SDK against the Razorpay
 * sandbox and pays; a cycle with 51 Mapped Bugs on Starter and 3 mismapped credits closes an
 * invoice below the plan's charge, and the real `razorpay-subscription-events` run (real intake,
 * devstack executor) refunds the difference on the charge's payment, once: a replayed charge event
 * refunds nothing more, a retry that lost Razorpay's answer finds the refund by its marker, and a
 * 4xx is returned as refused with nothing stored. The harness is razorpay-subscriptions.test.ts's.
 */

const APP_ID = "razorpay-refund-test";
let harness: RazorpayHarness;
let user: ApiUser;
let organizationId: string;
let subscriptionId: string;

interface SubRow {
  status: string;
  plan_id: string | null;
  currency: string | null;
  current_period_start: Date | null;
  action_needed: string | null;
  razorpay_subscription_id: string | null;
}
async function subscription(): Promise<SubRow> {
  const [row] = await asSuperuser<SubRow>(
    `select status, plan_id, currency, current_period_start, action_needed, razorpay_subscription_id
       from public.subscriptions where organization_id = $1`,
    [organizationId],
  );
  if (!row) throw new Error("no subscription row");
  return row;
}
async function invoices() {
  return asSuperuser<{
    id: string;
    period_start: Date;
    bugs_count: number;
    overage_bugs: number;
    credited_bugs: number;
    base_minor: string;
    overage_minor: string;
    credits_minor: string;
    tax_minor: string;
    total_minor: string;
    status: string;
    razorpay_payment_id: string;
  }>("select * from public.invoices where organization_id = $1 order by period_start", [
    organizationId,
  ]);
}
/** Deliveries the sandbox sent for this test's subscription events, once our intake took them. */
beforeAll(async () => {
  harness = await startRazorpayHarness(APP_ID);
  user = await signedInUser("pl-rzr");
  const created = await user.client.rpc("create_organization", {
    p_name: "Razorpay refunds",
    p_slug: `pl-rzr-${randomUUID().slice(0, 8)}`,
  });
  if (created.error) throw new Error(created.error.message);
  organizationId = (created.data as { id: string }).id;
  await asSuperuser(
    `insert into public.billing_details (organization_id, contact_name, contact_email, country, gstin)
     values ($1, 'Asha Rao', 'billing@acme.test', 'IN', '27AAPFU0939F1ZV')`,
    [organizationId],
  );
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await closeDb();
});

async function admin() {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  return createAdminClient({ reason: "razorpay billing test", organizationId });
}

/** Bugs the meter billed: `mapped` stamps billed_at once (private.bugs_meter). */
async function mapBugs(n: number) {
  for (let i = 0; i < n; i++) {
    await asSuperuser(
      `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
       values ($1, $2, 'medium', 0.9, 0.9, 'mapped')`,
      [organizationId, `Bug ${i}`],
    );
  }
}

interface RefundRow {
  id: string;
  total_minor: string;
  razorpay_payment_id: string;
  razorpay_addon_id: string | null;
  razorpay_refund_id: string | null;
  razorpay_refund_minor: string | null;
  razorpay_refund_status: string | null;
  razorpay_refund_attempt: number | null;
}
async function refundRow(invoiceId: string): Promise<RefundRow> {
  const [row] = await asSuperuser<RefundRow>(
    `select id, total_minor, razorpay_payment_id, razorpay_addon_id, razorpay_refund_id,
            razorpay_refund_minor, razorpay_refund_status, razorpay_refund_attempt
       from public.invoices where id = $1`,
    [invoiceId],
  );
  if (!row) throw new Error("no invoice");
  return row;
}
async function paymentRefunds(paymentId: string) {
  const { razorpayClient } = await import("@/lib/billing/razorpay/client");
  return (await razorpayClient().payments.fetchMultipleRefund(paymentId, { count: 100 })).items;
}

describe("credits above the overage: a partial refund of the charge", () => {
  let second: RefundRow;

  it("the charge's invoice below the plan's charge is refunded the difference, once", async () => {
    const { subscribe } = await import("@/lib/billing/razorpay/subscriptions");
    const { checkoutUrl } = await subscribe(
      await admin(),
      organizationId,
      "starter",
      "http://localhost:3000/x/settings/billing",
    );
    subscriptionId = (await subscription()).razorpay_subscription_id ?? "";
    const paid = await fetch(checkoutUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "amount=589882",
    });
    expect(paid.status).toBe(200);
    const [first] = await waitFor(
      async () => ((await invoices()).length === 1 ? invoices() : undefined),
      30_000,
      "first invoice",
    );
    // the first invoice is the plan's charge: neither an add-on nor a refund
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await refundRow(first!.id)).toMatchObject({
      razorpay_addon_id: null,
      razorpay_refund_id: null,
    });
    expect(await paymentRefunds(first!.razorpay_payment_id)).toEqual([]);

    // 51 Mapped Bugs (1 past Starter's 50) and 3 credits: the credits outweigh the overage
    await asSuperuser(
      "update public.subscriptions set overage_cap = 100 where organization_id = $1",
      [organizationId],
    );
    await mapBugs(51);
    const bugs = await asSuperuser<{ id: string }>(
      "select id from public.bugs where organization_id = $1 order by id limit 3",
      [organizationId],
    );
    for (const bug of bugs) {
      await asSuperuser(
        "insert into public.bug_credits (organization_id, bug_id, reason) values ($1, $2, 'wrong file')",
        [organizationId, bug.id],
      );
    }
    await new Promise((r) => setTimeout(r, 1_100));
    const charged = await control<{ payment: { id: string } }>(
      "POST",
      "/razorpay/payment-captured",
      { amount: 589882, subscription_id: subscriptionId },
    );
    const paymentId = charged.json.payment.id;
    const inv = await waitFor(
      async () => ((await invoices()).length === 2 ? (await invoices())[1] : undefined),
      30_000,
      "second invoice",
    );
    // 4,999 + 119 − 3 × 119 = 4,761.00; GST 856.98; total 5,617.98 against ₹5,898.82 taken
    expect(inv).toMatchObject({
      overage_bugs: 1,
      credited_bugs: 3,
      total_minor: "561798",
      razorpay_payment_id: paymentId,
    });
    second = await waitFor(
      async () => {
        const row = await refundRow(inv!.id);
        return row.razorpay_refund_id ? row : undefined;
      },
      30_000,
      "the second invoice's refund",
    );
    // the sandbox processes it at once: Razorpay's answer says processed, attempt 1
    expect(second).toMatchObject({
      razorpay_refund_minor: "28084",
      razorpay_addon_id: null,
      razorpay_refund_status: "processed",
      razorpay_refund_attempt: 1,
    });
    const refunds = await paymentRefunds(paymentId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      id: second.razorpay_refund_id,
      amount: 28084,
      payment_id: paymentId,
      notes: { patchline_invoice: `patchline-invoice:${inv!.id}` },
      receipt: inv!.id,
    });
    const { razorpayClient } = await import("@/lib/billing/razorpay/client");
    const payment = await razorpayClient().payments.fetch(paymentId);
    expect(payment).toMatchObject({ amount_refunded: 28084, refund_status: "partial" });
    // the sandbox tells of the refund as Razorpay does; the consumer finds it processed already
    const processed = await waitFor(
      async () => {
        const ours = (await delivered("refund.processed")).filter((d) =>
          d.body?.includes(second.razorpay_refund_id!),
        );
        return ours.length ? ours : undefined;
      },
      20_000,
      "refund.processed for this refund",
    );
    expect(processed).toHaveLength(1);
  }, 90_000);

  it("a replayed charge event refunds nothing more", async () => {
    const FN = `${APP_ID}-razorpay-subscription-events`;
    const charged = (await delivered("subscription.charged", 2)).find((d) =>
      d.body?.includes(second.razorpay_payment_id),
    );
    expect(charged?.body).toBeTruthy();
    const resent = await control("POST", `/deliveries/${charged!.id}/redeliver`);
    expect([200, 201, 202]).toContain(resent.status);
    // the same charge under a new event id (the intake's dedupe does not catch it): the run
    // records nothing new and the refund step finds the stored refund
    const view = await replayDelivery(
      harness,
      FN,
      "subscription.charged",
      second.razorpay_payment_id,
    );
    const step = view.steps.find((x) => x.name === "refund-credit");
    expect(JSON.stringify(step?.memo)).toContain(`"status":"existing"`);
    expect(JSON.stringify(step?.memo)).toContain(second.razorpay_refund_id!);
    expect(await paymentRefunds(second.razorpay_payment_id)).toHaveLength(1);
    expect(await refundRow(second.id)).toEqual(second);
  }, 60_000);

  it("a retry that lost Razorpay's answer finds the refund; a 4xx is logged and left", async () => {
    const { refundInvoiceCredit } = await import("@/lib/billing/razorpay/credit-refund");
    // died between Razorpay's answer and the store
    await asSuperuser(
      `update public.invoices set razorpay_refund_id = null, razorpay_refund_minor = null,
         razorpay_refund_status = null, razorpay_refund_status_at = null,
         razorpay_refund_attempt = null where id = $1`,
      [second.id],
    );
    expect(await refundInvoiceCredit(await admin(), organizationId, second.id)).toEqual({
      status: "created",
      refundId: second.razorpay_refund_id,
      amountMinor: 28084,
      refundStatus: "processed",
    });
    expect(await refundInvoiceCredit(await admin(), organizationId, second.id)).toEqual({
      status: "existing",
      refundId: second.razorpay_refund_id,
      amountMinor: 28084,
      refundStatus: "processed",
    });
    expect(await paymentRefunds(second.razorpay_payment_id)).toHaveLength(1);
    expect(await refundRow(second.id)).toEqual(second);

    // the first invoice owes nothing back
    const first = (await invoices())[0]!;
    expect(await refundInvoiceCredit(await admin(), organizationId, first.id)).toEqual({
      status: "none",
    });

    // an invoice whose payment cannot give the amount back (a ₹1 payment): Razorpay refuses,
    // the refusal is returned (not thrown, so the step is not retried) and nothing is stored
    const small = await control<{ payment: { id: string } }>("POST", "/razorpay/payment-captured", {
      amount: 100,
      notes: { organization_id: organizationId },
    });
    const [odd] = await asSuperuser<{ id: string }>(
      `insert into public.invoices (organization_id, plan_id, currency, period_start, period_end,
         included_bugs, bugs_count, overage_bugs, credited_bugs, base_minor, overage_minor,
         credits_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor, status, paid_at,
         razorpay_payment_id)
       values ($1, 'starter', 'INR', '2030-01-01', '2030-02-01', 50, 10, 0, 1, 499900, 0, 11900,
         488000, 1800, 87840, 575840, 'paid', now(), $2)
       returning id`,
      [organizationId, small.json.payment.id],
    );
    const refused = await refundInvoiceCredit(await admin(), organizationId, odd!.id);
    expect(refused).toMatchObject({ status: "refused" });
    expect(refused.status === "refused" && refused.reason).toMatch(/^Razorpay 400: .*greater/);
    expect(await refundRow(odd!.id)).toMatchObject({ razorpay_refund_id: null });
    expect(await paymentRefunds(small.json.payment.id)).toEqual([]);

    // the database refuses a refund above the payment, or without its amount
    await expect(
      asSuperuser(
        `update public.invoices set razorpay_refund_id = 'rfnd_X', razorpay_refund_minor = 589883,
           razorpay_refund_status = 'pending', razorpay_refund_status_at = now(),
           razorpay_refund_attempt = 1 where id = $1`,
        [odd!.id],
      ),
    ).rejects.toThrow(/invoices_refund_within_payment/);
    await expect(
      asSuperuser("update public.invoices set razorpay_refund_id = 'rfnd_X' where id = $1", [
        odd!.id,
      ]),
    ).rejects.toThrow(/invoices_refund_has_amount/);
  }, 60_000);

  it("the owner reads the refund with the invoice, the PDF says it", async () => {
    const { data, error } = await user.client
      .from("invoices")
      .select("razorpay_refund_id, razorpay_refund_minor")
      .eq("id", second.id)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({
      razorpay_refund_id: second.razorpay_refund_id,
      razorpay_refund_minor: 28084,
    });
    const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
    const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
    const input = await invoiceForPdf(
      user.client as never,
      { id: organizationId, name: "Razorpay refunds" },
      second.id,
    );
    const { lines: text } = await pdfText(await renderInvoicePdf(input!));
    expect(text).toContain(
      `Charged on Razorpay: the plan's amount with ${second.razorpay_payment_id}, and`,
    );
    expect(text).toContain(
      `INR 280.84 refunded to the card/payment (credits above the overage), refund ${second.razorpay_refund_id}.`,
    );
  }, 30_000);
});
