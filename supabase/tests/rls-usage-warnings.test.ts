import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.usage_warnings: owners and admins read the 80%/100% warnings (billing.read); the
 * meter job writes them (service role); a warning is raised at most once per period and threshold.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("warn");
});
afterAll(closeDb);
const w = () => world;

const ADMINS_READ = {
  owner: "ok:1",
  admin: "ok:1",
  member: "ok:0",
  viewer: "ok:0",
  outsider: "ok:0",
  anonymous: "error:42501",
} as const;

describe("rls: usage_warnings", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's warnings",
      (x) => ({
        text: "select threshold from public.usage_warnings where organization_id = $1",
        params: [x.orgA.id],
      }),
      ADMINS_READ,
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "raise a 100% warning in workspace A",
      (x) => ({
        text: `insert into public.usage_warnings (organization_id, period_start, threshold, bugs_counted, allowance)
               values ($1, now(), 100, 10, 10)`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "rewrite workspace A's warning",
      (x) => ({
        text: "update public.usage_warnings set bugs_counted = 0 where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's warnings (to be warned again)",
      (x) => ({
        text: "delete from public.usage_warnings where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("raises a threshold at most once per period", async () => {
      await expect(
        asSuperuser(
          `insert into public.usage_warnings (organization_id, period_start, threshold, bugs_counted, allowance)
           select organization_id, trial_started_at, 80, 9, 10 from public.subscriptions
            where organization_id = $1`,
          [world.orgA.id],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("knows no threshold but 80 and 100", async () => {
      await expect(
        asSuperuser(
          `insert into public.usage_warnings (organization_id, period_start, threshold, bugs_counted, allowance)
           values ($1, now(), 50, 5, 10)`,
          [world.orgA.id],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
