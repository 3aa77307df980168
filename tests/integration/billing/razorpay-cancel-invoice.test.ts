import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { waitFor } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { pdfText } from "@/tests/helpers/pdf-text";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  newRun,
  type RazorpayHarness,
  replayDelivery,
  runIds,
  startRazorpayHarness,
  subscribeAndPayStarter,
} from "./razorpay-harness";

vi.mock("server-only", () => ({}));

/**
 * The cycle in which a subscription is cancelled is invoiced (docs/billing.md "The cycle in which
 * a subscription is cancelled"), end to end on the devstack: a workspace on Starter (50 Mapped
 * Bugs) maps 60 bugs in its first paid cycle and earns 1 credit, then the owner cancels. The real
 * `razorpay-subscription-events` run (real intake, devstack executor, Razorpay sandbox) closes the
 * partial cycle into one invoice (10 overage, 1 credit, GST: ₹1,263.78) and asks it with one
 * payment link; a replayed cancellation adds nothing; paying the link marks it paid once. A
 * workspace that cancels within its allowance gets an invoice with nothing to pay and no link.
 */

const APP_ID = "razorpay-cancel-invoice-test";
const FN = `${APP_ID}-razorpay-subscription-events`;
let harness: RazorpayHarness;
let user: ApiUser;

beforeAll(async () => {
  harness = await startRazorpayHarness(APP_ID);
  user = await signedInUser("pl-rzx");
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await closeDb();
});

async function admin(organizationId: string) {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  return createAdminClient({ reason: "razorpay cancellation invoice test", organizationId });
}
async function rzp() {
  const { razorpayClient } = await import("@/lib/billing/razorpay/client");
  return razorpayClient();
}

interface InvoiceRow {
  id: string;
  kind: string;
  period_start: Date;
  period_end: Date;
  bugs_count: number;
  overage_bugs: number;
  credited_bugs: number;
  base_minor: string;
  total_minor: string;
  status: string;
  paid_at: Date | null;
  razorpay_subscription_id: string | null;
  addon_payment_link_id: string | null;
  addon_payment_link_url: string | null;
  addon_collected_payment_id: string | null;
}
async function invoices(organizationId: string): Promise<InvoiceRow[]> {
  return asSuperuser<InvoiceRow>(
    `select id, kind, period_start, period_end, bugs_count, overage_bugs, credited_bugs,
            base_minor, total_minor, status, paid_at, razorpay_subscription_id,
            addon_payment_link_id, addon_payment_link_url, addon_collected_payment_id
       from public.invoices where organization_id = $1 order by kind desc, period_start`,
    [organizationId],
  );
}
async function cancellationInvoiceOf(organizationId: string) {
  return waitFor(
    async () => (await invoices(organizationId)).find((i) => i.kind === "cancellation"),
    30_000,
    "the cancellation invoice",
  );
}

/** A workspace on Starter (INR) whose first charge is paid: its first paid cycle is running. */
async function paidWorkspace(name: string) {
  const created = await user.client.rpc("create_organization", {
    p_name: name,
    p_slug: `pl-rzx-${randomUUID().slice(0, 8)}`,
  });
  if (created.error) throw new Error(created.error.message);
  const organizationId = (created.data as { id: string }).id;
  await asSuperuser(
    `insert into public.billing_details (organization_id, contact_name, contact_email, country)
     values ($1, 'Asha Rao', 'billing@acme.test', 'IN')`,
    [organizationId],
  );
  return { organizationId, subscriptionId: await subscribeAndPayStarter(organizationId) };
}

async function mapBugs(organizationId: string, count: number) {
  await asSuperuser(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
     select $1, 'Bug ' || g, 'medium', 0.9, 0.9, 'mapped' from generate_series(1, $2) g`,
    [organizationId, count],
  );
}

async function pdfLines(organizationId: string, name: string, invoiceId: string) {
  const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
  const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
  const input = await invoiceForPdf(user.client as never, { id: organizationId, name }, invoiceId);
  return (await pdfText(await renderInvoicePdf(input!))).lines;
}

describe("the cycle in which a subscription is cancelled", () => {
  let organizationId: string;
  let subscriptionId: string;
  let invoice: InvoiceRow;

  it("is closed into one invoice at the cancellation, its overage asked by one payment link", async () => {
    ({ organizationId, subscriptionId } = await paidWorkspace("Cancels mid-cycle"));
    // 60 Mapped Bugs on Starter's 50 (the cap lets 10 through as overage), 1 of them credited
    await asSuperuser(
      "update public.subscriptions set overage_cap = 100 where organization_id = $1",
      [organizationId],
    );
    await mapBugs(organizationId, 60);
    const [bug] = await asSuperuser<{ id: string }>(
      "select id from public.bugs where organization_id = $1 order by id limit 1",
      [organizationId],
    );
    await asSuperuser(
      "insert into public.bug_credits (organization_id, bug_id, reason) values ($1, $2, 'wrong file')",
      [organizationId, bug!.id],
    );
    const [cycle] = await asSuperuser<{ current_period_start: Date }>(
      "select current_period_start from public.subscriptions where organization_id = $1",
      [organizationId],
    );

    // Razorpay's event times are seconds: cancel in a later second than the cycle started
    await new Promise((r) => setTimeout(r, 1_100));
    const before = await runIds(FN);
    const { cancelSubscription } = await import("@/lib/billing/razorpay/subscriptions");
    await cancelSubscription(await admin(organizationId), organizationId);
    invoice = await waitFor(
      async () => {
        const row = (await invoices(organizationId)).find((i) => i.kind === "cancellation");
        return row?.addon_payment_link_id ? row : undefined;
      },
      30_000,
      "the cancellation invoice's payment link",
    );
    const run = await newRun(FN, before, "the cancellation's run", "subscription.cancelled");
    expect(run.status).toBe("completed");
    expect(run.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(["apply", "close-cancelled-cycle", "ask-cancelled-cycle"]),
    );

    const [sub] = await asSuperuser<{ status: string; cancelled_at: Date }>(
      "select status, cancelled_at from public.subscriptions where organization_id = $1",
      [organizationId],
    );
    expect(sub!.status).toBe("cancelled");
    // 10 overage × ₹119 less 1 credit = ₹1,071.00, GST ₹192.78: ₹1,263.78; no base (paid)
    expect(invoice).toMatchObject({
      kind: "cancellation",
      period_start: cycle!.current_period_start,
      period_end: sub!.cancelled_at,
      bugs_count: 60,
      overage_bugs: 10,
      credited_bugs: 1,
      base_minor: "0",
      total_minor: "126378",
      status: "issued",
      paid_at: null,
      razorpay_subscription_id: subscriptionId,
      addon_collected_payment_id: null,
    });
    // the credit is this invoice's now
    const [credit] = await asSuperuser<{ invoice_id: string }>(
      "select invoice_id from public.bug_credits where bug_id = $1",
      [bug!.id],
    );
    expect(credit!.invoice_id).toBe(invoice.id);
    // the cycle's own invoice (its charge) is untouched; two invoices in all
    expect((await invoices(organizationId)).map((i) => i.kind)).toEqual(["cycle", "cancellation"]);

    const link = await (await rzp()).paymentLink.fetch(invoice.addon_payment_link_id!);
    expect(link).toMatchObject({
      amount: 126378,
      currency: "INR",
      status: "created",
      reference_id: invoice.id,
      customer: { name: "Asha Rao", email: "billing@acme.test" },
      notes: {
        organization_id: organizationId,
        patchline_invoice: `patchline-invoice:${invoice.id}`,
      },
    });
    expect(invoice.addon_payment_link_url).toMatch(new RegExp(`/razorpay/pl/${link.id}$`));

    const lines = await pdfLines(organizationId, "Cancels mid-cycle", invoice.id);
    expect(lines).toContain("Subscription cancelled: its last period, up to the cancellation.");
    expect(lines).toContain("10 Mapped Bugs over the plan's 50: pay by Razorpay payment link.");
    expect(lines).toContain(
      `Pay at ${invoice.addon_payment_link_url} (Razorpay payment link ${link.id}).`,
    );
  }, 150_000);

  it("a replayed cancellation creates nothing more", async () => {
    const replayed = await replayDelivery(harness, FN, "subscription.cancelled", subscriptionId);
    expect(replayed.status).toBe("completed");
    const closed = replayed.steps.find((s) => s.name === "close-cancelled-cycle");
    expect(closed?.memo).toMatchObject({ data: { invoiceId: invoice.id, created: false } });
    const asked = replayed.steps.find((s) => s.name === "ask-cancelled-cycle");
    expect(asked?.memo).toMatchObject({ data: { invoiceId: invoice.id, status: "existing" } });
    expect(await invoices(organizationId)).toHaveLength(2);
    expect(await cancellationInvoiceOf(organizationId)).toEqual(invoice);
    const byReference = await (await rzp()).paymentLink.all({ reference_id: invoice.id } as never);
    expect(byReference.payment_links).toHaveLength(1);
  }, 90_000);

  it("paying the link marks the invoice paid, once", async () => {
    const before = await runIds(FN);
    const paid = await control<{ payment: { id: string } }>("POST", "/razorpay/payment-link-paid", {
      id: invoice.addon_payment_link_id,
    });
    expect(paid.status).toBe(201);
    const paymentId = paid.json.payment.id;
    const collected = await waitFor(
      async () => {
        const row = await cancellationInvoiceOf(organizationId);
        return row.addon_collected_payment_id ? row : undefined;
      },
      30_000,
      "the cancellation invoice paid",
    );
    expect(collected).toMatchObject({ status: "paid", addon_collected_payment_id: paymentId });
    expect(collected.paid_at).not.toBeNull();
    const run = await newRun(FN, before, "payment_link.paid's run", "payment_link.paid");
    expect(run.output).toMatchObject({ event: "payment_link.paid", status: "collected" });

    const replayed = await replayDelivery(
      harness,
      FN,
      "payment_link.paid",
      invoice.addon_payment_link_id!,
    );
    expect(replayed.output).toMatchObject({ status: "unchanged", invoiceId: invoice.id });
    expect(await cancellationInvoiceOf(organizationId)).toEqual(collected);

    const lines = await pdfLines(organizationId, "Cancels mid-cycle", invoice.id);
    expect(lines).toContain("10 Mapped Bugs over the plan's 50, paid by payment link.");
    expect(lines).toContain(
      `Paid by Razorpay payment link ${invoice.addon_payment_link_id}, ${paymentId}.`,
    );
  }, 90_000);
});

describe("a cancellation within the allowance", () => {
  it("closes the cycle into an invoice with nothing to pay, and asks nothing", async () => {
    const { organizationId, subscriptionId } = await paidWorkspace("Cancels within allowance");
    await mapBugs(organizationId, 30);
    const before = await runIds(FN);
    const { cancelSubscription } = await import("@/lib/billing/razorpay/subscriptions");
    await cancelSubscription(await admin(organizationId), organizationId);
    const invoice = await cancellationInvoiceOf(organizationId);
    const run = await newRun(FN, before, "the cancellation's run", "subscription.cancelled");
    expect(run.steps.find((s) => s.name === "ask-cancelled-cycle")?.memo).toMatchObject({
      data: { invoiceId: invoice.id, status: "none" },
    });
    expect(invoice).toMatchObject({
      bugs_count: 30,
      overage_bugs: 0,
      total_minor: "0",
      status: "paid",
      razorpay_subscription_id: subscriptionId,
      addon_payment_link_id: null,
    });
    expect(invoice.paid_at).toEqual(invoice.period_end);
    const byReference = await (await rzp()).paymentLink.all({ reference_id: invoice.id } as never);
    expect(byReference.payment_links).toHaveLength(0);
    const lines = await pdfLines(organizationId, "Cancels within allowance", invoice.id);
    expect(lines).toContain("Nothing to pay: the Mapped Bugs stayed within the plan's 50.");
  }, 150_000);
});

describe("a cancellation with credits above the overage", () => {
  it("applies credits to the overage and refunds the rest on the cycle's payment, once", async () => {
    const { organizationId, subscriptionId } = await paidWorkspace("Cancels with credits");
    // 51 Mapped Bugs (1 overage) and 3 credits: 1 lowers the overage, 2 are refunded with GST
    await asSuperuser(
      "update public.subscriptions set overage_cap = 100 where organization_id = $1",
      [organizationId],
    );
    await mapBugs(organizationId, 51);
    await asSuperuser(
      `insert into public.bug_credits (organization_id, bug_id, reason)
       select $1, id, 'wrong file' from public.bugs where organization_id = $1 order by id limit 3`,
      [organizationId],
    );
    const [cycle] = await asSuperuser<{ razorpay_payment_id: string }>(
      "select razorpay_payment_id from public.invoices where organization_id = $1 and kind = 'cycle'",
      [organizationId],
    );
    await new Promise((r) => setTimeout(r, 1_100));
    const before = await runIds(FN);
    const { cancelSubscription } = await import("@/lib/billing/razorpay/subscriptions");
    await cancelSubscription(await admin(organizationId), organizationId);
    const run = await newRun(FN, before, "the cancellation's run", "subscription.cancelled");
    expect(run.status).toBe("completed");
    const [invoice] = await asSuperuser<{
      id: string;
      overage_bugs: number;
      credited_bugs: number;
      credits_minor: string;
      total_minor: string;
      status: string;
      addon_payment_link_id: string | null;
      razorpay_payment_id: string | null;
      razorpay_refund_id: string | null;
      razorpay_refund_minor: string | null;
    }>(
      `select id, overage_bugs, credited_bugs, credits_minor, total_minor, status,
              addon_payment_link_id, razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor
         from public.invoices where organization_id = $1 and kind = 'cancellation'`,
      [organizationId],
    );
    // 2 credits × ₹119 = ₹238.00, GST ₹42.84: ₹280.84 back on the charge that started the cycle
    expect(invoice).toMatchObject({
      overage_bugs: 1,
      credited_bugs: 3,
      credits_minor: "11900",
      total_minor: "0",
      status: "paid",
      addon_payment_link_id: null,
      razorpay_payment_id: cycle!.razorpay_payment_id,
      razorpay_refund_minor: "28084",
    });
    const [credits] = await asSuperuser<{ n: number }>(
      "select count(*)::int as n from public.bug_credits where invoice_id = $1",
      [invoice!.id],
    );
    expect(credits!.n).toBe(3);
    const refund = await (await rzp()).refunds.fetch(invoice!.razorpay_refund_id!);
    expect(refund).toMatchObject({
      amount: 28084,
      payment_id: cycle!.razorpay_payment_id,
      notes: { patchline_invoice: `patchline-invoice:${invoice!.id}` },
    });

    // a replayed cancellation refunds nothing more
    const replayed = await replayDelivery(harness, FN, "subscription.cancelled", subscriptionId);
    expect(
      replayed.steps.find((s) => s.name === "refund-cancelled-cycle-credit")?.memo,
    ).toMatchObject({ data: { status: "existing", refundId: invoice!.razorpay_refund_id } });
    const refunds = await (await rzp()).payments.fetchMultipleRefund(cycle!.razorpay_payment_id);
    expect(refunds.items).toHaveLength(1);

    const lines = await pdfLines(organizationId, "Cancels with credits", invoice!.id);
    expect(lines).toContain("Nothing to pay: the 1 Mapped Bug over the plan's 50 was credited.");
    expect(lines).toContain(
      `Refunded on ${cycle!.razorpay_payment_id}, the charge that started this period:`,
    );
  }, 150_000);
});
