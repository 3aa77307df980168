import type { EvalRun } from "./evaluate";
import { heldOutRanks } from "./fit";
import {
  brier,
  calibrationTable,
  gateTable,
  type InstanceOutcome,
  leaveOneRepoOut,
  quantile,
  type Summary,
  summarise,
} from "./metrics";

/**
 * The evaluation's report: markdown tables for people (accuracy overall, per language and per
 * repository, with held-out ranking weights, calibration and gates, speed) and the same figures
 * as JSON for programs (`--json`).
 */

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

// Function columns: strict first (named functions only), then counting whole-file chunks as hits.
const TABLE_HEAD = [
  "| group | n | file top-1 | file top-5 | file MRR | function top-1 | function top-5 | fn top-1 incl. file chunks | fn top-5 incl. file chunks |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
];

function row(label: string, s: Summary): string {
  return `| ${label} | ${s.n} | ${pct(s.file_top1)} | ${pct(s.file_top5)} | ${s.file_mrr.toFixed(3)} | ${pct(s.function_top1)} | ${pct(s.function_top5)} | ${pct(s.function_top1_with_files)} | ${pct(s.function_top5_with_files)} |`;
}

/** One summary per value of `key`, in sorted order, with its table row. */
function grouped(
  outcomes: readonly InstanceOutcome[],
  key: (o: InstanceOutcome) => string,
  label: (k: string) => string = (k) => k,
): { rows: string[]; summaries: Record<string, Summary> } {
  const summaries: Record<string, Summary> = {};
  const rows: string[] = [];
  for (const k of [...new Set(outcomes.map(key))].sort()) {
    summaries[k] = summarise(outcomes.filter((o) => key(o) === k));
    rows.push(row(label(k), summaries[k]));
  }
  return { rows, summaries };
}

function accuracy(lines: string[], outcomes: readonly InstanceOutcome[]) {
  const overall = summarise(outcomes);
  const byLanguage = grouped(outcomes, (o) => o.language);
  lines.push(...TABLE_HEAD, row("all", overall), ...byLanguage.rows, "");
  const byRepo = grouped(outcomes, (o) => o.repo);
  lines.push(
    (TABLE_HEAD[0] as string).replace("| group |", "| repository |"),
    TABLE_HEAD[1] as string,
    ...byRepo.rows,
  );
  return { overall, byLanguage: byLanguage.summaries, byRepo: byRepo.summaries };
}

/** Outcomes re-ranked with weights fitted on the other repositories only. */
function heldOutOutcomes(
  outcomes: readonly InstanceOutcome[],
  groups: EvalRun["groups"],
): InstanceOutcome[] {
  const held = heldOutRanks(groups);
  return outcomes.map((o, i) => ({
    ...o,
    fileRank: held[i]?.fileRank ?? 0,
    functionRank: held[i]?.functionRank ?? 0,
    functionRankWithFiles: held[i]?.functionRankWithFiles ?? 0,
  }));
}

/**
 * Ablation: the figures with each engine rule switched off under the shipped weights (the
 * held-out fits of every variant would multiply the evaluation's time; compare the held-out
 * rows of separate runs with `--without` instead), beside the run with every rule on.
 */
function ablation(lines: string[], run: EvalRun): Record<string, unknown> {
  const names = Object.keys(run.variants);
  if (names.length === 0) return {};
  lines.push(
    "",
    "Ablation (same indexes, shipped weights):",
    "",
    ...TABLE_HEAD,
    row("all rules", summarise(run.outcomes)),
  );
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const v = run.variants[name];
    if (!v) continue;
    const shipped = summarise(v.outcomes);
    lines.push(row(name, shipped));
    out[name] = { shipped };
  }
  return out;
}

/** Held out: ranking weights fitted on the other repositories only. */
function heldOut(
  lines: string[],
  run: EvalRun,
): {
  overall: Summary;
  byRepo: Record<string, Summary>;
  ranks: number[];
  outcomes: InstanceOutcome[];
} {
  const outcomes = heldOutOutcomes(run.outcomes, run.groups);
  const overall = summarise(outcomes);
  const byRepo = grouped(outcomes, (o) => o.repo).summaries;
  // in the order of `instances` (an id may repeat in a data set)
  const ranks = outcomes.map((o) => o.fileRank);
  lines.push(
    "",
    "Ranking weights fitted leaving each repository out (out of sample; ranks among the stored candidates):",
    "",
    ...TABLE_HEAD,
    row("all (held-out weights)", overall),
    ...grouped(
      outcomes,
      (o) => o.language,
      (lang) => `${lang} (held-out weights)`,
    ).rows,
  );
  return { overall, byRepo, ranks, outcomes };
}

/**
 * With `--repo-vocabulary-damping a,b,…`: the workspace table learned under each other hub
 * damping, on the same indexes, under the shipped weights and held out (each variant's own
 * leave-one-repository-out fit), beside the main run's damping.
 */
function dampings(
  lines: string[],
  run: EvalRun,
  mainHeld: Summary | undefined,
): Record<string, unknown> {
  const names = Object.keys(run.dampings);
  if (names.length === 0) return {};
  const main = run.mainDamping ?? "main run";
  lines.push(
    "",
    mainHeld
      ? "Workspace-table hub damping (same indexes; shipped weights, then weights fitted leaving each repository out):"
      : "Workspace-table hub damping (same indexes; shipped weights):",
    "",
    ...TABLE_HEAD,
    row(`${main} (shipped weights)`, summarise(run.outcomes)),
    ...(mainHeld ? [row(`${main} (held-out weights)`, mainHeld)] : []),
  );
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const v = run.dampings[name];
    if (!v) continue;
    const shipped = summarise(v.outcomes);
    lines.push(row(`${name} (shipped weights)`, shipped));
    out[name] = {
      shipped,
      file_ranks: v.outcomes.map((o) => o.fileRank),
      function_ranks: v.outcomes.map((o) => o.functionRank),
    };
    if (!mainHeld) continue;
    const heldOutcomes = heldOutOutcomes(v.outcomes, v.groups);
    const held = summarise(heldOutcomes);
    lines.push(row(`${name} (held-out weights)`, held));
    out[name] = {
      ...(out[name] as object),
      held_out: held,
      held_out_file_ranks: heldOutcomes.map((o) => o.fileRank),
      held_out_function_ranks: heldOutcomes.map((o) => o.functionRank),
    };
  }
  return out;
}

/** With `--repo-vocabulary`: what each repository's own table was learned from, and its cost. */
function vocabularies(lines: string[], run: EvalRun): Record<string, unknown> | undefined {
  const v = run.vocabularies;
  if (v.length === 0) return undefined;
  lines.push(
    "",
    "Per-repository vocabulary (learned from the commits before each instance's commit, merged over the shipped table):",
    "",
    "| repository | instances | commits read (mean) | fix pairs (mean) | words (mean) | learn time p50 (wall / CPU) |",
    "|---|---:|---:|---:|---:|---:|",
  );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  for (const repo of [...new Set(v.map((x) => x.repo))].sort()) {
    const r = v.filter((x) => x.repo === repo);
    lines.push(
      `| ${repo} | ${r.length} | ${mean(r.map((x) => x.commitsRead)).toFixed(0)} | ${mean(r.map((x) => x.pairs)).toFixed(0)} | ${mean(r.map((x) => x.words)).toFixed(0)} | ${quantile(
        r.map((x) => x.learnMs),
        0.5,
      ).toFixed(0)} / ${quantile(
        r.map((x) => x.learnCpuMs),
        0.5,
      ).toFixed(0)} ms |`,
    );
  }
  return {
    instances: v,
    learn_ms: {
      p50: quantile(
        v.map((x) => x.learnMs),
        0.5,
      ),
      p95: quantile(
        v.map((x) => x.learnMs),
        0.95,
      ),
    },
    learn_cpu_ms: {
      p50: quantile(
        v.map((x) => x.learnCpuMs),
        0.5,
      ),
      p95: quantile(
        v.map((x) => x.learnCpuMs),
        0.95,
      ),
    },
  };
}

function calibration(lines: string[], outcomes: readonly InstanceOutcome[]) {
  const right = outcomes.map((o) => o.fileRank === 1);
  const shipped = outcomes.map((o) => o.confidence);
  const loro = leaveOneRepoOut(outcomes);
  lines.push(
    "",
    "Calibration (confidence that the top file is right). 'shipped' = parameters in calibration-params.json;",
    "'held-out' = refitted leaving each repository out and predicting it (out of sample).",
    "",
    "| bucket | n (shipped) | mean conf | share right | n (held-out) | mean conf | share right |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  const a = calibrationTable(shipped, right);
  const b = calibrationTable(loro, right);
  a.forEach((r, i) => {
    const h = b[i]!;
    lines.push(
      `| ${r.bucket} | ${r.n} | ${r.meanConfidence.toFixed(2)} | ${r.n ? pct(r.shareRight) : "-"} | ${h.n} | ${h.meanConfidence.toFixed(2)} | ${h.n ? pct(h.shareRight) : "-"} |`,
    );
  });
  lines.push(
    "",
    "| gate t | answers ≥ t (shipped) | right | answers ≥ t (held-out) | right |",
    "|---:|---:|---:|---:|---:|",
  );
  const ga = gateTable(shipped, right);
  const gb = gateTable(loro, right);
  ga.forEach((g, i) => {
    const h = gb[i]!;
    lines.push(
      `| ${g.threshold.toFixed(1)} | ${g.n} | ${g.n ? pct(g.shareRight) : "-"} | ${h.n} | ${h.n ? pct(h.shareRight) : "-"} |`,
    );
  });
  lines.push(
    `Brier score: shipped ${brier(shipped, right).toFixed(3)}, held-out ${brier(loro, right).toFixed(3)}`,
  );
  return {
    shipped: a,
    held_out: b,
    gates_shipped: ga,
    gates_held_out: gb,
    brier_shipped: brier(shipped, right),
    brier_held_out: brier(loro, right),
  };
}

function speed(lines: string[], run: EvalRun, elapsedMs: number) {
  // Read after the held-out fits and calibration above, which are part of the peak.
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const totalLines = run.timings.reduce((s, t) => s + t.lines, 0);
  const totalMs = run.timings.reduce((s, t) => s + t.coldIndexMs, 0);
  lines.push(
    "",
    "| repository (first commit, cold) | files | skipped | lines | index time | index size |",
    "|---|---:|---:|---:|---:|---:|",
  );
  for (const t of run.timings) {
    lines.push(
      `| ${t.repo} | ${t.files} | ${t.skipped} | ${t.lines} | ${(t.coldIndexMs / 1000).toFixed(2)} s | ${(t.indexBytes / 1e6).toFixed(2)} MB |`,
    );
  }
  const linesPerSec = totalMs > 0 ? totalLines / (totalMs / 1000) : 0;
  const totalCpuMs = run.timings.reduce((s, t) => s + t.coldIndexCpuMs, 0);
  const linesPerCpuSec = totalCpuMs > 0 ? totalLines / (totalCpuMs / 1000) : 0;
  lines.push(
    `Index throughput (cold, wall): ${Math.round(linesPerSec)} lines/s → ${(100_000 / Math.max(1, linesPerSec)).toFixed(1)} s per 100,000 lines; ` +
      `CPU time: ${Math.round(linesPerCpuSec)} lines/s → ${(100_000 / Math.max(1, linesPerCpuSec)).toFixed(1)} s per 100,000 lines (one core)`,
    `Query latency (wall): p50 ${quantile(run.queryMs, 0.5).toFixed(1)} ms, p95 ${quantile(run.queryMs, 0.95).toFixed(1)} ms; ` +
      `CPU time: p50 ${quantile(run.queryCpuMs, 0.5).toFixed(1)} ms, p95 ${quantile(run.queryCpuMs, 0.95).toFixed(1)} ms`,
    `Peak memory (max RSS): ${peakMb.toFixed(0)} MB; wall time ${(elapsedMs / 1000).toFixed(1)} s`,
  );
  return { linesPerSec, linesPerCpuSec, peakMb };
}

/** The printed report and the `--json` document of one evaluation run. */
export function evaluationReport(
  run: EvalRun,
  dataName: string,
  elapsedMs: number,
  /** `heldOut: false` (`--shipped-only`) skips the leave-one-repository-out refits. */
  options: { heldOut?: boolean } = {},
): { text: string; json: Record<string, unknown> } {
  const lines: string[] = [
    `# Code mapping evaluation: ${dataName}, ${run.outcomes.length} instances`,
    "",
  ];
  const { overall, byLanguage, byRepo } = accuracy(lines, run.outcomes);
  const held = options.heldOut === false ? undefined : heldOut(lines, run);
  const ablations = ablation(lines, run);
  const vocab = vocabularies(lines, run);
  const damped = dampings(lines, run, held?.overall);
  const cal = calibration(lines, run.outcomes);
  const { linesPerSec, linesPerCpuSec, peakMb } = speed(lines, run, elapsedMs);
  if (run.missing.length) {
    lines.push("", `Not evaluated (${run.missing.length}):`);
    for (const m of run.missing) lines.push(`- ${m.id}: ${m.reason}`);
  }
  const json = {
    ...overall,
    ...(held
      ? {
          held_out: held.overall,
          held_out_by_repo: held.byRepo,
          held_out_file_ranks: held.ranks,
        }
      : {}),
    ablation: ablations,
    ...(vocab ? { repo_vocabulary: vocab } : {}),
    ...(Object.keys(damped).length > 0
      ? {
          repo_vocabulary_damping: run.mainDamping,
          repo_vocabulary_dampings: damped,
          file_ranks: run.outcomes.map((o) => o.fileRank),
          function_ranks: run.outcomes.map((o) => o.functionRank),
          ...(held ? { held_out_function_ranks: held.outcomes.map((o) => o.functionRank) } : {}),
        }
      : {}),
    by_language: byLanguage,
    by_repo: byRepo,
    calibration: cal,
    index: {
      repos: run.timings,
      lines_per_second: linesPerSec,
      lines_per_cpu_second: linesPerCpuSec,
    },
    query_ms: { p50: quantile(run.queryMs, 0.5), p95: quantile(run.queryMs, 0.95) },
    query_cpu_ms: { p50: quantile(run.queryCpuMs, 0.5), p95: quantile(run.queryCpuMs, 0.95) },
    peak_memory_mb: peakMb,
    missing: run.missing,
    instances: run.rankings,
  };
  return { text: lines.join("\n"), json };
}
