import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.invoice_lines: owners and admins read the lines of their invoices (billing.read);
 * written by the billing jobs (service role). Each line is quantity × unit; only a credit is
 * negative; a line cannot point at another workspace's invoice.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("lines");
});
afterAll(closeDb);
const w = () => world;

describe("rls: invoice_lines", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's invoice lines",
      (x) => ({
        text: "select kind, amount_minor from public.invoice_lines where invoice_id = $1",
        params: [x.billingA.invoiceId],
      }),
      {
        owner: "ok:2",
        admin: "ok:2",
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
      "add a credit line to workspace A's invoice",
      (x) => ({
        text: `insert into public.invoice_lines
                 (organization_id, invoice_id, position, kind, description, quantity, unit_minor, amount_minor)
               values ($1, $2, 5, 'credit', 'Goodwill', 1, -499900, -499900)`,
        params: [x.orgA.id, x.billingA.invoiceId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "halve a line of workspace A's invoice",
      (x) => ({
        text: "update public.invoice_lines set unit_minor = 1, amount_minor = 1 where id = $1",
        params: [x.billingA.lineId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a line of workspace A's invoice",
      (x) => ({
        text: "delete from public.invoice_lines where id = $1",
        params: [x.billingA.lineId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    const line = (org: string, kind: string, quantity: number, unit: number, amount: number) =>
      asSuperuser(
        `insert into public.invoice_lines
           (organization_id, invoice_id, position, kind, description, quantity, unit_minor, amount_minor)
         values ($1, $2, 9, $3, 'probe', $4, $5, $6)`,
        [org, world.billingA.invoiceId, kind, quantity, unit, amount],
      );

    it("refuses an amount that is not quantity × unit", async () => {
      await expect(line(world.orgA.id, "overage", 3, 11900, 35000)).rejects.toMatchObject({
        code: "23514",
      });
    });

    it("refuses a positive credit and a negative charge", async () => {
      await expect(line(world.orgA.id, "credit", 1, 11900, 11900)).rejects.toMatchObject({
        code: "23514",
      });
      await expect(line(world.orgA.id, "overage", 1, -11900, -11900)).rejects.toMatchObject({
        code: "23514",
      });
    });

    it("refuses a line on another workspace's invoice", async () => {
      await expect(line(world.orgB.id, "overage", 1, 11900, 11900)).rejects.toMatchObject({
        code: "23503",
      });
    });
  });
});
