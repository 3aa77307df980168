import { describe, expect, it } from "vitest";
import { CREDIT_WINDOW_MS, creditFor } from "@/lib/billing/credits";

const billedAt = new Date("2026-12-01T09:00:00Z");
const billedPlus = (ms: number) => new Date(billedAt.getTime() + ms);

describe("mismapped credit: within 7 days of billed_at, at most once", () => {
  it("credits a flag on the day of billing", () => {
    expect(creditFor({ billedAt, flaggedAt: billedPlus(60_000), alreadyCredited: false })).toEqual({
      credit: true,
    });
  });

  it("credits up to exactly 7 days, not a millisecond later", () => {
    expect(CREDIT_WINDOW_MS).toBe(7 * 24 * 3600 * 1000);
    expect(
      creditFor({ billedAt, flaggedAt: billedPlus(CREDIT_WINDOW_MS), alreadyCredited: false })
        .credit,
    ).toBe(true);
    expect(
      creditFor({ billedAt, flaggedAt: billedPlus(CREDIT_WINDOW_MS + 1), alreadyCredited: false }),
    ).toEqual({ credit: false, reason: "window_passed" });
  });

  it("credits a bug at most once", () => {
    expect(creditFor({ billedAt, flaggedAt: billedPlus(1000), alreadyCredited: true })).toEqual({
      credit: false,
      reason: "already_credited",
    });
  });

  it("gives no credit for a bug that was never billed", () => {
    expect(creditFor({ billedAt: null, flaggedAt: billedPlus(0), alreadyCredited: false })).toEqual(
      {
        credit: false,
        reason: "not_billed",
      },
    );
  });
});
