import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admitBug, releaseHeld } from "@/lib/billing/cap";
import { asOk, asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";

/**
 * Held over allowance (migration …280100): with the cap equal to the allowance, a bug that would
 * be billed past it becomes `held` (no billed_at), never lost; raising the cap or starting a
 * period releases held bugs oldest first, each billed once. The database agrees with
 * lib/billing/cap.ts (admitBug, releaseHeld) on every reading.
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("held");
});
afterAll(closeDb);

async function map(organizationId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  // one at a time, like the pipeline: each is judged with the ones before it billed
  for (let i = 0; i < n; i++) {
    const [row] = await asSuperuser<{ id: string }>(
      `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
       values ($1, 'Bug', 'low', 0.9, 'review') returning id`,
      [organizationId],
    );
    await asSuperuser("update public.bugs set status = 'mapped' where id = $1", [row?.id]);
    ids.push(row?.id ?? "");
  }
  return ids;
}

async function statuses(ids: string[]) {
  const rows = await asSuperuser<{ id: string; status: string; billed: boolean }>(
    "select id, status, billed_at is not null as billed from public.bugs where id = any($1)",
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id));
}

async function activate(organizationId: string, cap: number | null) {
  await asSuperuser(
    `update public.subscriptions
        set status = 'active', plan_id = 'starter', currency = 'INR', overage_cap = $2,
            -- now(): the released bugs are billed in this same transaction, at now()
            current_period_start = now(),
            current_period_end = now() + interval '30 days'
      where organization_id = $1`,
    [organizationId, cap],
  );
}

describe("billing: held over allowance", () => {
  it("holds trial bugs past the 10-bug limit, as admitBug says, and bills none of them", async () => {
    const org = world.orgA.id;
    const ids = await map(org, 12);
    const got = await statuses(ids);
    const want = ids.map((_, i) => admitBug(i, 10, 10));
    expect(got.map((r) => (r?.status === "held" ? "held" : "billed"))).toEqual(
      want.map((a) => (a === "held" ? "held" : "billed")),
    );
    expect(got.slice(10).every((r) => r?.status === "held" && !r.billed)).toBe(true);
  });

  it("turns a client's or a job's 'held' into the meter's decision", async () => {
    const [row] = await asSuperuser<{ status: string; billed: boolean }>(
      `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
       values ($1, 'Bug', 'low', 0.9, 'held') returning status, billed_at is not null as billed`,
      [world.orgB.id],
    );
    expect(row).toEqual({ status: "mapped", billed: true });
  });

  it("releases held bugs oldest first when a period starts, each billed once", async () => {
    const org = world.orgA.id;
    const held = await asSuperuser<{ id: string; held_at: Date }>(
      "select id, held_at from public.bugs where organization_id = $1 and status = 'held' order by held_at, id",
      [org],
    );
    expect(held).toHaveLength(2);
    await activate(org, null);
    const got = await statuses(held.map((h) => h.id));
    expect(got.every((r) => r?.status === "mapped" && r.billed)).toBe(true);
    const plan = releaseHeld(
      held.map((h) => ({ bugId: h.id, heldAt: h.held_at })),
      0,
      50,
      50,
    );
    expect(plan.release.map((r) => r.bugId)).toEqual(held.map((h) => h.id));
  });

  it("holds at the paid cap, releases exactly the room a raised cap makes, never twice", async () => {
    const org = world.orgA.id;
    // 2 released above are in this period; 48 more reach the starter allowance of 50
    const more = await map(org, 50);
    const got = await statuses(more);
    expect(got.filter((r) => r?.status === "held")).toHaveLength(2);
    const heldIds = more.slice(48);
    const billedBefore = await asSuperuser<{ n: string }>(
      "select count(*) as n from public.bugs where organization_id = $1 and billed_at is not null",
      [org],
    );
    // the owner raises the cap by one: the older held bug is released, the newer waits
    await asOk(
      world.users.owner,
      "update public.subscriptions set overage_cap = 51 where organization_id = $1",
      [org],
    );
    expect((await statuses(heldIds)).map((r) => r?.status)).toEqual(["mapped", "held"]);
    // a retried release (the job) bills nothing more
    const [again] = await asSuperuser<{ n: number }>("select public.release_held_bugs($1) as n", [
      org,
    ]);
    expect(again?.n).toBe(0);
    const billedAfter = await asSuperuser<{ n: string }>(
      "select count(*) as n from public.bugs where organization_id = $1 and billed_at is not null",
      [org],
    );
    expect(Number(billedAfter[0]?.n) - Number(billedBefore[0]?.n)).toBe(1);
  });

  it("holds everything for a cancelled subscription and keeps the bug", async () => {
    await asSuperuser(
      "update public.subscriptions set status = 'cancelled', cancelled_at = now() where organization_id = $1",
      [world.orgB.id],
    );
    const [id] = await map(world.orgB.id, 1);
    expect(await statuses([id ?? ""])).toEqual([{ id, status: "held", billed: false }]);
  });

  it("lets no client release a bug or call the release", async () => {
    const outcome = await asSuperuser<{ ok: boolean }>(
      "select has_function_privilege('authenticated', 'public.release_held_bugs(uuid)', 'execute') as ok",
    );
    expect(outcome[0]?.ok).toBe(false);
  });
});
