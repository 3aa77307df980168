import { describe, expect, it } from "vitest";
import {
  FILE_FEATURES,
  type FileFeatures,
  FUNCTION_FEATURES,
  type FunctionFeatures,
} from "@/lib/pipeline/mapping/features";
import type { FitGroup } from "@/lib/pipeline/mapping-eval/evaluate";
import { fitWeights } from "@/lib/pipeline/mapping-eval/fit";
import { PRIOR_WEIGHTS } from "@/lib/pipeline/mapping-eval/prior-weights";

/**
 * A shipped refit gives 0 to what its rows never showed (a rule that was off: tests, calls), so
 * the prior weight does not ship unfitted; a held-out fold keeps the prior (the left-out
 * repository may show the feature).
 */
const fileRow = (x: Partial<FileFeatures>): FileFeatures =>
  ({ ...Object.fromEntries(FILE_FEATURES.map((f) => [f, 0])), ...x }) as FileFeatures;
const chunkRow = (x: Partial<FunctionFeatures>): FunctionFeatures =>
  ({ ...Object.fromEntries(FUNCTION_FEATURES.map((f) => [f, 0])), ...x }) as FunctionFeatures;

const group = (id: string): FitGroup => ({
  id,
  repo: `x/${id}`,
  fileRows: [fileRow({ lexical: 0.5 }), fileRow({ lexical: 2, path: 1 })],
  fileIds: [0, 1],
  filePaths: ["wrong.go", "right.go"],
  fileLabels: [false, true],
  fileCoverage: [0.2, 0.9],
  chunkRows: [chunkRow({ lexical: 0.4 }), chunkRow({ lexical: 1.5, symbol: 1 })],
  chunkFiles: [0, 1],
  chunkLabels: [false, true],
  chunkStrictLabels: [false, true],
});

describe("fitWeights", () => {
  const groups = ["a", "b", "c", "d"].map(group);

  it("ships 0 for features the rows never showed, and fits the ones they did", () => {
    const w = fitWeights(groups, { shipping: true });
    expect(PRIOR_WEIGHTS.file.tests).not.toBe(0);
    expect(w.file.tests).toBe(0);
    expect(w.file.calls).toBe(0);
    expect(w.file.message).toBe(0);
    expect(w.function.tests).toBe(0);
    expect(w.function.calls).toBe(0);
    expect(w.file.lexical).not.toBe(0);
    expect(w.file.path).not.toBe(0);
    expect(w.function.symbol).not.toBe(0);
  });

  it("keeps the prior for unseen features when fitting a held-out fold", () => {
    const w = fitWeights(groups);
    expect(w.file.tests).toBe(PRIOR_WEIGHTS.file.tests);
    expect(w.function.calls).toBe(PRIOR_WEIGHTS.function.calls);
  });
});
