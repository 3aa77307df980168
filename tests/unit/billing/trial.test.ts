import { describe, expect, it } from "vitest";
import { defaultTrialTerms, TRIAL_DEFAULTS, trialState } from "@/lib/billing/trial";

const DAY = 86_400_000;
const start = new Date("2026-12-01T10:00:00Z");
const terms = defaultTrialTerms(start);
const at = (days: number) => new Date(start.getTime() + days * DAY);
/** `n` bugs billed one hour apart from `fromDay`. */
const bugs = (n: number, fromDay = 0) =>
  Array.from({ length: n }, (_, i) => new Date(at(fromDay).getTime() + i * 3_600_000));

describe("trial: 14 days or 10 Mapped Bugs, whichever ends first", () => {
  it("lasts 14 days with 10 bugs by default", () => {
    expect(TRIAL_DEFAULTS).toEqual({ days: 14, bugLimit: 10 });
    expect(terms.endsAt.toISOString()).toBe("2026-12-15T10:00:00.000Z");
    expect(terms.bugLimit).toBe(10);
  });

  it("is active with bugs left before either limit", () => {
    expect(trialState(terms, bugs(9), at(13.9))).toEqual({
      status: "active",
      bugsUsed: 9,
      bugsLeft: 1,
      endsAt: terms.endsAt,
    });
  });

  it("ends at the 10th bug's billed_at when that comes first", () => {
    const tenth = bugs(10, 2)[9] as Date;
    expect(trialState(terms, bugs(10, 2), at(3))).toEqual({
      status: "ended",
      reason: "bugs",
      endedAt: tenth,
      bugsUsed: 10,
    });
  });

  it("ends at 14 days when fewer than 10 bugs were billed", () => {
    expect(trialState(terms, bugs(4), at(14))).toEqual({
      status: "ended",
      reason: "time",
      endedAt: terms.endsAt,
      bugsUsed: 4,
    });
  });

  it("is still active a millisecond before 14 days", () => {
    expect(trialState(terms, [], new Date(terms.endsAt.getTime() - 1)).status).toBe("active");
  });

  it("ends by bugs, not time, when the 10th bug came before day 14 even if asked later", () => {
    const state = trialState(terms, bugs(12, 1), at(20));
    expect(state).toMatchObject({ status: "ended", reason: "bugs", bugsUsed: 10 });
  });

  it("counts no bug billed before the trial, after its end, or after now", () => {
    const outside = [at(-1), at(14), at(15)];
    expect(trialState(terms, [...outside, at(1)], at(2))).toMatchObject({ bugsUsed: 1 });
    // a bug billed tomorrow is not counted today
    expect(trialState(terms, [at(5)], at(4))).toMatchObject({ bugsUsed: 0 });
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => trialState({ ...terms, bugLimit: 0 }, [], at(1))).toThrow(RangeError);
  });
});
