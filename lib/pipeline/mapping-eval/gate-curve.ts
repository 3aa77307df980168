import { evidenceOf, logistic, marginOf } from "../mapping/calibration";
import { fileScore, type RankerWeights } from "../mapping/features";
import {
  GATE_TARGET,
  type GateCurve,
  type GateCurvePoint,
  pickDefaultGate,
} from "../mapping/gate-curve";
import type { ConfidenceFeatures } from "../mapping/types";
import type { FitGroup } from "./evaluate";
import { fitWeights } from "./fit";
import { fitCalibration } from "./fit-calibration";

/**
 * The held-out gate curve: how the mapping gate would behave on repositories the engine has
 * never seen. For each repository in turn, the ranking weights and then the calibration are
 * fitted on every other repository (the calibration on those repositories' rankings under the
 * same held-out weights, as the shipped parameters are fitted on the shipped ranking), and the
 * left-out repository's reports are ranked and given a confidence. Over all reports, for each
 * threshold: how many answers reach it, and how many of those have the right top file.
 */

/** Thresholds of the curve: 0.00 (every answer) and 0.05 … 0.95. */
export const CURVE_THRESHOLDS = Array.from({ length: 20 }, (_, i) => Math.round(i * 5) / 100);

export interface HeldOutAnswer {
  id: string;
  repo: string;
  confidence: number;
  right: boolean;
}

/** Confidence features and whether the top file is right, for a group ranked under `weights`. */
export function rankedTop(
  g: FitGroup,
  weights: RankerWeights,
): { features: ConfidenceFeatures; right: boolean } {
  const scores = g.fileRows.map((x) => fileScore(weights, x));
  // same order as the runtime's and `rankGroup`'s: by score, then by stored order
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  const first = order[0];
  if (!first) return { features: { margin: 0, evidence: 0, coverage: 0 }, right: false };
  const second = order[1]?.s ?? 0;
  return {
    features: {
      margin: marginOf(first.s, second),
      evidence: evidenceOf(g.fileRows[first.i] as FitGroup["fileRows"][number]),
      coverage: g.fileCoverage[first.i] ?? 0,
    },
    right: g.fileLabels[first.i] === true,
  };
}

/** Every report's held-out confidence and outcome, in the order of `groups`. */
export function heldOutAnswers(groups: readonly FitGroup[]): HeldOutAnswer[] {
  const out: HeldOutAnswer[] = groups.map((g) => ({
    id: g.id,
    repo: g.repo,
    confidence: 0,
    right: false,
  }));
  for (const repo of [...new Set(groups.map((g) => g.repo))].sort()) {
    const train = groups.filter((g) => g.repo !== repo);
    if (train.length === 0) continue;
    const weights = fitWeights(train);
    const fitted = train.map((g) => rankedTop(g, weights));
    const params = fitCalibration(
      fitted.map((f) => f.features),
      fitted.map((f) => (f.right ? 1 : 0)),
    );
    groups.forEach((g, i) => {
      if (g.repo !== repo) return;
      const top = rankedTop(g, weights);
      out[i] = { id: g.id, repo, confidence: logistic(params, top.features), right: top.right };
    });
  }
  return out;
}

/** Answers and right answers at or above each threshold. */
export function curvePoints(
  answers: readonly HeldOutAnswer[],
  thresholds: readonly number[] = CURVE_THRESHOLDS,
): GateCurvePoint[] {
  const n = answers.length;
  return thresholds.map((t) => {
    const passing = answers.filter((a) => a.confidence >= t);
    const right = passing.filter((a) => a.right).length;
    return {
      threshold: t,
      answers: passing.length,
      right,
      passShare: n === 0 ? 0 : passing.length / n,
      rightShare: passing.length === 0 ? null : right / passing.length,
    };
  });
}

/** The curve document that `--gate-curve` writes and the product ships. */
export function gateCurve(
  groups: readonly FitGroup[],
  datasets: { name: string; n: number }[],
  date: string,
): GateCurve {
  const answers = heldOutAnswers(groups);
  const points = curvePoints(answers);
  return {
    date,
    n: answers.length,
    repositories: new Set(groups.map((g) => g.repo)).size,
    datasets,
    method:
      "each repository left out in turn: ranking weights and calibration fitted on the others, its reports ranked and scored",
    target: GATE_TARGET,
    recommendedGate: pickDefaultGate(points),
    points,
  };
}
