import { type BugGold, isBugGold } from "./eval-set";
import type { EvalRow } from "./run";

/**
 * The figures `eval:pipeline` prints, computed from evaluated rows only (pure, so a unit test can
 * check the arithmetic on hand-made rows). A ratio is `{ hits, n, rate }`; `rate` is null when
 * `n` is 0, never NaN.
 */

export interface Ratio {
  hits: number;
  n: number;
  rate: number | null;
}

export const ratio = (hits: number, n: number): Ratio => ({
  hits,
  n,
  rate: n === 0 ? null : hits / n,
});

export interface PipelineMetrics {
  tickets: number;
  goldBugs: number;
  goldNoise: number;
  noise: {
    /** Of the tickets set aside, how many are not bugs. */
    precision: Ratio;
    /** Of the tickets that are not bugs, how many were set aside. */
    recall: Ratio;
    /** Of the non-bugs set aside, how many got the gold class (billing, how_to, …). */
    labelAccuracy: Ratio;
    /** Bugs set aside by mistake (lost to review unless a person re-opens them). */
    bugsSetAside: number;
  };
  /** Over gold bugs that reached extraction. */
  extraction: {
    severityExact: Ratio;
    title: Ratio;
    steps: Ratio;
    expected: Ratio;
    actual: Ratio;
  };
  /** End to end over every gold bug: a bug set aside by the noise filter counts as a miss. */
  mapping: {
    fileTop1: Ratio;
    fileTop5: Ratio;
    functionTop1: Ratio;
    functionTop5: Ratio;
  };
  gates: {
    /** Gold bugs that became Mapped Bugs (passed both gates). */
    passedShareOfBugs: Ratio;
    /** Of all tickets passing both gates: how many are bugs mapped to the right file at rank 1. */
    passedRightFile: Ratio;
    /** … and to the right function at rank 1. */
    passedRightFunction: Ratio;
    /** Non-bugs that passed both gates (would be billed as Mapped Bugs). */
    passedNoise: number;
    heldByExtraction: number;
    heldByMapping: number;
  };
}

function fileRank(row: EvalRow, gold: BugGold): number | null {
  const i = row.bug?.files.indexOf(gold.file) ?? -1;
  return i < 0 ? null : i + 1;
}

function functionRank(row: EvalRow, gold: BugGold): number | null {
  const i =
    row.bug?.functions.findIndex((f) => f.path === gold.file && f.name === gold.function) ?? -1;
  return i < 0 ? null : i + 1;
}

const within = (rank: number | null, k: number) => rank !== null && rank <= k;

/** Ranks of the gold file and function in a row (null: not in the kept top 5, or not a bug). */
export function goldRanks(row: EvalRow): { file: number | null; function: number | null } {
  if (!isBugGold(row.gold)) return { file: null, function: null };
  return { file: fileRank(row, row.gold), function: functionRank(row, row.gold) };
}

export function computeMetrics(rows: readonly EvalRow[]): PipelineMetrics {
  const bugs = rows.filter((r) => isBugGold(r.gold));
  const noise = rows.filter((r) => !isBugGold(r.gold));
  const skipped = rows.filter((r) => r.decision === "skip");
  const noiseSkipped = noise.filter((r) => r.decision === "skip");
  const extracted = bugs.filter((r) => r.bug !== null);
  const count = <T>(xs: readonly T[], p: (x: T) => boolean) => xs.filter(p).length;
  const fieldRatio = (field: "title" | "steps" | "expected" | "actual") =>
    ratio(
      count(extracted, (r) => {
        const gold = r.gold as BugGold;
        const want = field === "title" ? true : gold[field];
        return r.bug?.fields[field] === want;
      }),
      extracted.length,
    );
  const ranks = bugs.map(goldRanks);
  const passed = rows.filter((r) => r.bug?.passedGates);
  const passedRanks = passed.map(goldRanks);
  return {
    tickets: rows.length,
    goldBugs: bugs.length,
    goldNoise: noise.length,
    noise: {
      precision: ratio(noiseSkipped.length, skipped.length),
      recall: ratio(noiseSkipped.length, noise.length),
      labelAccuracy: ratio(
        count(noiseSkipped, (r) => r.label === r.gold.classification),
        noiseSkipped.length,
      ),
      bugsSetAside: count(bugs, (r) => r.decision === "skip"),
    },
    extraction: {
      severityExact: ratio(
        count(extracted, (r) => r.bug?.severity === (r.gold as BugGold).severity),
        extracted.length,
      ),
      title: fieldRatio("title"),
      steps: fieldRatio("steps"),
      expected: fieldRatio("expected"),
      actual: fieldRatio("actual"),
    },
    mapping: {
      fileTop1: ratio(
        count(ranks, (r) => within(r.file, 1)),
        bugs.length,
      ),
      fileTop5: ratio(
        count(ranks, (r) => within(r.file, 5)),
        bugs.length,
      ),
      functionTop1: ratio(
        count(ranks, (r) => within(r.function, 1)),
        bugs.length,
      ),
      functionTop5: ratio(
        count(ranks, (r) => within(r.function, 5)),
        bugs.length,
      ),
    },
    gates: {
      passedShareOfBugs: ratio(
        count(bugs, (r) => r.bug?.passedGates === true),
        bugs.length,
      ),
      passedRightFile: ratio(
        count(passedRanks, (r) => r.file === 1),
        passed.length,
      ),
      passedRightFunction: ratio(
        count(passedRanks, (r) => r.function === 1),
        passed.length,
      ),
      passedNoise: count(passed, (r) => !isBugGold(r.gold)),
      heldByExtraction: count(rows, (r) => r.bug?.holds.includes("extraction") === true),
      heldByMapping: count(rows, (r) => r.bug?.holds.includes("mapping") === true),
    },
  };
}
