import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.bug_credits: owners and admins read the credits (billing.read); the service role
 * records them when a Mapped Bug is flagged mismapped. The database holds the rules whoever
 * writes: only a billed bug earns a credit, within 7 days of its billed_at, at most once.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("credits");
});
afterAll(closeDb);
const w = () => world;

/** A fresh bug in `organizationId`; mapped (billed `billedAgo` ago) unless `billedAgo` is null. */
async function bug(organizationId: string, billedAgo: string | null): Promise<string> {
  const [row] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status, billed_at)
     values ($1, 'Coupon applied twice', 'high', 0.9, $2, now() - $3::interval) returning id`,
    [organizationId, billedAgo === null ? "review" : "mapped", billedAgo],
  );
  if (!row) throw new Error("bug not created");
  return row.id;
}

describe("rls: bug_credits", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's credits",
      (x) => ({
        text: "select bug_id, bug_billed_at from public.bug_credits where organization_id = $1",
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
      "credit workspace A's bug",
      (x) => ({
        text: "insert into public.bug_credits (organization_id, bug_id, reason) values ($1, $2, 'wrong file')",
        params: [x.orgA.id, x.billingA.bugId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "move workspace A's credit to another invoice",
      (x) => ({
        text: "update public.bug_credits set invoice_id = null where id = $1",
        params: [x.billingA.creditId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's credit",
      (x) => ({
        text: "delete from public.bug_credits where id = $1",
        params: [x.billingA.creditId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    const credit = (organizationId: string, bugId: string, at = "now()") =>
      asSuperuser(
        `insert into public.bug_credits (organization_id, bug_id, reason, credited_at)
         values ($1, $2, 'wrong function', ${at}) returning bug_billed_at`,
        [organizationId, bugId],
      );

    it("gives a bug at most one credit", async () => {
      await expect(credit(world.orgA.id, world.billingA.bugId)).rejects.toMatchObject({
        code: "23505",
      });
    });

    it("credits within 7 days of billed_at, taken from the bug itself", async () => {
      const id = await bug(world.orgA.id, "6 days 23 hours");
      const [row] = await credit(world.orgA.id, id);
      const [b] = await asSuperuser<{ billed_at: Date }>(
        "select billed_at from public.bugs where id = $1",
        [id],
      );
      expect((row as { bug_billed_at: Date }).bug_billed_at).toEqual(b?.billed_at);
    });

    it("gives no credit after 7 days", async () => {
      const id = await bug(world.orgA.id, "7 days 1 minute");
      await expect(credit(world.orgA.id, id)).rejects.toMatchObject({ code: "PT422" });
    });

    it("gives no credit to a bug that was never billed", async () => {
      const id = await bug(world.orgA.id, null);
      await expect(credit(world.orgA.id, id)).rejects.toMatchObject({ code: "PT422" });
    });

    it("gives no credit across workspaces", async () => {
      await expect(credit(world.orgB.id, world.billingA.bugId)).rejects.toMatchObject({
        code: "PT422",
      });
    });

    it("lets a credit be applied to an invoice, not moved in time", async () => {
      await asSuperuser("update public.bug_credits set invoice_id = $2 where id = $1", [
        world.billingA.creditId,
        world.billingA.invoiceId,
      ]);
      await expect(
        asSuperuser("update public.bug_credits set credited_at = now() where id = $1", [
          world.billingA.creditId,
        ]),
      ).rejects.toMatchObject({ code: "PT422" });
    });
  });
});
