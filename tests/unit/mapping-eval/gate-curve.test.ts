import { describe, expect, it } from "vitest";
import { DEFAULT_GATES } from "@/lib/pipeline/gates/settings";
import { FILE_FEATURES, type FileFeatures, RANKER_WEIGHTS } from "@/lib/pipeline/mapping/features";
import {
  curveProvenance,
  GATE_MIN_ANSWERS,
  GATE_TARGET,
  type GateCurve,
  type GateCurvePoint,
  gateFigures,
  pickDefaultGate,
} from "@/lib/pipeline/mapping/gate-curve";
import { GATE_CURVE } from "@/lib/pipeline/mapping/shipped-gate-curve";
import type { FitGroup } from "@/lib/pipeline/mapping-eval/evaluate";
import {
  CURVE_THRESHOLDS,
  curvePoints,
  heldOutAnswers,
  rankedTop,
} from "@/lib/pipeline/mapping-eval/gate-curve";

const point = (threshold: number, answers: number, right: number, n = 100): GateCurvePoint => ({
  threshold,
  answers,
  right,
  passShare: answers / n,
  rightShare: answers ? right / answers : null,
});

const curve = (points: GateCurvePoint[], n = 100): GateCurve => ({
  date: "2026-12-06",
  n,
  repositories: 13,
  datasets: [
    { name: "mapping-dev.jsonl", n: 60 },
    { name: "mapping-outside.jsonl", n: 40 },
  ],
  method: "test",
  target: GATE_TARGET,
  recommendedGate: null,
  points,
});

describe("gateFigures (reading the curve at any threshold)", () => {
  const c = curve([point(0.6, 50, 40), point(0.65, 40, 34), point(0.7, 30, 27), point(0.95, 4, 4)]);

  it("is exact on a measured threshold", () => {
    const f = gateFigures(c, 0.7);
    expect(f.passShare).toBeCloseTo(0.3, 10);
    expect(f.rightShare).toBeCloseTo(0.9, 10);
    expect(f.measuredAt).toBeNull();
  });

  it("interpolates the counts linearly between two thresholds", () => {
    // halfway from 0.65 (40 answers, 34 right) to 0.70 (30, 27): 35 answers, 30.5 right
    const f = gateFigures(c, 0.675);
    expect(f.answers).toBeCloseTo(35, 10);
    expect(f.passShare).toBeCloseTo(0.35, 10);
    expect(f.rightShare).toBeCloseTo(30.5 / 35, 10);
  });

  it("reads the first point below the curve and the last one above it, saying so", () => {
    expect(gateFigures(c, 0.1).passShare).toBeCloseTo(0.5, 10);
    const beyond = gateFigures(c, 0.99);
    expect(beyond.measuredAt).toBe(0.95);
    expect(beyond.rightShare).toBe(1);
  });

  it("has no share of right answers where nothing passes, and nothing on an empty curve", () => {
    const none = curve([point(0.9, 2, 2), point(0.95, 0, 0)]);
    expect(gateFigures(none, 0.95).rightShare).toBeNull();
    expect(gateFigures(curve([]), 0.7)).toMatchObject({ passShare: 0, rightShare: null });
  });

  it("says what the curve was measured on", () => {
    expect(curveProvenance(c)).toBe(
      "held out: 60 dev + 40 outside reports from 13 repositories, each repository left out",
    );
  });
});

describe("pickDefaultGate", () => {
  it("keeps 0.70 when at least 85% are right there", () => {
    expect(pickDefaultGate([point(0.65, 40, 33), point(0.7, 20, 17), point(0.75, 15, 15)])).toBe(
      0.7,
    );
  });

  it("moves up to the lowest threshold above 0.70 where the target holds", () => {
    expect(
      pickDefaultGate([
        point(0.6, 60, 59),
        point(0.7, 40, 30),
        point(0.75, 30, 25),
        point(0.8, 20, 18),
      ]),
    ).toBe(0.8);
  });

  it("does not count a threshold that keeps fewer than the minimum answers", () => {
    expect(pickDefaultGate([point(0.7, 40, 30), point(0.9, GATE_MIN_ANSWERS - 1, 9)])).toBeNull();
  });
});

describe("the shipped curve and the default mapping gate", () => {
  it("covers 0.00 to 0.95 in 0.05 steps, measured held out on the dev set at least", () => {
    expect(GATE_CURVE.points.map((p) => p.threshold)).toEqual(CURVE_THRESHOLDS);
    expect(GATE_CURVE.n).toBeGreaterThanOrEqual(131);
    expect(GATE_CURVE.datasets.map((d) => d.name)).toContain("mapping-dev.jsonl");
    expect(GATE_CURVE.datasets.reduce((a, d) => a + d.n, 0)).toBe(GATE_CURVE.n);
  });

  it("puts the default mapping gate where at least 85% of held-out answers are right", () => {
    const at = GATE_CURVE.points.find((p) => p.threshold === DEFAULT_GATES.mapping);
    expect(at?.rightShare).toBeGreaterThanOrEqual(GATE_TARGET);
    expect(at?.answers).toBeGreaterThanOrEqual(GATE_MIN_ANSWERS);
    // and it is the rule's pick on the curve: regenerate the curve, then move the default
    expect(DEFAULT_GATES.mapping).toBe(pickDefaultGate(GATE_CURVE.points));
    expect(GATE_CURVE.recommendedGate).toBe(DEFAULT_GATES.mapping);
  });
});

const row = (x: Partial<FileFeatures>): FileFeatures =>
  ({ ...Object.fromEntries(FILE_FEATURES.map((f) => [f, 0])), ...x }) as FileFeatures;

/**
 * A report of two candidate files with the same evidence pattern on whichever is first: when
 * `rightFirst` the right file has it, otherwise the wrong one, so no fit can tell them apart.
 */
const group = (id: string, repo: string, rightFirst: boolean): FitGroup => {
  const strong = row({ lexical: 2, path: 1 });
  const weak = row({ lexical: 0.5 });
  return {
    id,
    repo,
    fileRows: rightFirst ? [weak, strong] : [strong, weak],
    fileIds: [0, 1],
    filePaths: ["wrong.go", "right.go"],
    fileLabels: [false, true],
    fileCoverage: rightFirst ? [0.2, 0.9] : [0.9, 0.2],
    chunkRows: [],
    chunkFiles: [],
    chunkLabels: [],
    chunkStrictLabels: [],
  };
};

describe("held-out answers", () => {
  it("reads the top file's features and label under the given weights", () => {
    const top = rankedTop(group("a", "x/a", true), RANKER_WEIGHTS);
    expect(top.right).toBe(true);
    expect(top.features.coverage).toBe(0.9);
    expect(top.features.evidence).toBeCloseTo(1 / 1.5, 10);
    expect(top.features.margin).toBeGreaterThan(0);
  });

  it("scores every report with fits that never saw its repository", () => {
    const groups = ["x/a", "x/b", "x/c"].flatMap((repo) => [
      group(`${repo}-1`, repo, true),
      group(`${repo}-2`, repo, true),
      group(`${repo}-3`, repo, false),
    ]);
    const answers = heldOutAnswers(groups);
    expect(answers.map((a) => a.id)).toEqual(groups.map((g) => g.id));
    // same features everywhere: each held-out calibration says about the others' 2-in-3 right
    for (const a of answers) expect(a.confidence).toBeCloseTo(2 / 3, 1);
    expect(answers.filter((a) => a.right)).toHaveLength(6);
    const points = curvePoints(answers, [0, 1]);
    expect(points[0]).toMatchObject({ threshold: 0, answers: 9, passShare: 1 });
    expect(points[0]?.rightShare).toBeCloseTo(answers.filter((a) => a.right).length / 9, 10);
    expect(points[1]).toMatchObject({ answers: 0, rightShare: null });
  });
});
