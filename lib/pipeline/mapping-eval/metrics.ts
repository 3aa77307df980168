import { logistic } from "../mapping/calibration";
import type { ConfidenceFeatures } from "../mapping/types";
import { fitCalibration } from "./fit-calibration";

/** Figures of one evaluated instance, as the evaluation aggregates them. */
export interface InstanceOutcome {
  id: string;
  repo: string;
  language: string;
  /** 1-based rank of the first gold file; 0 when absent from the ranking. */
  fileRank: number;
  /**
   * 1-based rank of the first gold function that is a named function (or method, class, type):
   * a whole-file chunk never counts here, even when a gold line sits at the file's top level.
   * 0 when absent. This is the function figure the report leads with.
   */
  functionRank: number;
  /**
   * The same, counting a whole-file chunk as a hit when a gold line is at its top level (the
   * figure reported before strict counting; it flatters function top-5).
   */
  functionRankWithFiles: number;
  confidence: number;
  features: ConfidenceFeatures;
}

export interface Summary {
  n: number;
  file_top1: number;
  file_top5: number;
  file_mrr: number;
  /** Strict: only named functions count (see `InstanceOutcome.functionRank`). */
  function_top1: number;
  function_top5: number;
  /** Whole-file chunks counted as function hits too. */
  function_top1_with_files: number;
  function_top5_with_files: number;
}

/** Hit rates and MRR of a group of outcomes. */
export function summarise(outcomes: readonly InstanceOutcome[]): Summary {
  const n = outcomes.length;
  const share = (pred: (o: InstanceOutcome) => boolean): number =>
    n === 0 ? 0 : outcomes.filter(pred).length / n;
  return {
    n,
    file_top1: share((o) => o.fileRank === 1),
    file_top5: share((o) => o.fileRank >= 1 && o.fileRank <= 5),
    file_mrr:
      n === 0 ? 0 : outcomes.reduce((a, o) => a + (o.fileRank > 0 ? 1 / o.fileRank : 0), 0) / n,
    function_top1: share((o) => o.functionRank === 1),
    function_top5: share((o) => o.functionRank >= 1 && o.functionRank <= 5),
    function_top1_with_files: share((o) => o.functionRankWithFiles === 1),
    function_top5_with_files: share(
      (o) => o.functionRankWithFiles >= 1 && o.functionRankWithFiles <= 5,
    ),
  };
}

export interface CalibrationRow {
  bucket: string;
  n: number;
  meanConfidence: number;
  shareRight: number;
}

export interface GateRow {
  threshold: number;
  n: number;
  shareRight: number;
}

/** Confidence buckets of width 0.1 → share whose top file is right. */
export function calibrationTable(
  confidences: readonly number[],
  right: readonly boolean[],
): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  for (let b = 0; b < 10; b++) {
    const lo = b / 10;
    const hi = (b + 1) / 10;
    const idx = confidences.flatMap((c, i) =>
      c >= lo && (c < hi || (b === 9 && c <= 1)) ? [i] : [],
    );
    rows.push({
      bucket: `${lo.toFixed(1)}–${hi.toFixed(1)}`,
      n: idx.length,
      meanConfidence: idx.length
        ? idx.reduce((a, i) => a + (confidences[i] as number), 0) / idx.length
        : 0,
      shareRight: idx.length ? idx.filter((i) => right[i]).length / idx.length : 0,
    });
  }
  return rows;
}

/** Among answers at or above each threshold, the share whose top file is right. */
export function gateTable(
  confidences: readonly number[],
  right: readonly boolean[],
  thresholds = [0.5, 0.6, 0.7, 0.8, 0.9],
): GateRow[] {
  return thresholds.map((t) => {
    const idx = confidences.flatMap((c, i) => (c >= t ? [i] : []));
    return {
      threshold: t,
      n: idx.length,
      shareRight: idx.length ? idx.filter((i) => right[i]).length / idx.length : 0,
    };
  });
}

/**
 * Out-of-sample confidences: for each repository, fit the calibration on every other
 * repository's instances and predict this one's. This is the honest view of how the model
 * will do on repositories it has not seen.
 */
export function leaveOneRepoOut(outcomes: readonly InstanceOutcome[]): number[] {
  const repos = [...new Set(outcomes.map((o) => o.repo))];
  const out = new Array<number>(outcomes.length).fill(0);
  for (const repo of repos) {
    const train = outcomes.filter((o) => o.repo !== repo);
    if (train.length === 0) continue;
    const params = fitCalibration(
      train.map((o) => o.features),
      train.map((o) => (o.fileRank === 1 ? 1 : 0)),
    );
    outcomes.forEach((o, i) => {
      if (o.repo === repo) out[i] = logistic(params, o.features);
    });
  }
  return out;
}

/** Brier score: mean squared error of the confidences. */
export function brier(confidences: readonly number[], right: readonly boolean[]): number {
  if (confidences.length === 0) return 0;
  return confidences.reduce((a, c, i) => a + (c - (right[i] ? 1 : 0)) ** 2, 0) / confidences.length;
}

/** The value at quantile q of a list of numbers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}
