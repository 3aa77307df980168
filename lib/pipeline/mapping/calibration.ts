import { countOf } from "../code-index/tokenize";
import params from "./calibration-params.json";
import type { FileFeature, FileFeatures } from "./features";
import type { SearchIndex } from "./search-index";
import type { QuerySignals } from "./signals";
import type { ConfidenceFeatures } from "./types";

/**
 * Confidence that the top file is right: a logistic (Platt) model over three features of the
 * ranking that do not depend on the repository or language (score margin, structural evidence,
 * query coverage). Its coefficients are fitted by `npm run eval:mapping -- --fit-calibration`
 * over a whole labelled set, pooled (`lib/pipeline/mapping-eval/fit-calibration.ts`), and written
 * to `calibration-params.json`; the evaluation
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

/** A file of a ranking, best first: its id, score and features. */
export interface RankedFile {
  id: number;
  score: number;
  x: Readonly<FileFeatures>;
}

/** Structural evidence on a file (path, frame, symbol, basename), capped at 1. */
export function evidenceOf(x: Readonly<FileFeatures>): number {
  const structural = STRUCTURAL.reduce((a, f) => a + x[f], 0);
  return Math.min(1, structural / 1.5);
}

/** Share of the query's idf-weighted words that a file contains (0 when the query has none). */
export function coverageOf(index: SearchIndex, signals: QuerySignals, fileId: number): number {
  const file = index.files[fileId];
  let total = 0;
  let found = 0;
  for (const [term, w] of signals.terms) {
    if (term.includes("_") || !index.fileCollection.df.has(term)) continue;
    const idf = index.fileCollection.idf(term);
    total += w * idf;
    const f = file?.fields;
    if (
      f &&
      (["id", "name", "path", "str", "doc", "sig"] as const).some((k) => countOf(f[k], term) > 0)
    ) {
      found += w * idf;
    }
  }
  return total > 0 ? found / total : 0;
}

/** Score margin between the first two files of a ranking, relative to the first. */
export function marginOf(first: number, second: number): number {
  return first > 0 ? (first - second) / first : 0;
}

/** Features of a ranking for the confidence model. */
export function confidenceFeatures(
  index: SearchIndex,
  signals: QuerySignals,
  ranked: readonly RankedFile[],
): ConfidenceFeatures {
  const first = ranked[0];
  if (!first) return { margin: 0, evidence: 0, coverage: 0 };
  return {
    margin: marginOf(first.score, ranked[1]?.score ?? 0),
    evidence: evidenceOf(first.x),
    coverage: coverageOf(index, signals, first.id),
  };
}

/** Probability under given parameters. */
export function logistic(p: CalibrationParams, f: ConfidenceFeatures): number {
  const z = p.intercept + p.margin * f.margin + p.evidence * f.evidence + p.coverage * f.coverage;
  return 1 / (1 + Math.exp(-z));
}

export function confidenceOf(
  index: SearchIndex,
  signals: QuerySignals,
  ranked: readonly RankedFile[],
): { top: number; features: ConfidenceFeatures } {
  const features = confidenceFeatures(index, signals, ranked);
  return { top: ranked.length === 0 ? 0 : logistic(CALIBRATION, features), features };
}
