import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_GATES, gateSettingsSchema } from "@/lib/pipeline/gates/settings";
import {
  PROBABILITY_DECIMALS,
  PROBABILITY_RANGE,
  PROBABILITY_REQUIRED,
  probabilityInput,
} from "@/lib/pipeline/probability-input";

/** The one 0–1 field of the settings forms (pipeline gates, auto-fix threshold). */

const messageOf = (v: unknown) => {
  const r = probabilityInput().safeParse(v);
  return r.success ? r.data : r.error.issues[0]?.message;
};

describe("probabilityInput", () => {
  it("reads a typed number from 0 to 1 with at most two decimals", () => {
    expect(messageOf("0")).toBe(0);
    expect(messageOf("0.07")).toBe(0.07);
    expect(messageOf(" 0.75 ")).toBe(0.75);
    expect(messageOf("1")).toBe(1);
  });

  it("an empty field (or one of spaces, or no field at all) is an error, never 0", () => {
    for (const empty of ["", "   ", undefined]) expect(messageOf(empty)).toBe(PROBABILITY_REQUIRED);
  });

  it("names what is wrong with anything else", () => {
    expect(messageOf("high")).toBe(PROBABILITY_REQUIRED);
    expect(messageOf("1.01")).toBe(PROBABILITY_RANGE);
    expect(messageOf("-0.1")).toBe(PROBABILITY_RANGE);
    expect(messageOf("0.705")).toBe(PROBABILITY_DECIMALS);
  });

  it("accepts every hundredth from 0 to 1 and nothing outside", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (n) => {
        const text = (n / 100).toFixed(2);
        expect(messageOf(text)).toBe(Number(text));
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 1.0001, max: 1e6, noNaN: true }),
          fc.double({ max: -0.0001, min: -1e6, noNaN: true }),
        ),
        (x) => {
          expect(probabilityInput().safeParse(String(x)).success).toBe(false);
        },
      ),
    );
  });

  it("is what the gate form parses", () => {
    expect(
      gateSettingsSchema.parse({
        extraction: String(DEFAULT_GATES.extraction),
        mapping: String(DEFAULT_GATES.mapping),
      }),
    ).toEqual(DEFAULT_GATES);
    const empty = gateSettingsSchema.safeParse({ extraction: "0.7", mapping: "" });
    expect(empty.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["mapping", PROBABILITY_REQUIRED],
    ]);
  });
});
