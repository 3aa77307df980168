import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.invoices: owners and admins read the workspace's invoices (billing.read); the
 * billing jobs and the Razorpay intake write them (service role). The totals must add up whoever
 * writes: subtotal = base + overage − credits, total = subtotal + tax, no tax on USD; a credit
 * refund comes with its amount and payment, never above the plan's charge nor beside an add-on,
 * and with its status (pending, processed, failed), the status's date and its attempt (1 or 2). A
 * cancellation invoice (the cycle a cancellation cut short) names its subscription, has no base
 * nor add-on, is one per period and subscription, and may be asked and paid by payment link.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("inv");
});
afterAll(closeDb);
const w = () => world;

describe("rls: invoices", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's invoices",
      (x) => ({
        text: "select total_minor, status from public.invoices where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("select the credit refund (migration 20261209100000)", () => {
    matrix(
      w,
      "read workspace A's invoice refund columns",
      (x) => ({
        text: "select razorpay_refund_id, razorpay_refund_minor from public.invoices where id = $1",
        params: [x.billingA.invoiceId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("select the refund status (migration 20261210100000)", () => {
    matrix(
      w,
      "read workspace A's invoice refund status",
      (x) => ({
        text: "select razorpay_refund_status, razorpay_refund_status_at, razorpay_refund_attempt from public.invoices where id = $1",
        params: [x.billingA.invoiceId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("select the add-on's payment link (migration 20261210100100)", () => {
    matrix(
      w,
      "read workspace A's invoice payment link",
      (x) => ({
        text: "select addon_payment_link_id, addon_payment_link_url from public.invoices where id = $1",
        params: [x.billingA.invoiceId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("select the invoice's kind and subscription (migration 20261211100000)", () => {
    matrix(
      w,
      "read workspace A's invoice kind",
      (x) => ({
        text: "select kind, razorpay_subscription_id from public.invoices where id = $1",
        params: [x.billingA.invoiceId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("update the invoice's kind", () => {
    matrix(
      w,
      "turn workspace A's invoice into a cancellation invoice",
      (x) => ({
        text: "update public.invoices set kind = 'cancellation', razorpay_subscription_id = 'sub_Mine', base_minor = 0 where id = $1",
        params: [x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "issue a zero invoice in workspace A",
      (x) => ({
        text: `insert into public.invoices
                 (organization_id, period_start, period_end, plan_id, currency, included_bugs,
                  bugs_count, overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp,
                  tax_minor, total_minor)
               values ($1, '2026-12-01', '2027-01-01', 'starter', 'INR', 50, 0, 0, 0, 0, 0, 1800, 0, 0)`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark workspace A's invoice paid",
      (x) => ({
        text: "update public.invoices set status = 'paid', paid_at = now() where id = $1",
        params: [x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update the credit refund", () => {
    matrix(
      w,
      "record a refund on workspace A's invoice",
      (x) => ({
        text: "update public.invoices set razorpay_refund_id = 'rfnd_Mine', razorpay_refund_minor = 100 where id = $1",
        params: [x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update the refund status", () => {
    matrix(
      w,
      "mark workspace A's invoice refund processed",
      (x) => ({
        text: "update public.invoices set razorpay_refund_status = 'processed', razorpay_refund_status_at = now(), razorpay_refund_attempt = 2 where id = $1",
        params: [x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update the add-on's payment link", () => {
    matrix(
      w,
      "point workspace A's invoice at another payment link",
      (x) => ({
        text: "update public.invoices set addon_payment_link_id = 'plink_Mine', addon_payment_link_url = 'https://rzp.io/i/x' where id = $1",
        params: [x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's invoice",
      (x) => ({
        text: "delete from public.invoices where id = $1",
        params: [x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    // Razorpay ids in unique columns: one per run, so a rerun on the same database holds
    const tag = () => world.orgB.id.slice(0, 8);
    const insert = (base: number, tax: number, total: number, currency = "INR") =>
      asSuperuser(
        `insert into public.invoices
           (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
            overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor)
         values ($1, '2027-03-01', '2027-04-01', 'starter', $2, 50, 3, 0, $3, 0, $3, 1800, $4, $5)`,
        [world.orgB.id, currency, base, tax, total],
      );

    it("refuses a total that does not add up", async () => {
      await expect(insert(499900, 89982, 589883)).rejects.toMatchObject({ code: "23514" });
    });

    it("refuses tax on a USD invoice", async () => {
      await expect(insert(5900, 1062, 6962, "USD")).rejects.toMatchObject({ code: "23514" });
    });

    it("a credit refund: with its amount and the payment, never above the plan's charge, never beside an add-on, once", async () => {
      // 51 bugs, 3 credits on Starter: ₹5,617.98 against the ₹5,898.82 charged
      const [inv] = await asSuperuser<{ id: string }>(
        `insert into public.invoices
           (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
            overage_bugs, credited_bugs, base_minor, overage_minor, credits_minor, subtotal_minor,
            tax_rate_bp, tax_minor, total_minor)
         values ($1, '2027-05-01', '2027-06-01', 'starter', 'INR', 50, 51, 1, 3, 499900, 11900,
                 35700, 476100, 1800, 85698, 561798)
         returning id`,
        [world.orgB.id],
      );
      const set = (sql: string) =>
        asSuperuser(`update public.invoices set ${sql} where id = $1`, [inv!.id]);
      // no payment to refund on
      await expect(
        set(`razorpay_refund_id = 'rfnd_${tag()}', razorpay_refund_minor = 28084`),
      ).rejects.toMatchObject({ code: "23514" });
      await set("razorpay_payment_id = 'pay_Inv1'");
      await expect(set(`razorpay_refund_id = 'rfnd_${tag()}'`)).rejects.toMatchObject({
        code: "23514",
      });
      await expect(
        set(`razorpay_refund_id = 'rfnd_${tag()}', razorpay_refund_minor = 0`),
      ).rejects.toMatchObject({ code: "23514" });
      // above the payment (the plan's charge, ₹5,898.82)
      await expect(
        set(`razorpay_refund_id = 'rfnd_${tag()}', razorpay_refund_minor = 589883`),
      ).rejects.toMatchObject({ code: "23514" });
      // a refund without its status, date and attempt
      await expect(
        set(`razorpay_refund_id = 'rfnd_${tag()}', razorpay_refund_minor = 28084`),
      ).rejects.toMatchObject({ code: "23514" });
      const refund = (status: string, attempt: number, at = "now()") =>
        `razorpay_refund_id = 'rfnd_${tag()}', razorpay_refund_minor = 28084, razorpay_refund_status = '${status}', razorpay_refund_status_at = ${at}, razorpay_refund_attempt = ${attempt}`;
      await expect(set(refund("settled", 1))).rejects.toMatchObject({ code: "23514" });
      await expect(set(refund("pending", 3))).rejects.toMatchObject({ code: "23514" });
      await expect(set(refund("pending", 1, "null"))).rejects.toMatchObject({ code: "23514" });
      await set(refund("pending", 1));
      // no status left behind without its refund
      await expect(
        set("razorpay_refund_id = null, razorpay_refund_minor = null"),
      ).rejects.toMatchObject({ code: "23514" });
      await set(refund("failed", 2));
      await expect(
        set("razorpay_addon_id = 'ao_Inv1', razorpay_addon_minor = 100"),
      ).rejects.toMatchObject({ code: "23514" });
      // one refund, one invoice
      await expect(
        asSuperuser(
          `update public.invoices set razorpay_payment_id = 'pay_X', razorpay_refund_id = 'rfnd_${tag()}', razorpay_refund_minor = 100, razorpay_refund_status = 'pending', razorpay_refund_status_at = now(), razorpay_refund_attempt = 1 where id = $1`,
          [world.billingA.invoiceId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("a payment link: only for an add-on, with an http(s) URL, once", async () => {
      const [inv] = await asSuperuser<{ id: string }>(
        `insert into public.invoices
           (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
            overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor)
         values ($1, '2027-07-01', '2027-08-01', 'starter', 'USD', 50, 52, 2, 5900, 298, 6198, 0, 0, 6198)
         returning id`,
        [world.orgB.id],
      );
      const set = (sql: string) =>
        asSuperuser(`update public.invoices set ${sql} where id = $1`, [inv!.id]);
      const link = `addon_payment_link_id = 'plink_${tag()}', addon_payment_link_url = 'https://rzp.io/i/a'`;
      // no add-on to ask for
      await expect(set(link)).rejects.toMatchObject({ code: "23514" });
      await set(`razorpay_addon_id = 'ao_${tag()}', razorpay_addon_minor = 298`);
      await expect(set(`addon_payment_link_id = 'plink_${tag()}'`)).rejects.toMatchObject({
        code: "23514",
      });
      await expect(
        set(
          `addon_payment_link_id = 'plink_${tag()}', addon_payment_link_url = 'javascript:alert(1)'`,
        ),
      ).rejects.toMatchObject({ code: "23514" });
      await set(link);
      // one invoice per link
      await expect(
        asSuperuser(
          `update public.invoices set razorpay_addon_id = 'ao_${tag()}2', razorpay_addon_minor = 1,
             addon_payment_link_id = 'plink_${tag()}', addon_payment_link_url = 'https://rzp.io/i/b'
           where id = $1`,
          [world.billingA.invoiceId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("a cancellation invoice: names its subscription, no base nor add-on, once per period and subscription; asked and paid by link", async () => {
      // 60 bugs on Starter: 10 overage, ₹1,404.20 with GST (plus a base, to see it refused)
      const cancellation = (periodStart: string, subscription: string | null, base = 0) => {
        const tax = Math.round(((119000 + base) * 18) / 100);
        return asSuperuser<{ id: string }>(
          `insert into public.invoices
             (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
              overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor,
              total_minor, status, kind, razorpay_subscription_id)
           values ($1, $2::timestamptz, $2::timestamptz + interval '6 days', 'starter', 'INR', 50,
                   60, 10, $4, 119000, $5, 1800, $6, $7, 'issued', 'cancellation', $3)
           returning id`,
          [world.orgB.id, periodStart, subscription, base, 119000 + base, tax, 119000 + base + tax],
        );
      };
      const sub = `sub_${tag()}`;
      // a cancellation names its subscription, and only a cancellation does
      await expect(cancellation("2027-09-01", null)).rejects.toMatchObject({ code: "23514" });
      await expect(
        asSuperuser("update public.invoices set razorpay_subscription_id = $2 where id = $1", [
          world.billingA.invoiceId,
          `${sub}x`,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
      // no base: the charge that started the cycle paid it
      await expect(cancellation("2027-09-01", sub, 499900)).rejects.toMatchObject({
        code: "23514",
      });
      const [inv] = await cancellation("2027-09-01", sub);
      // once per cancelled subscription, and once per period
      await expect(cancellation("2027-10-01", sub)).rejects.toMatchObject({ code: "23505" });
      await expect(cancellation("2027-09-01", `${sub}2`)).rejects.toMatchObject({
        code: "23505",
      });
      // a cycle invoice may start where the cancelled cycle started (its own invoice)
      await asSuperuser(
        `insert into public.invoices
           (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
            overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor)
         values ($1, '2027-09-01', '2027-10-01', 'starter', 'USD', 50, 0, 0, 5900, 0, 5900, 0, 0, 5900)`,
        [world.orgB.id],
      );
      const set = (sql: string) =>
        asSuperuser(`update public.invoices set ${sql} where id = $1`, [inv!.id]);
      // nothing rides on a later charge
      await expect(
        set(`razorpay_addon_id = 'ao_${tag()}c', razorpay_addon_minor = 100`),
      ).rejects.toMatchObject({ code: "23514" });
      // paid only by its link
      await expect(
        set("addon_collected_payment_id = 'pay_C1', addon_collected_at = now()"),
      ).rejects.toMatchObject({ code: "23514" });
      await set(
        `addon_payment_link_id = 'plink_${tag()}c', addon_payment_link_url = 'https://rzp.io/i/c'`,
      );
      await set(
        "addon_collected_payment_id = 'pay_C1', addon_collected_at = now(), status = 'paid', paid_at = now()",
      );
      // credits above the overage are refunded on the cycle's payment: no base bounds the refund
      const [credited] = await cancellation("2027-11-01", `${sub}3`);
      await asSuperuser(
        `update public.invoices set razorpay_payment_id = 'pay_C2', razorpay_refund_id = 'rfnd_${tag()}c',
           razorpay_refund_minor = 28084, razorpay_refund_status = 'pending',
           razorpay_refund_status_at = now(), razorpay_refund_attempt = 1
         where id = $1`,
        [credited!.id],
      );
    });

    it("holds one invoice per workspace and period", async () => {
      await expect(
        asSuperuser(
          `insert into public.invoices
             (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
              overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor)
           values ($1, '2026-11-01', '2026-12-01', 'starter', 'USD', 50, 0, 0, 5900, 0, 5900, 0, 0, 5900)`,
          [world.orgA.id],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });
  });
});
