import {
  FILE_FEATURES,
  type FileFeatures,
  FUNCTION_FEATURES,
  type FunctionFeatures,
  fileScore,
  functionScore,
  type RankerWeights,
  toVector,
} from "../mapping/features";
import { fillFileFeatures } from "../mapping/ranker";
import type { FitGroup } from "./evaluate";
import { fitPairwise } from "./fit-pairwise";
import { PRIOR_WEIGHTS } from "./prior-weights";

/**
 * Fitting and held-out evaluation of the ranking weights from candidate rows collected by the
 * evaluation. Nothing here knows a repository or language: groups are pooled.
 */

const FILE_PAIRS = 150;
const CHUNK_PAIRS = 300;

function toWeights<T extends string>(names: readonly T[], w: number[]): Record<T, number> {
  return Object.fromEntries(names.map((n, i) => [n, w[i] ?? 0])) as Record<T, number>;
}

/** Function rows of a group with the file features filled from the given file weights. */
function chunkRowsFor(g: FitGroup, weights: RankerWeights): FunctionFeatures[] {
  const scores = g.fileRows.map((x) => fileScore(weights, x));
  const scoreOf = new Map(g.fileIds.map((id, i) => [id, scores[i] as number]));
  let top: { id: number; score: number } | undefined;
  g.fileIds.forEach((id, i) => {
    const s = scores[i] as number;
    if (!top || s > top.score) top = { id, score: s };
  });
  const rows = g.chunkRows.map((r) => ({ ...r }));
  fillFileFeatures(rows, g.chunkFiles, scoreOf, top);
  return rows;
}

/** Rank (1-based, 0 = absent) of the first right row under a scoring. */
function firstRight(scores: number[], labels: boolean[]): number {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  return order.findIndex((o) => labels[o.i]) + 1;
}

/** File and function rank of a group's right answer under given weights. */
export function rankGroup(
  g: FitGroup,
  weights: RankerWeights,
): { fileRank: number; functionRank: number; functionRankWithFiles: number } {
  const fileRank = firstRight(
    g.fileRows.map((x) => fileScore(weights, x)),
    g.fileLabels,
  );
  const rows = chunkRowsFor(g, weights);
  const scores = rows.map((x) => functionScore(weights, x));
  return {
    fileRank,
    functionRank: firstRight(scores, g.chunkStrictLabels),
    functionRankWithFiles: firstRight(scores, g.chunkLabels),
  };
}

/** Fit file weights, then function weights given the fitted file scores. */
/**
 * With `shipping`, a feature the fitting rows never show non-zero was not learned: its weight is 0
 * instead of its prior, so a refit with a rule off (tests, calls: every row 0) does not ship a
 * prior weight that would act, unfitted, the day the rule is switched on. Held-out folds keep the
 * prior (a feature only the left-out repository shows is still given its prior guess there).
 */
function unseenAtZero(
  rows: readonly (readonly number[])[],
  weights: number[],
  shipping: boolean,
): number[] {
  return shipping ? weights.map((w, j) => (rows.some((r) => r[j] !== 0) ? w : 0)) : weights;
}

export function fitWeights(
  groups: readonly FitGroup[],
  { shipping = false }: { shipping?: boolean } = {},
): RankerWeights {
  const fileGroups = groups.map((g) => {
    const keep = g.fileRows.map((_, i) => i).filter((i) => i < FILE_PAIRS || g.fileLabels[i]);
    return {
      group: g.id,
      rows: keep.map((i) => toVector(FILE_FEATURES, g.fileRows[i] as FileFeatures)),
      labels: keep.map((i) => g.fileLabels[i] as boolean),
    };
  });
  const file = toWeights(
    FILE_FEATURES,
    unseenAtZero(
      fileGroups.flatMap((g) => g.rows),
      fitPairwise(
        fileGroups,
        FILE_FEATURES.length,
        FILE_FEATURES.map((f) => PRIOR_WEIGHTS.file[f]),
      ),
      shipping,
    ),
  );
  const partial: RankerWeights = { file, function: toWeights(FUNCTION_FEATURES, []) };
  const chunkGroups = groups.map((g) => {
    const rows = chunkRowsFor(g, partial);
    const keep = rows.map((_, i) => i).filter((i) => i < CHUNK_PAIRS || g.chunkLabels[i]);
    return {
      group: g.id,
      rows: keep.map((i) => toVector(FUNCTION_FEATURES, rows[i] as FunctionFeatures)),
      labels: keep.map((i) => g.chunkLabels[i] as boolean),
    };
  });
  return {
    file,
    function: toWeights(
      FUNCTION_FEATURES,
      unseenAtZero(
        chunkGroups.flatMap((g) => g.rows),
        fitPairwise(
          chunkGroups,
          FUNCTION_FEATURES.length,
          FUNCTION_FEATURES.map((f) => PRIOR_WEIGHTS.function[f]),
        ),
        shipping,
      ),
    ),
  };
}

/**
 * Leave-one-repository-out: for each repository, fit on all the others and rank its
 * instances. Returns ranks in the order of `groups`.
 */
export function heldOutRanks(
  groups: readonly FitGroup[],
): { fileRank: number; functionRank: number; functionRankWithFiles: number }[] {
  const out = groups.map(() => ({ fileRank: 0, functionRank: 0, functionRankWithFiles: 0 }));
  for (const repo of [...new Set(groups.map((g) => g.repo))].sort()) {
    const weights = fitWeights(groups.filter((g) => g.repo !== repo));
    groups.forEach((g, i) => {
      if (g.repo === repo) out[i] = rankGroup(g, weights);
    });
  }
  return out;
}
