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
