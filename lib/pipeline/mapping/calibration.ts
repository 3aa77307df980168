import { countOf } from "../code-index/tokenize";
import params from "./calibration-params.json";
import { FILE_FEATURES, type FileFeature } from "./model";
import type { QuerySignals } from "./signals";
import type { ConfidenceFeatures } from "./types";
import type { Workspace } from "./workspace";

/**
 * Confidence that the top file is right: a logistic (Platt) model over three features of the
 * ranking that do not depend on the repository or language (score margin, structural evidence,
 * query coverage). Its coefficients are fitted by `npm run eval:mapping -- --fit-calibration`
 * over a whole labelled set, pooled, and written to `calibration-params.json`; the evaluation
 * reports calibration out of sample (leave-one-repository-out), see docs/code-map.md.
 */
export interface CalibrationParams {
  intercept: number;
  margin: number;
  evidence: number;
  coverage: number;
}

export const CALIBRATION: CalibrationParams = params;

const STRUCTURAL: FileFeature[] = ["path", "stack_frame", "symbol", "basename"];

/** Features of a ranking for the confidence model. */
export function confidenceFeatures(
  ws: Workspace,
  signals: QuerySignals,
  ranked: readonly { id: number; score: number; x: readonly number[] }[],
): ConfidenceFeatures {
  const first = ranked[0];
  if (!first) return { margin: 0, evidence: 0, coverage: 0 };
  const second = ranked[1]?.score ?? 0;
  const margin = first.score > 0 ? (first.score - second) / first.score : 0;
  const structural = STRUCTURAL.reduce((a, f) => a + (first.x[FILE_FEATURES.indexOf(f)] ?? 0), 0);
  const evidence = Math.min(1, structural / 1.5);
  const file = ws.files[first.id];
  let total = 0;
  let found = 0;
  for (const [term, w] of signals.terms) {
    if (term.includes("_") || !ws.fileCollection.df.has(term)) continue;
    const idf = ws.fileCollection.idf(term);
    total += w * idf;
    const f = file?.fields;
    if (
      f &&
      (["id", "name", "path", "str", "doc", "sig"] as const).some((k) => countOf(f[k], term) > 0)
    ) {
      found += w * idf;
    }
  }
  return { margin, evidence, coverage: total > 0 ? found / total : 0 };
}

/** Probability under given parameters. */
export function logistic(p: CalibrationParams, f: ConfidenceFeatures): number {
  const z = p.intercept + p.margin * f.margin + p.evidence * f.evidence + p.coverage * f.coverage;
  return 1 / (1 + Math.exp(-z));
}

export function confidenceOf(
  ws: Workspace,
  signals: QuerySignals,
  ranked: readonly { id: number; score: number; x: readonly number[] }[],
): { top: number; features: ConfidenceFeatures } {
  const features = confidenceFeatures(ws, signals, ranked);
  return { top: ranked.length === 0 ? 0 : logistic(CALIBRATION, features), features };
}

/**
 * Fit the logistic model by Newton's method (IRLS) with a small ridge penalty, deterministic.
 * `labels[i]` is 1 when the top file of example i was right.
 */
export function fitCalibration(
  features: readonly ConfidenceFeatures[],
  labels: readonly number[],
  ridge = 0.1,
): CalibrationParams {
  const rows = features.map((f) => [1, f.margin, f.evidence, f.coverage]);
  let w = [0, 0, 0, 0];
  for (let iter = 0; iter < 50; iter++) {
    const grad = [0, 0, 0, 0];
    const hess = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    rows.forEach((x, i) => {
      const z = x.reduce((a, xi, j) => a + xi * (w[j] as number), 0);
      const p = 1 / (1 + Math.exp(-z));
      const y = labels[i] as number;
      for (let j = 0; j < 4; j++) {
        grad[j] = (grad[j] as number) + (x[j] as number) * (p - y);
        for (let k = 0; k < 4; k++)
          (hess[j] as number[])[k] =
            ((hess[j] as number[])[k] as number) +
            (x[j] as number) * (x[k] as number) * p * (1 - p);
      }
    });
    for (let j = 1; j < 4; j++) {
      grad[j] = (grad[j] as number) + ridge * (w[j] as number);
      (hess[j] as number[])[j] = ((hess[j] as number[])[j] as number) + ridge;
    }
    const step = solve(hess, grad);
    w = w.map((v, j) => v - (step[j] as number));
    if (step.every((s) => Math.abs(s) < 1e-9)) break;
  }
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return {
    intercept: r(w[0] as number),
    margin: r(w[1] as number),
    evidence: r(w[2] as number),
    coverage: r(w[3] as number),
  };
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number))
        pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const p = (m[c] as number[])[c] as number;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = ((m[r] as number[])[c] as number) / p;
      for (let k = c; k <= n; k++)
        (m[r] as number[])[k] =
          ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / ((row[i] as number) || 1));
}
