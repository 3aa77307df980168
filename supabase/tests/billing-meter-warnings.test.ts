import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WarningThreshold, warningsDue } from "@/lib/billing/warnings";
import { as, asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";
import { buildPipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * The meter raises usage warnings where billed_at is stamped (migration …210100): whoever bills a
 * bug, the workspace's 80% and 100% warnings are recorded once per period, and they agree with
 * lib/billing/warnings.ts on every reading of the meter.
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("meter");
});
afterAll(closeDb);

async function bill(organizationId: string, n: number, status = "mapped"): Promise<string[]> {
  const rows = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
     select $1, 'Bug ' || g, 'low', 0.9, $3 from generate_series(1, $2) g returning id`,
    [organizationId, n, status],
  );
  return rows.map((r) => r.id);
}

async function warnings(organizationId: string): Promise<{ threshold: number; bugs: number }[]> {
  const rows = await asSuperuser<{ threshold: number; bugs_counted: number }>(
    `select threshold, bugs_counted from public.usage_warnings where organization_id = $1
      order by period_start, threshold`,
    [organizationId],
  );
  return rows.map((r) => ({ threshold: r.threshold, bugs: r.bugs_counted }));
}

describe("billing meter: usage warnings at the meter", () => {
  it("raises 80% at the 8th and 100% at the 10th trial bug, each once, as warningsDue says", async () => {
    const org = world.orgA.id;
    const raised: WarningThreshold[] = [];
    for (let used = 1; used <= 12; used++) {
      await bill(org, 1);
      raised.push(...warningsDue(used, 10, raised));
      expect((await warnings(org)).map((w) => w.threshold)).toEqual(raised);
    }
    expect(await warnings(org)).toEqual([
      { threshold: 80, bugs: 8 },
      { threshold: 100, bugs: 10 },
    ]);
  });

  it("meters a bug billed by a reviewer's accept (update), not one left in review", async () => {
    const org = world.orgB.id;
    const inReview = await bill(org, 8, "review");
    expect(await warnings(org)).toEqual([]);
    await asSuperuser("update public.bugs set status = 'mapped' where id = any($1)", [inReview]);
    expect(await warnings(org)).toEqual([{ threshold: 80, bugs: 8 }]);
  });

  it("starts over in a new paid period, judged by the plan's allowance", async () => {
    const org = world.orgA.id;
    await asSuperuser(
      `update public.subscriptions
          set status = 'active', plan_id = 'starter', currency = 'INR',
              current_period_start = clock_timestamp(),
              current_period_end = clock_timestamp() + interval '30 days'
        where organization_id = $1`,
      [org],
    );
    // the trial's 12 bugs belong to the trial: 39 in the new period stay below 80% of 50
    await bill(org, 39);
    expect(await warnings(org)).toHaveLength(2);
    await bill(org, 1);
    expect((await warnings(org)).slice(2)).toEqual([{ threshold: 80, bugs: 40 }]);
  });

  it("raises nothing for a cancelled subscription", async () => {
    const org = world.orgB.id;
    await asSuperuser(
      "update public.subscriptions set status = 'cancelled', cancelled_at = now() where organization_id = $1",
      [org],
    );
    await bill(org, 5);
    expect(await warnings(org)).toEqual([{ threshold: 80, bugs: 8 }]);
  });

  it("meters a member's accept of a review item, though members cannot write warnings", async () => {
    const pipeline = await buildPipelineWorld("meter-accept");
    const org = pipeline.orgA.id;
    await bill(org, 7);
    const accepted = await as(
      pipeline.users.member,
      "update public.review_items set status = 'accepted' where id = $1",
      [pipeline.a.reviewItemId],
    );
    expect(accepted.ok && accepted.rowCount).toBe(1);
    expect(await warnings(org)).toEqual([{ threshold: 80, bugs: 8 }]);
    // and the member still cannot read them (billing.read is owners' and admins')
    const seen = await as(
      pipeline.users.member,
      "select 1 from public.usage_warnings where organization_id = $1",
      [org],
    );
    expect(seen.ok && seen.rowCount).toBe(0);
  });
});
