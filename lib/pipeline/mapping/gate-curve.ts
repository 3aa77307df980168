/**
 * The measured gate curve: for mapping-gate thresholds 0.00 … 0.95, the share of reports whose
 * answer would pass and the share of those whose top file is right, measured with every
 * repository held out (`lib/pipeline/mapping-eval/gate-curve.ts`, written by
 * `npm run eval:mapping -- … --gate-curve lib/pipeline/mapping/gate-curve.json`). Settings shows
 * it beside the mapping gate; the default gate is chosen on it (docs/code-map.md). The shipped
 * curve itself is `GATE_CURVE` (`shipped-gate-curve.ts`); this module reads any curve.
 */

/** Held-out share of right answers the default mapping gate must reach (issue 19). */
export const GATE_TARGET = 0.85;

/**
 * Fewest answers a threshold must keep to count as meeting the target: above it a handful of
 * lucky answers would read as 100%.
 */
export const GATE_MIN_ANSWERS = 10;

/** The threshold the gate starts from; it only moves up when the target fails there. */
export const BASE_MAPPING_GATE = 0.7;

export interface GateCurvePoint {
  threshold: number;
  /** Reports whose answer reaches the threshold. */
  answers: number;
  /** Of those, the ones whose top file is right. */
  right: number;
  /** answers / all reports: the share of bugs that would pass the mapping gate. */
  passShare: number;
  /** right / answers; null when no answer reaches the threshold. */
  rightShare: number | null;
}

export interface GateCurve {
  /** When it was measured (YYYY-MM-DD). */
  date: string;
  /** Reports scored. */
  n: number;
  repositories: number;
  /** The data sets scored together, by file name, with their report counts. */
  datasets: { name: string; n: number }[];
  method: string;
  target: number;
  /** `pickDefaultGate` on these points when the curve was written; null if none qualifies. */
  recommendedGate: number | null;
  points: GateCurvePoint[];
}

const meets = (p: GateCurvePoint | undefined): boolean =>
  !!p && p.answers >= GATE_MIN_ANSWERS && p.rightShare !== null && p.rightShare >= GATE_TARGET;

/**
 * The default mapping gate for a curve: 0.70 if the target holds there, otherwise the lowest
 * measured threshold above it where it holds (with at least `GATE_MIN_ANSWERS` answers); null
 * when none does.
 */
export function pickDefaultGate(points: readonly GateCurvePoint[]): number | null {
  const at = (t: number) => points.find((p) => Math.abs(p.threshold - t) < 1e-9);
  if (meets(at(BASE_MAPPING_GATE))) return BASE_MAPPING_GATE;
  const above = points
    .filter((p) => p.threshold > BASE_MAPPING_GATE + 1e-9)
    .sort((a, b) => a.threshold - b.threshold);
  return above.find(meets)?.threshold ?? null;
}

export interface GateFigures {
  threshold: number;
  /** Share of reports whose answer would pass (0–1). */
  passShare: number;
  /** Share of passing answers whose top file is right (0–1); null when none would pass. */
  rightShare: number | null;
  /** Expected number of passing answers among the curve's reports. */
  answers: number;
  /** The curve's threshold the figures were read at, when `threshold` is beyond its last one. */
  measuredAt: number | null;
}

/**
 * The curve's figures at any threshold: exact on a measured threshold, linear between two
 * (counts are interpolated, so the share of right answers is a ratio of interpolated counts),
 * and the last measured point above the curve's end.
 */
export function gateFigures(curve: GateCurve, threshold: number): GateFigures {
  const points = [...curve.points].sort((a, b) => a.threshold - b.threshold);
  const last = points.at(-1);
  const first = points[0];
  if (!first || !last) {
    return { threshold, passShare: 0, rightShare: null, answers: 0, measuredAt: null };
  }
  if (threshold > last.threshold + 1e-9) {
    return { ...figuresOf(curve, threshold, last.answers, last.right), measuredAt: last.threshold };
  }
  const t = Math.max(threshold, first.threshold);
  const hiIndex = points.findIndex((p) => p.threshold >= t - 1e-9);
  const hi = points[hiIndex] as GateCurvePoint;
  const lo = points[Math.max(0, hiIndex - 1)] as GateCurvePoint;
  if (Math.abs(hi.threshold - t) < 1e-9 || hi === lo) {
    return { ...figuresOf(curve, threshold, hi.answers, hi.right), measuredAt: null };
  }
  const f = (t - lo.threshold) / (hi.threshold - lo.threshold);
  return {
    ...figuresOf(
      curve,
      threshold,
      lo.answers + f * (hi.answers - lo.answers),
      lo.right + f * (hi.right - lo.right),
    ),
    measuredAt: null,
  };
}

function figuresOf(curve: GateCurve, threshold: number, answers: number, right: number) {
  return {
    threshold,
    answers,
    passShare: curve.n === 0 ? 0 : answers / curve.n,
    rightShare: answers > 0 ? right / answers : null,
  };
}

/**
 * What the curve was measured on, in words: "held out: 131 dev + 160 outside reports from 25
 * repositories, each repository left out".
 */
export function curveProvenance(curve: GateCurve): string {
  const sets = curve.datasets
    .map((d) => `${d.n} ${d.name.replace(/\.jsonl$/, "").replace(/^mapping-/, "")}`)
    .join(" + ");
  return `held out: ${sets} reports from ${curve.repositories} repositories, each repository left out`;
}
