import { describe, expect, it } from "vitest";
import { logistic } from "@/lib/pipeline/mapping/calibration";
import { fitCalibration } from "@/lib/pipeline/mapping-eval/fit-calibration";
import { fitPairwise } from "@/lib/pipeline/mapping-eval/fit-pairwise";
import {
  calibrationTable,
  gateTable,
  type InstanceOutcome,
  leaveOneRepoOut,
  quantile,
  summarise,
} from "@/lib/pipeline/mapping-eval/metrics";

const outcome = (
  fileRank: number,
  functionRank: number,
  repo = "a/b",
  margin = 0.5,
  functionRankWithFiles = functionRank,
): InstanceOutcome => ({
  id: `${repo}-${fileRank}-${functionRank}-${margin}`,
  repo,
  language: "go",
  fileRank,
  functionRank,
  functionRankWithFiles,
  confidence: 0.5,
  features: { margin, evidence: 0, coverage: 0.5 },
});

describe("metrics", () => {
  it("summarises hit rates and MRR", () => {
    const s = summarise([outcome(1, 1), outcome(2, 6), outcome(0, 0), outcome(5, 3)]);
    expect(s).toEqual({
      n: 4,
      file_top1: 0.25,
      file_top5: 0.75,
      file_mrr: (1 + 0.5 + 0 + 0.2) / 4,
      function_top1: 0.25,
      function_top5: 0.5,
      function_top1_with_files: 0.25,
      function_top5_with_files: 0.5,
    });
  });

  it("leads with strict function figures: a whole-file chunk hit counts only in the other pair", () => {
    // Second instance: its only function "hit" is a whole-file chunk at rank 1 (strict: none);
    // third: a file chunk at 2 above the named gold function at 4.
    const s = summarise([
      outcome(1, 1),
      outcome(1, 0, "a/b", 0.5, 1),
      outcome(1, 4, "a/b", 0.5, 2),
    ]);
    expect(s.function_top1).toBeCloseTo(1 / 3);
    expect(s.function_top5).toBeCloseTo(2 / 3);
    expect(s.function_top1_with_files).toBeCloseTo(2 / 3);
    expect(s.function_top5_with_files).toBeCloseTo(1);
  });

  it("buckets confidences and computes gates", () => {
    const conf = [0.05, 0.72, 0.75, 0.95, 1];
    const right = [false, true, false, true, true];
    const table = calibrationTable(conf, right);
    expect(table[0]).toMatchObject({ n: 1, shareRight: 0 });
    expect(table[7]).toMatchObject({ n: 2, shareRight: 0.5 });
    expect(table[9]).toMatchObject({ n: 2, shareRight: 1 });
    expect(gateTable(conf, right, [0.7])[0]).toEqual({ threshold: 0.7, n: 4, shareRight: 0.75 });
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
  });

  it("fits a calibration that rises with the margin, and held-out fits per repository", () => {
    const rows: InstanceOutcome[] = [];
    for (let i = 0; i < 60; i++) {
      const margin = (i % 10) / 10;
      const right = (i * 7) % 10 < margin * 10;
      rows.push(outcome(right ? 1 : 3, 1, i % 2 ? "x/y" : "a/b", margin));
    }
    const p = fitCalibration(
      rows.map((r) => r.features),
      rows.map((r) => (r.fileRank === 1 ? 1 : 0)),
    );
    expect(p.margin).toBeGreaterThan(0);
    expect(logistic(p, { margin: 0.9, evidence: 0, coverage: 0.5 })).toBeGreaterThan(
      logistic(p, { margin: 0.1, evidence: 0, coverage: 0.5 }),
    );
    const held = leaveOneRepoOut(rows);
    expect(held).toHaveLength(60);
    expect(held.every((c) => c > 0 && c < 1)).toBe(true);
  });

  it("pairwise fitting puts weight on the feature that separates right from wrong", () => {
    const groups = Array.from({ length: 20 }, (_, g) => ({
      group: String(g),
      rows: [
        [1, (g % 3) / 3],
        [0, ((g + 1) % 3) / 3],
        [0, ((g + 2) % 3) / 3],
      ],
      labels: [true, false, false],
    }));
    const w = fitPairwise(groups, 2);
    expect(w[0]).toBeGreaterThan(Math.abs(w[1] ?? 0));
  });
});
