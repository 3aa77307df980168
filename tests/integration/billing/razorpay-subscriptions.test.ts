import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { waitFor } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { pdfText } from "@/tests/helpers/pdf-text";
import { control } from "@/tests/integration/sandboxes/helpers";
import { delivered, type RazorpayHarness, startRazorpayHarness } from "./razorpay-harness";

vi.mock("server-only", () => ({}));

/**
 * Razorpay subscriptions end to end on the devstack (issue 18): the owner subscribes through the
 * official SDK against the Razorpay sandbox, pays on the sandbox's checkout page, and the
 * sandbox's real signed deliveries go through the real intake and the devstack executor to
 * `razorpay-subscription-events`: the subscription becomes active and the charged cycle's invoice
 * is recorded with the right lines; a second charge bills the previous cycle's overage and
 * applies a credit, and what that adds to the plan's charge becomes a Razorpay add-on (once, even
 * on a retry) collected with the third charge; a failed payment records "action needed" and emits `billing/action.needed`;
 * a halt and a cancel move the status; a redelivered event and an older event change nothing.
 */

const APP_ID = "razorpay-billing-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
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
async function lines(invoiceId: string) {
  return asSuperuser<{ kind: string; description: string; amount_minor: string }>(
    "select kind, description, amount_minor from public.invoice_lines where invoice_id = $1 order by position",
    [invoiceId],
  );
}
/** Deliveries the sandbox sent for this test's subscription events, once our intake took them. */
beforeAll(async () => {
  harness = await startRazorpayHarness(APP_ID);
  user = await signedInUser("pl-rzp");
  const created = await user.client.rpc("create_organization", {
    p_name: "Razorpay billing",
    p_slug: `pl-rzp-${randomUUID().slice(0, 8)}`,
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

describe("Razorpay subscriptions", () => {
  it("subscribe → checkout pay → subscription.charged: active, and the first invoice has base + GST", async () => {
    const { subscribe } = await import("@/lib/billing/razorpay/subscriptions");
    const { checkoutUrl } = await subscribe(
      await admin(),
      organizationId,
      "starter",
      "http://localhost:3000/x/settings/billing",
    );
    const row = await subscription();
    expect(row).toMatchObject({ status: "trialing", plan_id: "starter", currency: "INR" });
    subscriptionId = row.razorpay_subscription_id ?? "";
    expect(checkoutUrl).toContain(`/razorpay/checkout/${subscriptionId}`);
    // the plan was created on Razorpay with the amount each cycle charges (base + GST)
    const [plan] = await asSuperuser<{ razorpay_plan_id_inr: string }>(
      "select razorpay_plan_id_inr from public.plans where id = 'starter'",
    );
    expect(plan?.razorpay_plan_id_inr).toMatch(/^plan_/);

    const page = await (await fetch(checkoutUrl)).text();
    expect(page).toContain('value="589882"');
    const paid = await fetch(checkoutUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "amount=589882",
    });
    expect(paid.status).toBe(200);

    const active = await waitFor(
      async () => {
        const s = await subscription();
        const inv = await invoices();
        return s.status === "active" && inv.length === 1 ? { s, inv } : undefined;
      },
      30_000,
      "active with an invoice",
    );
    expect(active.s.current_period_start).not.toBeNull();
    const [first] = active.inv;
    expect(first).toMatchObject({
      bugs_count: 0,
      overage_bugs: 0,
      credited_bugs: 0,
      base_minor: "499900",
      tax_minor: "89982",
      total_minor: "589882",
      status: "paid",
    });
    expect((await lines(first!.id)).map((l) => [l.kind, l.amount_minor])).toEqual([
      ["base", "499900"],
      ["tax", "89982"],
    ]);
  }, 60_000);

  it("the next charge bills the previous cycle's overage and applies a credit; its PDF states total and GSTIN", async () => {
    // 52 Mapped Bugs in the first cycle: 2 past Starter's 50; one flagged mismapped (credit)
    await asSuperuser(
      "update public.subscriptions set overage_cap = 100 where organization_id = $1",
      [organizationId],
    );
    await mapBugs(52);
    const [bug] = await asSuperuser<{ id: string }>(
      "select id from public.bugs where organization_id = $1 limit 1",
      [organizationId],
    );
    await asSuperuser(
      "insert into public.bug_credits (organization_id, bug_id, reason) values ($1, $2, 'wrong file')",
      [organizationId, bug!.id],
    );
    // the sandbox starts the next cycle at the end of the current one
    await control("POST", "/razorpay/payment-captured", {
      amount: 589882,
      subscription_id: subscriptionId,
    });
    const all = await waitFor(
      async () => {
        const inv = await invoices();
        return inv.length === 2 ? inv : undefined;
      },
      30_000,
      "second invoice",
    );
    const second = all[1]!;
    // 4,999 + 2 × 119 − 1 × 119 = 5,118.00; GST 921.24; total 6,039.24
    expect(second).toMatchObject({
      bugs_count: 52,
      overage_bugs: 2,
      credited_bugs: 1,
      overage_minor: "23800",
      credits_minor: "11900",
      tax_minor: "92124",
      total_minor: "603924",
    });
    expect((await lines(second.id)).map((l) => l.kind)).toEqual([
      "base",
      "overage",
      "credit",
      "tax",
    ]);
    const [credit] = await asSuperuser<{ invoice_id: string }>(
      "select invoice_id from public.bug_credits where bug_id = $1",
      [bug!.id],
    );
    expect(credit?.invoice_id).toBe(second.id);

    // the PDF, read as the owner would through the page's reader
    const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
    const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
    const input = await invoiceForPdf(
      user.client as never,
      { id: organizationId, name: "Razorpay billing" },
      second.id,
    );
    expect(input).not.toBeNull();
    const { lines: text } = await pdfText(await renderInvoicePdf(input!));
    expect(text).toContain("INR 6,039.24");
    expect(text).toContain("GSTIN 27AAPFU0939F1ZV");
    expect(text).toContain("Overage: 2 Mapped Bugs x INR 119.00 (previous period)");
  }, 60_000);

  it("the invoice's overage less credits is charged as an add-on, once, and collected with the next charge", async () => {
    const { razorpayClient } = await import("@/lib/billing/razorpay/client");
    const ours = async () =>
      (await razorpayClient().addons.all({ count: 100 })).items.filter(
        (a) => a.subscription_id === subscriptionId,
      );
    const second = (await invoices())[1]!;
    // the executor's run created it after recording the invoice: ₹6,039.24 − ₹5,898.82
    const withAddon = await waitFor(
      async () => {
        const [row] = await asSuperuser<{
          razorpay_addon_id: string | null;
          razorpay_addon_minor: string | null;
        }>("select razorpay_addon_id, razorpay_addon_minor from public.invoices where id = $1", [
          second.id,
        ]);
        return row?.razorpay_addon_id ? row : undefined;
      },
      30_000,
      "the second invoice's add-on",
    );
    expect(withAddon.razorpay_addon_minor).toBe("14042");
    const addons = await ours();
    expect(addons).toHaveLength(1);
    expect(addons[0]).toMatchObject({
      id: withAddon.razorpay_addon_id,
      quantity: 1,
      invoice_id: null,
      item: { amount: 14042, currency: "INR", description: `patchline-invoice:${second.id}` },
    });

    // a retry that died after Razorpay created the add-on, before it was stored: found, not doubled
    await asSuperuser(
      "update public.invoices set razorpay_addon_id = null, razorpay_addon_minor = null where id = $1",
      [second.id],
    );
    const { chargeInvoiceOverage } = await import("@/lib/billing/razorpay/overage-addon");
    const retried = await chargeInvoiceOverage(
      await admin(),
      organizationId,
      second.id,
      subscriptionId,
    );
    expect(retried).toEqual({
      status: "created",
      addonId: withAddon.razorpay_addon_id,
      amountMinor: 14042,
    });
    // a retry after it was stored asks Razorpay nothing
    expect(
      await chargeInvoiceOverage(await admin(), organizationId, second.id, subscriptionId),
    ).toEqual({ status: "existing", addonId: withAddon.razorpay_addon_id, amountMinor: 14042 });
    expect(await ours()).toHaveLength(1);
    // the first invoice was the plan's charge: nothing to add
    const first = (await invoices())[0]!;
    expect(
      await chargeInvoiceOverage(await admin(), organizationId, first.id, subscriptionId),
    ).toEqual({ status: "none" });

    // the next cycle's charge: Razorpay bills the add-on with the plan's amount
    await new Promise((r) => setTimeout(r, 1_100));
    const captured = await control<{ payment: { id: string; amount: number; invoice_id: string } }>(
      "POST",
      "/razorpay/payment-captured",
      { amount: 589882, subscription_id: subscriptionId },
    );
    expect(captured.json.payment.amount).toBe(589882 + 14042);
    const collected = await waitFor(
      async () => {
        const [row] = await asSuperuser<{ addon_collected_payment_id: string | null }>(
          "select addon_collected_payment_id from public.invoices where id = $1",
          [second.id],
        );
        return row?.addon_collected_payment_id ? row : undefined;
      },
      30_000,
      "the add-on collected",
    );
    expect(collected.addon_collected_payment_id).toBe(captured.json.payment.id);
    const [billed] = await ours();
    expect(billed?.invoice_id).toBe(captured.json.payment.invoice_id);
    // the third invoice (no bugs in the second cycle, no credits) adds nothing: no new add-on
    const third = await waitFor(
      async () => ((await invoices()).length === 3 ? (await invoices())[2] : undefined),
      30_000,
      "third invoice",
    );
    expect(third).toMatchObject({ bugs_count: 0, total_minor: "589882" });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await ours()).toHaveLength(1);
    // the second invoice's PDF says how its overage was charged
    const { invoiceForPdf } = await import("@/lib/billing/invoices/read");
    const { renderInvoicePdf } = await import("@/lib/billing/invoices/invoice-pdf");
    const input = await invoiceForPdf(
      user.client as never,
      { id: organizationId, name: "Razorpay billing" },
      second.id,
    );
    const { lines: text } = await pdfText(await renderInvoicePdf(input!));
    expect(text).toContain(
      `INR 140.42 (add-on ${withAddon.razorpay_addon_id}) collected with the next charge, ${captured.json.payment.id}.`,
    );
    // a billed add-on cannot be deleted on Razorpay
    await expect(razorpayClient().addons.delete(billed!.id)).rejects.toMatchObject({
      statusCode: 400,
    });
  }, 90_000);

  it("a duplicate delivery changes nothing and an older event cannot undo a newer state", async () => {
    const before = { sub: await subscription(), invoices: await invoices() };
    const charged = await delivered("subscription.charged", 3);
    // the sandbox re-sends the exact bytes and headers: the intake dedupes by event id
    const resent = await control("POST", `/deliveries/${charged[0]!.id}/redeliver`);
    expect([200, 201, 202]).toContain(resent.status);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await subscription()).toEqual(before.sub);
    expect(await invoices()).toEqual(before.invoices);

    // an older subscription.pending (as if delivered late): a newer event was applied, no change
    const { applySubscriptionEvent } = await import("@/lib/billing/razorpay/apply-event");
    const outcome = await applySubscriptionEvent(await admin(), organizationId, {
      event: "subscription.pending",
      eventAt: new Date(Date.now() - 3_600_000),
      subscriptionId,
      status: "pending",
      period: null,
      action: { set: "payment_failed" },
      charge: null,
    });
    expect(outcome).toEqual({ applied: false, reason: "older_event" });
    expect((await subscription()).status).toBe("active");
  }, 60_000);

  it("a failed payment: pending, action needed, billing/action.needed sent once; halted; then cancelled", async () => {
    // let the clock pass the last applied event's second
    await new Promise((r) => setTimeout(r, 1_100));
    const failed = await control("POST", "/razorpay/payment-failed", {
      subscription_id: subscriptionId,
    });
    expect(failed.status).toBe(201);
    const s = await waitFor(
      async () => {
        const row = await subscription();
        return row.status === "pending" && row.action_needed === "payment_failed" ? row : undefined;
      },
      30_000,
      "pending with action needed",
    );
    expect(s.action_needed).toBe("payment_failed");
    const events = await waitFor(
      async () => {
        const res = await fetch(`${executorUrl()}/v1/events?name=billing/action.needed&limit=100`);
        if (!res.ok) return undefined;
        const body = (await res.json()) as {
          data: Array<{ data: { organizationId: string; reason: string } }>;
        };
        const ours = body.data.filter((e) => e.data.organizationId === organizationId);
        return ours.length >= 1 ? ours : undefined;
      },
      20_000,
      "billing/action.needed",
    );
    // payment.failed and the subscription.pending of the same failure tell the owner once
    await new Promise((r) => setTimeout(r, 1_500));
    const told = async () => {
      const res = await fetch(`${executorUrl()}/v1/events?name=billing/action.needed&limit=100`);
      const body = (await res.json()) as {
        data: Array<{ data: { organizationId: string; reason: string } }>;
      };
      return body.data
        .filter((e) => e.data.organizationId === organizationId)
        .map((e) => e.data.reason);
    };
    expect(events.map((e) => e.data.reason)).toEqual(["payment_failed"]);
    expect(await told()).toEqual(["payment_failed"]);

    await new Promise((r) => setTimeout(r, 1_100));
    await control("POST", "/razorpay/subscription-halted", { subscription_id: subscriptionId });
    await waitFor(
      async () => ((await subscription()).status === "halted" ? true : undefined),
      30_000,
      "halted",
    );
    expect((await subscription()).action_needed).toBe("halted");
    expect(
      (
        await waitFor(
          async () => ((await told()).length === 2 ? told() : undefined),
          20_000,
          "halted told",
        )
      ).sort(),
    ).toEqual(["halted", "payment_failed"]);

    await new Promise((r) => setTimeout(r, 1_100));
    const { cancelSubscription } = await import("@/lib/billing/razorpay/subscriptions");
    await cancelSubscription(await admin(), organizationId);
    const cancelled = await waitFor(
      async () => {
        const row = await subscription();
        return row.status === "cancelled" ? row : undefined;
      },
      30_000,
      "cancelled",
    );
    expect(cancelled.action_needed).toBeNull();
  }, 90_000);
});
