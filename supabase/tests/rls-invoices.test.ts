import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.invoices: owners and admins read the workspace's invoices (billing.read); the
 * billing jobs and the Razorpay intake write them (service role). The totals must add up whoever
 * writes: subtotal = base + overage − credits, total = subtotal + tax, no tax on USD.
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
