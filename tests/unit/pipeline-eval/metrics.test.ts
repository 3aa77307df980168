import { describe, expect, it } from "vitest";
import type { Gold } from "@/lib/pipeline/pipeline-eval/eval-set";
import { computeMetrics, ratio } from "@/lib/pipeline/pipeline-eval/metrics";
import type { EvalRow, PredictedBug } from "@/lib/pipeline/pipeline-eval/run";

/** Hand-made rows whose every figure is counted by hand below. */

const bugGold = (over: Partial<Extract<Gold, { classification: "bug" }>> = {}): Gold => ({
  classification: "bug",
  severity: "medium",
  file: "src/a.ts",
  function: "f",
  steps: true,
  expected: true,
  actual: true,
  ...over,
});

const predicted = (over: Partial<PredictedBug> = {}): PredictedBug => ({
  severity: "medium",
  fields: { title: true, steps: true, expected: true, actual: true },
  extractionConfidence: 0.8,
  mappingConfidence: 0.8,
  files: ["src/a.ts", "src/b.ts"],
  functions: [
    { path: "src/a.ts", name: "f" },
    { path: "src/b.ts", name: "g" },
  ],
  passedGates: true,
  holds: [],
  ...over,
});

function row(id: string, gold: Gold, bug: PredictedBug | null, label = "bug"): EvalRow {
  return {
    id,
    language: "en",
    gold,
    decision: bug ? "bug" : "skip",
    label: label as EvalRow["label"],
    skipReason: bug ? null : "set aside",
    bug,
    ms: 1,
  };
}

const rows: EvalRow[] = [
  // 1. bug, everything right, passes the gates
  row("b1", bugGold(), predicted()),
  // 2. bug: file at rank 2, function at rank 5 of another file name, severity wrong, no steps found
  row(
    "b2",
    bugGold({ severity: "high" }),
    predicted({
      fields: { title: true, steps: false, expected: true, actual: true },
      files: ["src/x.ts", "src/a.ts"],
      functions: [
        { path: "src/x.ts", name: "f" }, // same name, wrong file: not a hit
        { path: "src/x.ts", name: "h" },
        { path: "src/x.ts", name: "i" },
        { path: "src/x.ts", name: "j" },
        { path: "src/a.ts", name: "f" },
      ],
      passedGates: true,
    }),
  ),
  // 3. bug the noise filter set aside: a miss for mapping, not counted in extraction
  row("b3", bugGold(), null, "billing"),
  // 4. bug held by both gates, gold says no expected but one was found; file not in top 5
  row(
    "b4",
    bugGold({ expected: false }),
    predicted({
      files: ["src/y.ts"],
      functions: [{ path: "src/y.ts", name: null }],
      passedGates: false,
      holds: ["extraction", "mapping"],
    }),
  ),
  // 5-7. non-bugs: billing set aside as billing, how_to set aside as spam, spam passed on and mapped
  row("n1", { classification: "billing" }, null, "billing"),
  row("n2", { classification: "how_to" }, null, "spam"),
  row("n3", { classification: "spam" }, predicted({ passedGates: true }), "bug"),
];

describe("computeMetrics", () => {
  const m = computeMetrics(rows);

  it("counts tickets, bugs and non-bugs", () => {
    expect([m.tickets, m.goldBugs, m.goldNoise]).toEqual([7, 4, 3]);
  });

  it("noise precision over set-asides, recall over non-bugs, class over non-bugs set aside", () => {
    // set aside: b3, n1, n2 → 2 of 3 are non-bugs; non-bugs: n1, n2, n3 → 2 of 3 set aside
    expect(m.noise.precision).toEqual(ratio(2, 3));
    expect(m.noise.recall).toEqual(ratio(2, 3));
    expect(m.noise.labelAccuracy).toEqual(ratio(1, 2));
    expect(m.noise.bugsSetAside).toBe(1);
  });

  it("extraction fields over the gold bugs that reached extraction", () => {
    expect(m.extraction.severityExact).toEqual(ratio(2, 3)); // b1, b4 (b2 wrong)
    expect(m.extraction.title).toEqual(ratio(3, 3));
    expect(m.extraction.steps).toEqual(ratio(2, 3)); // b2 missed its steps
    expect(m.extraction.expected).toEqual(ratio(2, 3)); // b4 found one the gold says is absent
    expect(m.extraction.actual).toEqual(ratio(3, 3));
  });

  it("file and function ranks over every gold bug, a set-aside bug being a miss", () => {
    expect(m.mapping.fileTop1).toEqual(ratio(1, 4)); // b1
    expect(m.mapping.fileTop5).toEqual(ratio(2, 4)); // b1, b2
    expect(m.mapping.functionTop1).toEqual(ratio(1, 4)); // b1
    expect(m.mapping.functionTop5).toEqual(ratio(2, 4)); // b1, b2 (rank 5)
  });

  it("gates: share of bugs passing, and how many of all passing are right", () => {
    expect(m.gates.passedShareOfBugs).toEqual(ratio(2, 4)); // b1, b2
    // passing: b1, b2, n3 → right file at rank 1: b1 only
    expect(m.gates.passedRightFile).toEqual(ratio(1, 3));
    expect(m.gates.passedRightFunction).toEqual(ratio(1, 3));
    expect(m.gates.passedNoise).toBe(1);
    expect([m.gates.heldByExtraction, m.gates.heldByMapping]).toEqual([1, 1]);
  });

  it("gives null rates, not NaN, when there is nothing to divide by", () => {
    const empty = computeMetrics([]);
    expect(empty.noise.precision).toEqual({ hits: 0, n: 0, rate: null });
    expect(empty.mapping.fileTop1.rate).toBeNull();
  });
});
