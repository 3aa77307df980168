import { type BugGold, isBugGold } from "./eval-set";
import { goldRanks, type PipelineMetrics, type Ratio } from "./metrics";
import type { EvalRow } from "./run";

/**
 * `eval:pipeline --llm`: the same tickets through the offline path and through the LLM stage,
 * compared figure by figure and ticket by ticket. "Never worse" means no ticket lost anything
 * the offline path got right: a gold file or function ranked lower (or lost), an extracted
 * field or severity that matched gold and no longer does, a bug that passed both gates and is
 * now held, or a non-bug that was held and now passes (it would be billed).
 */

export interface Regression {
  id: string;
  what: string;
}

const worse = (offline: number | null, llm: number | null) =>
  offline !== null && (llm === null || llm > offline);

export function regressions(offline: readonly EvalRow[], llm: readonly EvalRow[]): Regression[] {
  const byId = new Map(llm.map((r) => [r.id, r]));
  const out: Regression[] = [];
  for (const a of offline) {
    const b = byId.get(a.id);
    if (!b) {
      out.push({ id: a.id, what: "missing from the LLM run" });
      continue;
    }
    if (a.decision !== b.decision) out.push({ id: a.id, what: `${a.decision} → ${b.decision}` });
    if (!isBugGold(a.gold)) {
      if (a.bug && b.bug && !a.bug.passedGates && b.bug.passedGates)
        out.push({ id: a.id, what: "a non-bug now passes both gates" });
      continue;
    }
    const gold: BugGold = a.gold;
    const ra = goldRanks(a);
    const rb = goldRanks(b);
    if (worse(ra.file, rb.file)) out.push({ id: a.id, what: `file rank ${ra.file} → ${rb.file}` });
    if (worse(ra.function, rb.function))
      out.push({ id: a.id, what: `function rank ${ra.function} → ${rb.function}` });
    if (!a.bug || !b.bug) continue;
    for (const field of ["steps", "expected", "actual"] as const) {
      if (a.bug.fields[field] === gold[field] && b.bug.fields[field] !== gold[field])
        out.push({ id: a.id, what: `${field} no longer matches gold` });
    }
    if (a.bug.severity === gold.severity && b.bug.severity !== gold.severity)
      out.push({ id: a.id, what: `severity ${a.bug.severity} → ${b.bug.severity}` });
    if (a.bug.passedGates && !b.bug.passedGates)
      out.push({ id: a.id, what: `passed → held(${b.bug.holds.join("+")})` });
  }
  return out;
}

const rate = (r: Ratio) => (r.rate === null ? "–" : `${(r.rate * 100).toFixed(1)}%`);

function figurePairs(
  offline: PipelineMetrics,
  llm: PipelineMetrics,
): Array<[string, Ratio, Ratio]> {
  return [
    ["severity exact", offline.extraction.severityExact, llm.extraction.severityExact],
    ["steps", offline.extraction.steps, llm.extraction.steps],
    ["expected", offline.extraction.expected, llm.extraction.expected],
    ["actual", offline.extraction.actual, llm.extraction.actual],
    ["file top-1", offline.mapping.fileTop1, llm.mapping.fileTop1],
    ["file top-5", offline.mapping.fileTop5, llm.mapping.fileTop5],
    ["function top-1", offline.mapping.functionTop1, llm.mapping.functionTop1],
    ["function top-5", offline.mapping.functionTop5, llm.mapping.functionTop5],
    ["bugs passing both", offline.gates.passedShareOfBugs, llm.gates.passedShareOfBugs],
    ["passed, right file", offline.gates.passedRightFile, llm.gates.passedRightFile],
  ];
}

/** The figures on which the LLM run scored lower than the offline run (more non-bugs passing counts). */
export function worseFigures(offline: PipelineMetrics, llm: PipelineMetrics): string[] {
  const out = figurePairs(offline, llm)
    .filter(([, a, b]) => a.rate !== null && (b.rate ?? 0) < a.rate)
    .map(([name, a, b]) => `${name} ${rate(a)} → ${rate(b)}`);
  if (llm.gates.passedNoise > offline.gates.passedNoise)
    out.push(`non-bugs passing ${offline.gates.passedNoise} → ${llm.gates.passedNoise}`);
  return out;
}

/** The figures side by side: offline, with the LLM, and the difference in points. */
export function comparisonLines(offline: PipelineMetrics, llm: PipelineMetrics): string[] {
  const rows = figurePairs(offline, llm);
  const points = (a: Ratio, b: Ratio) =>
    a.rate === null || b.rate === null ? "" : `${((b.rate - a.rate) * 100).toFixed(1)} pt`;
  return [
    "figure               offline          with LLM         difference",
    ...rows.map(
      ([name, a, b]) =>
        `  ${name.padEnd(19)}${`${rate(a)} (${a.hits}/${a.n})`.padEnd(17)}${`${rate(b)} (${b.hits}/${b.n})`.padEnd(17)}${points(a, b)}`,
    ),
    `  non-bugs passing   ${String(offline.gates.passedNoise).padEnd(17)}${llm.gates.passedNoise}`,
  ];
}

/** What the model did: sources per ticket and the calls' outcomes and token counts. */
export function usageLines(rows: readonly EvalRow[]): string[] {
  const withLlm = rows.flatMap((r) => (r.bug?.llm ? [r.bug.llm] : []));
  const calls = withLlm.flatMap((l) => l.calls);
  const outcomes = new Map<string, number>();
  for (const c of calls) {
    const key = `${c.task} ${c.outcome}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  const sum = (f: (c: (typeof calls)[number]) => number) => calls.reduce((n, c) => n + f(c), 0);
  return [
    `LLM calls ${calls.length} (${[...outcomes].map(([k, n]) => `${k}: ${n}`).join(", ")}); tokens in ${sum((c) => c.inputTokens)}, out ${sum((c) => c.outputTokens)}`,
    `extraction from the model on ${withLlm.filter((l) => l.extraction === "llm").length} of ${withLlm.length} bugs; ranking from the model on ${withLlm.filter((l) => l.rerank === "llm").length}`,
  ];
}
