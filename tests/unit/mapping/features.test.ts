import { describe, expect, it } from "vitest";
import {
  emptyFileFeatures,
  emptyFunctionFeatures,
  FILE_FEATURES,
  FUNCTION_FEATURES,
  RANKER_WEIGHTS,
} from "@/lib/pipeline/mapping/features";
import { PRIOR_WEIGHTS } from "@/lib/pipeline/mapping-eval/prior-weights";

describe("named features", () => {
  it("start at zero with exactly the listed names, in the listed order", () => {
    expect(Object.entries(emptyFileFeatures())).toEqual(FILE_FEATURES.map((f) => [f, 0]));
    expect(Object.entries(emptyFunctionFeatures())).toEqual(FUNCTION_FEATURES.map((f) => [f, 0]));
  });

  it("have a shipped and a prior weight each, and nothing else", () => {
    for (const w of [RANKER_WEIGHTS, PRIOR_WEIGHTS]) {
      expect(Object.keys(w.file).sort()).toEqual([...FILE_FEATURES].sort());
      expect(Object.keys(w.function).sort()).toEqual([...FUNCTION_FEATURES].sort());
      for (const v of [...Object.values(w.file), ...Object.values(w.function)])
        expect(Number.isFinite(v)).toBe(true);
    }
  });
});
