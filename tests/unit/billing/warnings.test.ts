import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type WarningThreshold, warningsDue } from "@/lib/billing/warnings";

describe("usage warnings at 80% and 100%, once per period", () => {
  it("raises nothing below 80%", () => {
    expect(warningsDue(39, 50, [])).toEqual([]);
  });

  it("raises 80% exactly at 80% (integer arithmetic, no rounding)", () => {
    expect(warningsDue(40, 50, [])).toEqual([80]);
    expect(warningsDue(7, 9, [])).toEqual([]); // 77.7%
    expect(warningsDue(8, 10, [])).toEqual([80]);
  });

  it("raises 100% at the allowance, and not 80% again", () => {
    expect(warningsDue(50, 50, [80])).toEqual([100]);
  });

  it("raises both, lowest first, when one sync jumps past 100%", () => {
    expect(warningsDue(55, 50, [])).toEqual([80, 100]);
  });

  it("raises nothing twice in a period", () => {
    expect(warningsDue(60, 50, [80, 100])).toEqual([]);
  });

  it("raises nothing without an allowance", () => {
    expect(warningsDue(3, 0, [])).toEqual([]);
  });

  it("over a period's growing meter, raises each threshold exactly once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 200 }),
        (allowance, steps) => {
          const raised: WarningThreshold[] = [];
          let used = 0;
          for (const step of steps) {
            used += step;
            raised.push(...warningsDue(used, allowance, raised));
          }
          const expected = ([80, 100] as const).filter((t) => used * 100 >= allowance * t);
          expect(raised).toEqual(expected);
        },
      ),
    );
  });
});
