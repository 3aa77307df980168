import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRIAL_DEFAULTS } from "@/lib/billing/trial";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.subscriptions: owners and admins read the workspace's subscription
 * (billing.read); only the owner sets the overage cap (billing.manage); plan, status, periods
 * and Razorpay ids are money state, written by the service role only. Every new workspace gets a
 * trial row by trigger.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("subs");
});
afterAll(closeDb);
const w = () => world;

describe("rls: subscriptions", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's subscription",
      (x) => ({
        text: "select status, trial_ends_at from public.subscriptions where organization_id = $1",
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
      "create a subscription for workspace A",
      (x) => ({
        text: "insert into public.subscriptions (organization_id, status) values ($1, 'active')",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "raise workspace A's overage cap",
      (x) => ({
        text: "update public.subscriptions set overage_cap = 120 where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:0",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "activate workspace A's subscription (money state)",
      (x) => ({
        text: "update public.subscriptions set status = 'active' where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "stretch workspace A's trial",
      (x) => ({
        text: "update public.subscriptions set trial_ends_at = trial_ends_at + interval '30 days' where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "set a negative cap",
      (x) => ({
        text: "update public.subscriptions set overage_cap = -1 where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "error:23514",
        admin: "ok:0",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's subscription",
      (x) => ({
        text: "delete from public.subscriptions where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("a new workspace starts a 14-day, 10-bug trial with no plan and no card", async () => {
      const [row] = await asSuperuser<{
        status: string;
        plan_id: string | null;
        trial_bug_limit: number;
        days: number;
        razorpay_subscription_id: string | null;
      }>(
        `select s.status, s.plan_id, s.trial_bug_limit, s.razorpay_subscription_id,
                extract(epoch from s.trial_ends_at - s.trial_started_at) / 86400 as days
           from public.subscriptions s where s.organization_id = $1`,
        [world.orgB.id],
      );
      expect(row).toMatchObject({
        status: "trialing",
        plan_id: null,
        trial_bug_limit: TRIAL_DEFAULTS.bugLimit,
        razorpay_subscription_id: null,
      });
      // the column defaults and lib/billing/trial.ts state the same trial
      expect(TRIAL_DEFAULTS).toEqual({ days: 14, bugLimit: 10 });
      expect(Number(row?.days)).toBe(TRIAL_DEFAULTS.days);
    });

    it("a paid status needs a plan and a currency, whoever writes it", async () => {
      await expect(
        asSuperuser(
          "update public.subscriptions set status = 'active' where organization_id = $1",
          [world.orgA.id],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
