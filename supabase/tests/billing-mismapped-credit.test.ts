import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditFor } from "@/lib/billing/credits";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { buildPipelineWorld, type PipelineWorld, SHA } from "./helpers/pipeline-fixtures";

/**
 * A member marking a Mapped Bug's top location mismapped records its credit where the flag is
 * stamped (migration …210200): within 7 days of billed_at and at most once, withdrawn when the
 * flag is cleared before the credit reaches an invoice; agreeing with lib/billing/credits.ts.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("credit");
});
afterAll(closeDb);

/** A bug in workspace A billed `billedAgo` ago (or in review), with locations ranked 1 and 2. */
async function bugWithLocations(
  billedAgo: string | null,
): Promise<{ bugId: string; top: string; second: string }> {
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status, billed_at)
     values ($1, 'Refund rounds down', 'medium', 0.9, $2, now() - $3::interval) returning id`,
    [world.orgA.id, billedAgo === null ? "review" : "mapped", billedAgo],
  );
  if (!bug) throw new Error("bug not created");
  const locations = await asSuperuser<{ id: string; rank: number }>(
    `insert into public.bug_locations
       (organization_id, bug_id, repository_full_name, commit_sha, path, start_line, end_line,
        confidence, rank)
     values ($1, $2, 'acme/shop', $3, 'src/refund.ts', 1, 9, 0.8, 1),
            ($1, $2, 'acme/shop', $3, 'src/money.ts', 4, 8, 0.5, 2)
     returning id, rank`,
    [world.orgA.id, bug.id, SHA],
  );
  const id = (rank: number) => locations.find((l) => l.rank === rank)?.id ?? "";
  return { bugId: bug.id, top: id(1), second: id(2) };
}

async function flag(locationId: string, reason: string | null): Promise<void> {
  const out = await as(
    world.users.member,
    "update public.bug_locations set mismapped = $2, mismapped_reason = $3 where id = $1",
    [locationId, reason !== null, reason],
  );
  if (!out.ok || out.rowCount !== 1) throw new Error(`flag failed: ${JSON.stringify(out)}`);
}

async function credits(bugId: string) {
  return asSuperuser<{ reason: string; flagged_by: string | null; invoice_id: string | null }>(
    "select reason, flagged_by, invoice_id from public.bug_credits where bug_id = $1",
    [bugId],
  );
}

/** The database credited the bug exactly when creditFor says a fresh flag now earns one. */
async function expectAgreement(bugId: string): Promise<void> {
  const [bug] = await asSuperuser<{ billed_at: Date | null }>(
    "select billed_at from public.bugs where id = $1",
    [bugId],
  );
  const decision = creditFor({
    billedAt: bug?.billed_at ?? null,
    flaggedAt: new Date(),
    alreadyCredited: false,
  });
  expect((await credits(bugId)).length).toBe(decision.credit ? 1 : 0);
}

describe("billing: a mismapped flag earns its credit", () => {
  it("credits a flag on the top location within 7 days, with the reason and who flagged", async () => {
    const bug = await bugWithLocations("6 days");
    await flag(bug.top, "The bug is in money.ts rounding");
    expect(await credits(bug.bugId)).toEqual([
      {
        reason: "The bug is in money.ts rounding",
        flagged_by: world.users.member.id,
        invoice_id: null,
      },
    ]);
    await expectAgreement(bug.bugId);
  });

  it("keeps a late flag but gives no credit", async () => {
    const bug = await bugWithLocations("7 days 5 minutes");
    await flag(bug.top, "Wrong file");
    expect(await credits(bug.bugId)).toEqual([]);
    await expectAgreement(bug.bugId);
    const [location] = await asSuperuser<{ mismapped: boolean }>(
      "select mismapped from public.bug_locations where id = $1",
      [bug.top],
    );
    expect(location?.mismapped).toBe(true);
  });

  it("gives nothing for a bug that was never billed, or for a lower-ranked location", async () => {
    const inReview = await bugWithLocations(null);
    await flag(inReview.top, "Wrong file");
    expect(await credits(inReview.bugId)).toEqual([]);
    await expectAgreement(inReview.bugId);
    const billed = await bugWithLocations("1 hour");
    await flag(billed.second, "Not this one either");
    expect(await credits(billed.bugId)).toEqual([]);
  });

  it("earns at most one credit: clearing withdraws it, flagging again restores the one", async () => {
    const bug = await bugWithLocations("1 day");
    await flag(bug.top, "Wrong function");
    await flag(bug.top, null);
    expect(await credits(bug.bugId)).toEqual([]);
    await flag(bug.top, "Wrong function after all");
    await flag(bug.top, "Still wrong, new words");
    expect((await credits(bug.bugId)).map((c) => c.reason)).toEqual(["Wrong function after all"]);
  });

  it("keeps a credit already on an invoice when the flag is cleared", async () => {
    const bug = await bugWithLocations("2 days");
    await flag(bug.top, "Wrong file");
    const [invoice] = await asSuperuser<{ id: string }>(
      `insert into public.invoices
         (organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
          overage_bugs, base_minor, overage_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor)
       values ($1, '2026-10-01', '2026-11-01', 'starter', 'USD', 50, 1, 0, 5900, 0, 5900, 0, 0, 5900)
       returning id`,
      [world.orgA.id],
    );
    await asSuperuser("update public.bug_credits set invoice_id = $2 where bug_id = $1", [
      bug.bugId,
      invoice?.id,
    ]);
    await flag(bug.top, null);
    await flag(bug.top, "Wrong file again");
    expect((await credits(bug.bugId)).map((c) => c.invoice_id)).toEqual([invoice?.id]);
  });
});
