import weights from "./ranker-weights.json";

/**
 * The ranking model: a linear score over named, repository-independent features. The same
 * features and weights serve every repository and language. Weights are fitted by pairwise
 * logistic regression (the right file should outscore each wrong candidate) with a ridge
 * penalty; `npm run eval:mapping -- --fit` refits them on a labelled set, and the evaluation
 * reports accuracy with weights fitted on the other repositories only (docs/code-map.md).
 */
export const FILE_FEATURES = [
  "lexical",
  "lex_path",
  "lex_name",
  "lex_sig",
  "lex_doc",
  "lex_id",
  "lex_str",
  "lex_sbi",
  "best_function",
  "function_sum",
  "lex_title",
  "lex_code",
  "neighbour",
  "message",
  "path",
  "stack_frame",
  "symbol",
  "basename",
  "size",
  "hub",
  "name_cover",
] as const;

export const FUNCTION_FEATURES = [
  "lexical",
  "lex_name",
  "lex_sig",
  "lex_doc",
  "lex_id",
  "lex_str",
  "lex_sbi",
  "lex_title",
  "lex_code",
  "symbol",
  "stack_frame",
  "message",
  "file_score",
  "file_top",
  "within_file",
  "file_chunk",
  "container",
  "size",
  "coverage",
] as const;

export type FileFeature = (typeof FILE_FEATURES)[number];
export type FunctionFeature = (typeof FUNCTION_FEATURES)[number];

export interface RankerWeights {
  file: Record<FileFeature, number>;
  function: Record<FunctionFeature, number>;
}

export const RANKER_WEIGHTS: RankerWeights = weights as RankerWeights;

/**
 * Prior weights, set by hand on general grounds before any fitting: words matter, structural
 * evidence (a path, a stack frame, a defined symbol) matters more, and a function's file
 * matters. Fitting starts here and is pulled back here by the ridge penalty.
 */
export const PRIOR_WEIGHTS: RankerWeights = {
  file: {
    lexical: 1,
    lex_path: 0,
    lex_name: 0,
    lex_sig: 0,
    lex_doc: 0,
    lex_id: 0,
    lex_str: 0,
    lex_sbi: 0,
    best_function: 0.6,
    function_sum: 0,
    lex_title: 0,
    lex_code: 0,
    neighbour: 0,
    message: 1,
    path: 1.2,
    stack_frame: 0.6,
    symbol: 0.8,
    basename: 0.5,
    size: 0,
    hub: 0,
    name_cover: 0,
  },
  function: {
    lexical: 1,
    lex_name: 0,
    lex_sig: 0,
    lex_doc: 0,
    lex_id: 0,
    lex_str: 0,
    lex_sbi: 0,
    lex_title: 0,
    lex_code: 0,
    symbol: 0.9,
    stack_frame: 1.2,
    message: 1,
    file_score: 0.6,
    file_top: 0,
    within_file: 0,
    file_chunk: -0.3,
    container: -0.2,
    size: 0,
    coverage: 0,
  },
};

/** Dot product of a weight map and a feature vector in the given feature order. */
export function linearScore(
  names: readonly string[],
  w: Record<string, number>,
  x: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < names.length; i++) s += (w[names[i] as string] ?? 0) * (x[i] as number);
  return s;
}

/** One ranking problem for fitting: candidate feature vectors and which are right. */
export interface RankingGroup {
  group: string;
  rows: number[][];
  labels: boolean[];
}

/**
 * Fit weights by pairwise logistic regression: for every group, every (right, wrong) pair
 * among the candidates pushes w·(x_right − x_wrong) up. Plain gradient descent from the prior
 * with a fixed step count, so the result is deterministic.
 */
export function fitPairwise(
  groups: readonly RankingGroup[],
  dims: number,
  prior: readonly number[] = [],
  ridge = 0.01,
  steps = 400,
  rate = 0.5,
): number[] {
  // Pair differences in one flat array: the loop below runs steps × pairs × dims times.
  const split = groups
    .map((g) => ({
      right: g.rows.filter((_, i) => g.labels[i]),
      wrong: g.rows.filter((_, i) => !g.labels[i]),
    }))
    .filter((g) => g.right.length > 0 && g.wrong.length > 0);
  const n = split.reduce((sum, g) => sum + g.right.length * g.wrong.length, 0);
  const diffs = new Float64Array(n * dims);
  const pairWeights = new Float64Array(n);
  let k = 0;
  for (const { right, wrong } of split) {
    const share = 1 / (right.length * wrong.length);
    for (const r of right) {
      for (const w of wrong) {
        for (let i = 0; i < dims; i++) diffs[k * dims + i] = (r[i] ?? 0) - (w[i] ?? 0);
        pairWeights[k++] = share;
      }
    }
  }
  const totalWeight = pairWeights.reduce((a, b) => a + b, 0) || 1;
  const p = Array.from({ length: dims }, (_, i) => prior[i] ?? 0);
  const w = Float64Array.from(p);
  const grad = new Float64Array(dims);
  for (let step = 0; step < steps; step++) {
    grad.fill(0);
    for (let k = 0; k < n; k++) {
      const o = k * dims;
      let z = 0;
      for (let i = 0; i < dims; i++) z += (w[i] as number) * (diffs[o + i] as number);
      const g = -(pairWeights[k] as number) / (1 + Math.exp(z));
      for (let i = 0; i < dims; i++) grad[i] = (grad[i] as number) + g * (diffs[o + i] as number);
    }
    // The ridge pulls towards the prior, so a feature the data rarely exercises (stack traces
    // are rare in a small set) keeps its prior weight instead of collapsing to zero.
    for (let i = 0; i < dims; i++)
      w[i] =
        (w[i] as number) -
        rate * ((grad[i] as number) / totalWeight + ridge * ((w[i] as number) - (p[i] as number)));
  }
  return Array.from(w, (v) => Math.round(v * 1e4) / 1e4);
}
