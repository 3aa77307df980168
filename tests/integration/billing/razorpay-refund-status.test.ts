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
 * A credit refund Razorpay leaves pending, then processes or fails (docs/billing.md "Refund
 * status"), end to end on the devstack: the sandbox is told to leave the next refund `pending`
 * (`/_control/razorpay/refunds-pending`), the real `razorpay-subscription-events` run (real
 * intake, devstack executor) stores Razorpay's answer, and `/_control/razorpay/refund-settled`
 * makes the sandbox send `refund.processed` or `refund.failed` as Razorpay does. Processed is
 * recorded; failed is retried once on the same payment; the retry failing too is final and told
 * once (`billing/action.needed`, reason refund_failed); replays change nothing. Each case has its
 * own workspace. The harness is razorpay-credit-refund.test.ts's.
 */

const APP_ID = "razorpay-refund-status-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let harness: RazorpayHarness;
let user: ApiUser;

/** Deliveries the sandbox sent for this test's subscription events, once our intake took them. */
beforeAll(async () => {
  harness = await startRazorpayHarness(APP_ID);
  user = await signedInUser("pl-rzs");
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await closeDb();
});

const FN = `${APP_ID}-razorpay-subscription-events`;

interface RefundRow {
  id: string;
  razorpay_payment_id: string;
  razorpay_refund_id: string | null;
  razorpay_refund_minor: string | null;
  razorpay_refund_status: string | null;
  razorpay_refund_status_at: Date | null;
  razorpay_refund_attempt: number | null;
}
async function refundRow(invoiceId: string): Promise<RefundRow> {
  const [row] = await asSuperuser<RefundRow>(
    `select id, razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor,
            razorpay_refund_status, razorpay_refund_status_at, razorpay_refund_attempt
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

/**
 * A workspace on Starter whose second charge closes an invoice ₹280.84 below the plan's charge
 * (51 Mapped Bugs, 3 credits), with the sandbox told to leave that refund pending: returns the
 * invoice as the consumer stored it.
 */
async function invoiceWithPendingRefund(name: string) {
  const created = await user.client.rpc("create_organization", {
    p_name: name,
    p_slug: `pl-rzs-${randomUUID().slice(0, 8)}`,
  });
  if (created.error) throw new Error(created.error.message);
  const organizationId = (created.data as { id: string }).id;
  const subscriptionId = await subscribeAndPayStarter(organizationId);
  await asSuperuser(
    "update public.subscriptions set overage_cap = 100 where organization_id = $1",
    [organizationId],
  );
  for (let i = 0; i < 51; i++) {
    await asSuperuser(
      `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
       values ($1, $2, 'medium', 0.9, 0.9, 'mapped')`,
      [organizationId, `Bug ${i}`],
    );
  }
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
  // the bank keeps the next refund: Razorpay answers pending and sends only refund.created
  const pending = await control("POST", "/razorpay/refunds-pending", { count: 1 });
  expect(pending.json).toEqual({ refunds_pending: 1 });
  const charged = await control<{ payment: { id: string } }>("POST", "/razorpay/payment-captured", {
    amount: 589882,
    subscription_id: subscriptionId,
  });
  const [inv] = await waitFor(
    async () => {
      const rows = await asSuperuser<{ id: string }>(
        `select id from public.invoices
          where organization_id = $1 and razorpay_payment_id = $2 and razorpay_refund_id is not null`,
        [organizationId, charged.json.payment.id],
      );
      return rows.length ? rows : undefined;
    },
    30_000,
    "the second invoice's refund",
  );
  return { organizationId, invoice: await refundRow(inv!.id) };
}

/** Settles a pending refund in the sandbox and waits for the consumer's run of that delivery. */
async function settle(refundId: string, status: "processed" | "failed") {
  const before = new Set((await runsOf(executorUrl(), FN)).map((r) => r.id));
  const res = await control<{ refund: { status: string }; deliveries: Array<{ event: string }> }>(
    "POST",
    "/razorpay/refund-settled",
    { refund_id: refundId, status },
  );
  expect(res.status).toBe(201);
  expect(res.json.refund.status).toBe(status);
  expect(res.json.deliveries.map((d) => d.event)).toEqual([`refund.${status}`]);
  const run = await waitFor(
    async () =>
      (await runsOf(executorUrl(), FN)).find(
        (r) => !before.has(r.id) && ["completed", "failed"].includes(r.status),
      ),
    30_000,
    `the run of refund.${status}`,
  );
  return getJson<RunView>(`${executorUrl()}/v1/runs/${run.id}`);
}

async function refundFailedEvents(organizationId: string) {
  const events = await getJson<Array<{ data: { organizationId: string; reason: string } }>>(
    `${executorUrl()}/v1/events?name=${encodeURIComponent("billing/action.needed")}&limit=1000`,
  );
  return events.filter(
    (e) => e.data.organizationId === organizationId && e.data.reason === "refund_failed",
  );
}

describe("a credit refund Razorpay leaves pending", () => {
  it("pending → processed: recorded once; a replayed refund.processed changes nothing", async () => {
    const { organizationId, invoice } = await invoiceWithPendingRefund("Refund processed");
    expect(invoice).toMatchObject({
      razorpay_refund_minor: "28084",
      razorpay_refund_status: "pending",
      razorpay_refund_attempt: 1,
    });
    const refundId = invoice.razorpay_refund_id!;
    const [onRazorpay] = await paymentRefunds(invoice.razorpay_payment_id);
    expect(onRazorpay).toMatchObject({ id: refundId, status: "pending", amount: 28084 });

    const run = await settle(refundId, "processed");
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({
      event: "refund.processed",
      status: "recorded",
      next: "none",
    });
    const processed = await refundRow(invoice.id);
    expect(processed).toMatchObject({
      razorpay_refund_id: refundId,
      razorpay_refund_status: "processed",
      razorpay_refund_attempt: 1,
    });
    expect(processed.razorpay_refund_status_at!.getTime()).toBeGreaterThan(
      invoice.razorpay_refund_status_at!.getTime() - 1_000,
    );
    // settled once: the sandbox refuses to settle it again
    const again = await control("POST", "/razorpay/refund-settled", {
      refund_id: refundId,
      status: "failed",
    });
    expect(again.status).toBe(400);

    const replayed = await replayDelivery(harness, FN, "refund.processed", refundId);
    expect(replayed.output).toMatchObject({ status: "unchanged", invoiceId: invoice.id });
    expect(await refundRow(invoice.id)).toEqual(processed);
    expect(await paymentRefunds(invoice.razorpay_payment_id)).toHaveLength(1);
    expect(await refundFailedEvents(organizationId)).toEqual([]);
  }, 120_000);

  it("pending → failed: retried once on the same payment; the retry failing is final and told once", async () => {
    const { organizationId, invoice } = await invoiceWithPendingRefund("Refund failed");
    const firstId = invoice.razorpay_refund_id!;
    expect(invoice).toMatchObject({
      razorpay_refund_status: "pending",
      razorpay_refund_attempt: 1,
    });

    // the retry will stay pending too
    await control("POST", "/razorpay/refunds-pending", { count: 1 });
    const failed = await settle(firstId, "failed");
    expect(failed.status).toBe("completed");
    expect(failed.output).toMatchObject({ status: "recorded", next: "retry", final: false });
    expect(failed.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(["refund-status", "retry-refund"]),
    );
    const retried = await refundRow(invoice.id);
    expect(retried).toMatchObject({
      razorpay_refund_minor: "28084",
      razorpay_refund_status: "pending",
      razorpay_refund_attempt: 2,
    });
    expect(retried.razorpay_refund_id).not.toBe(firstId);
    // the same amount again on the same payment, marked as attempt 2
    const refunds = await paymentRefunds(invoice.razorpay_payment_id);
    expect(refunds.map((r) => [r.id, r.status, r.amount])).toEqual([
      [retried.razorpay_refund_id, "pending", 28084],
      [firstId, "failed", 28084],
    ]);
    expect(refunds[0]!.notes).toMatchObject({
      patchline_invoice: `patchline-invoice:${invoice.id}`,
      patchline_attempt: "2",
    });
    expect(await refundFailedEvents(organizationId)).toEqual([]);

    // a replayed refund.failed of the first attempt: its refund is no longer the invoice's
    const stale = await replayDelivery(harness, FN, "refund.failed", firstId);
    expect(stale.output).toMatchObject({ status: "unknown" });
    expect(await refundRow(invoice.id)).toEqual(retried);

    // the retry fails too: final, the owners and admins are told once
    const final = await settle(retried.razorpay_refund_id!, "failed");
    expect(final.status).toBe("completed");
    expect(final.output).toMatchObject({ status: "recorded", next: "final", final: true });
    expect(await refundRow(invoice.id)).toMatchObject({
      razorpay_refund_id: retried.razorpay_refund_id,
      razorpay_refund_status: "failed",
      razorpay_refund_attempt: 2,
    });
    const told = await waitFor(
      async () => {
        const events = await refundFailedEvents(organizationId);
        return events.length ? events : undefined;
      },
      10_000,
      "billing/action.needed refund_failed",
    );
    expect(told).toHaveLength(1);

    // a replay of the final refund.failed: nothing more refunded, nobody told again
    const replayed = await replayDelivery(
      harness,
      FN,
      "refund.failed",
      retried.razorpay_refund_id!,
    );
    expect(replayed.output).toMatchObject({ status: "unchanged" });
    expect(replayed.steps.map((s) => s.name)).not.toContain("retry-refund");
    expect(await paymentRefunds(invoice.razorpay_payment_id)).toHaveLength(2);
    expect(await refundFailedEvents(organizationId)).toHaveLength(1);

    // the owner reads it with the invoice; the PDF says what Patchline does
    const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
    const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
    const input = await invoiceForPdf(
      user.client as never,
      { id: organizationId, name: "Refund failed" },
      invoice.id,
    );
    const { lines } = await pdfText(await renderInvoicePdf(input!));
    expect(lines).toContain(
      "Refund of INR 280.84 failed twice: we will pay it back to the billing contact by bank transfer.",
    );
    expect(lines).toContain(`Refund ${retried.razorpay_refund_id} (credits above the overage).`);
  }, 150_000);
});
