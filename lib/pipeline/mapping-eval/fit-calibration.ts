import type { CalibrationParams } from "../mapping/calibration";
import type { ConfidenceFeatures } from "../mapping/types";

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
