import { describe, expect, it } from "vitest";
import { countInPeriod, effectiveCap, meterTerms, usage } from "@/lib/billing/meter";
import { defaultTrialTerms } from "@/lib/billing/trial";

const DAY = 86_400_000;
const period = { start: new Date("2026-12-01T00:00:00Z"), end: new Date("2027-01-01T00:00:00Z") };
const trial = defaultTrialTerms(new Date("2026-11-20T00:00:00Z"));

describe("meter: the period's billed_at Mapped Bugs", () => {
  it("counts billed_at in [start, end)", () => {
    const billed = [
      new Date("2026-11-30T23:59:59.999Z"),
      period.start,
      new Date("2026-12-15T12:00:00Z"),
      new Date("2026-12-31T23:59:59.999Z"),
      period.end,
    ];
    expect(countInPeriod(billed, period)).toBe(3);
  });

  it("judges a trial by its bug limit with no overage", () => {
    const terms = meterTerms(
      { status: "trialing", trial, currentPeriod: null, overageCap: 500 },
      null,
      [],
      new Date("2026-11-21T00:00:00Z"),
    );
    expect(terms).toEqual({
      period: { start: trial.startedAt, end: trial.endsAt },
      allowance: 10,
      cap: 10,
    });
  });

  it("includes nothing once the trial ran out of time with no plan, or after cancelling", () => {
    const late = new Date(trial.endsAt.getTime() + DAY);
    expect(
      meterTerms(
        { status: "trialing", trial, currentPeriod: null, overageCap: null },
        null,
        [],
        late,
      ),
    ).toEqual({ period: null, allowance: 0, cap: 0 });
    expect(
      meterTerms(
        { status: "cancelled", trial, currentPeriod: period, overageCap: 90 },
        50,
        [],
        late,
      ),
    ).toEqual({ period: null, allowance: 0, cap: 0 });
  });

  it("applies the plan's allowance and the cap to active, pending and halted periods", () => {
    for (const status of ["active", "pending", "halted"] as const) {
      expect(
        meterTerms({ status, trial, currentPeriod: period, overageCap: 80 }, 50, [], period.start),
      ).toEqual({ period, allowance: 50, cap: 80 });
    }
  });

  it("never lets the cap fall below the allowance", () => {
    expect(effectiveCap(50, null)).toBe(50);
    expect(effectiveCap(50, 20)).toBe(50);
    expect(effectiveCap(50, 75)).toBe(75);
  });

  it("summarizes usage with overage and a whole percent", () => {
    expect(usage(40, { allowance: 50, cap: 50 })).toEqual({
      used: 40,
      allowance: 50,
      cap: 50,
      overage: 0,
      percent: 80,
    });
    expect(usage(61, { allowance: 50, cap: 75 })).toMatchObject({ overage: 11, percent: 122 });
    expect(usage(0, { allowance: 0, cap: 0 }).percent).toBe(0);
  });
});
