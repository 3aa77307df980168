import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.plans, the plan catalog: any signed-in user reads the active plans (prices are
 * public); a retired plan is hidden from clients; nobody but the service role writes.
 */

let world: World;
const retired = `retired_${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  world = await buildWorld("plans");
  await asSuperuser(
    `insert into public.plans (id, name, included_bugs, price_inr_paise, price_usd_cents,
       overage_inr_paise, overage_usd_cents, active)
     values ($1, 'Old plan', 20, 100000, 1200, 5000, 60, false)`,
    [retired],
  );
});
afterAll(async () => {
  await asSuperuser("delete from public.plans where id = $1", [retired]);
  await closeDb();
});
const w = () => world;

describe("rls: plans", () => {
  describe("select", () => {
    matrix(
      w,
      "read the active plans",
      () => ({ text: "select id from public.plans where id in ('starter', 'growth', 'scale')" }),
      {
        owner: "ok:3",
        admin: "ok:3",
        member: "ok:3",
        viewer: "ok:3",
        outsider: "ok:3",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "read a retired plan",
      () => ({ text: "select id from public.plans where id = $1", params: [retired] }),
      {
        owner: "ok:0",
        admin: "ok:0",
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
      "add a free plan",
      () => ({
        text: `insert into public.plans (id, name, included_bugs, price_inr_paise, price_usd_cents,
                 overage_inr_paise, overage_usd_cents)
               values ('free_forever', 'Free', 100000, 0, 0, 0, 0)`,
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "make Scale free",
      () => ({ text: "update public.plans set price_inr_paise = 0 where id = 'scale'" }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete Starter",
      () => ({ text: "delete from public.plans where id = 'starter'" }),
      everyone("error:42501"),
    );
  });

  describe("seed", () => {
    it("holds three plans in integer minor units: INR before 18% GST, USD untaxed", async () => {
      const rows = await asSuperuser<{
        id: string;
        included_bugs: number;
        price_inr_paise: string;
        gst_rate_bp: number;
        price_usd_cents: string;
      }>(
        `select id, included_bugs, price_inr_paise, gst_rate_bp, price_usd_cents
           from public.plans where id in ('starter', 'growth', 'scale') order by sort_order`,
      );
      expect(
        rows.map((r) => [r.id, r.included_bugs, Number(r.price_inr_paise), r.gst_rate_bp]),
      ).toEqual([
        ["starter", 50, 499900, 1800],
        ["growth", 200, 1499900, 1800],
        ["scale", 1000, 4999900, 1800],
      ]);
      expect(rows.map((r) => Number(r.price_usd_cents))).toEqual([5900, 17900, 59900]);
    });
  });
});
