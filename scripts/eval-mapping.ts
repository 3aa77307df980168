/**
 * Evaluate code mapping on a labelled data set.
 *
 *   npm run eval:mapping -- --data ../shared/data/mapping-dev.jsonl --repos <folder> [--json out.json]
 *     [--limit N] [--fit] [--fit-calibration] [--dump <file>] [--verbose]
 *
 * `<folder>` holds bare git directories as `<owner>+<name>/repo`; they are only read.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { runEvaluation } from "@/lib/pipeline/mapping-eval/evaluate";
import { fitWeights, heldOutRanks } from "@/lib/pipeline/mapping-eval/fit";
import { fitCalibration } from "@/lib/pipeline/mapping-eval/fit-calibration";
import { loadInstances } from "@/lib/pipeline/mapping-eval/instances";
import {
  brier,
  calibrationTable,
  gateTable,
  leaveOneRepoOut,
  quantile,
  type Summary,
  summarise,
} from "@/lib/pipeline/mapping-eval/metrics";

interface Args {
  data: string;
  repos: string;
  json?: string;
  limit?: number;
  fit: boolean;
  fitRanker: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const data = get("--data");
  const repos = get("--repos");
  if (!data || !repos) {
    console.error(
      "usage: eval:mapping --data <file.jsonl> --repos <folder> [--json <file>] [--limit N] [--fit-calibration] [--verbose]",
    );
    process.exit(2);
  }
  const limit = get("--limit");
  return {
    data,
    repos,
    json: get("--json"),
    limit: limit ? Number(limit) : undefined,
    fit: argv.includes("--fit-calibration"),
    fitRanker: argv.includes("--fit"),
    verbose: argv.includes("--verbose"),
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function row(label: string, s: Summary): string {
  return `| ${label} | ${s.n} | ${pct(s.file_top1)} | ${pct(s.file_top5)} | ${s.file_mrr.toFixed(3)} | ${pct(s.function_top1)} | ${pct(s.function_top5)} |`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let instances = loadInstances(args.data);
  if (args.limit) instances = instances.slice(0, args.limit);
  const started = performance.now();
  const run = await runEvaluation(
    instances,
    args.repos,
    args.verbose ? (l) => console.log(l) : undefined,
  );
  const elapsed = performance.now() - started;
  const { outcomes } = run;
  const overall = summarise(outcomes);

  const lines: string[] = [];
  lines.push(
    `# Code mapping evaluation: ${path.basename(args.data)}, ${outcomes.length} instances`,
  );
  lines.push("");
  lines.push(
    "| group | n | file top-1 | file top-5 | file MRR | function top-1 | function top-5 |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|");
  lines.push(row("all", overall));
  const byLanguage: Record<string, Summary> = {};
  for (const lang of [...new Set(outcomes.map((o) => o.language))].sort()) {
    byLanguage[lang] = summarise(outcomes.filter((o) => o.language === lang));
    lines.push(row(lang, byLanguage[lang]));
  }
  lines.push("");
  lines.push(
    "| repository | n | file top-1 | file top-5 | file MRR | function top-1 | function top-5 |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|");
  const byRepo: Record<string, Summary> = {};
  for (const repo of [...new Set(outcomes.map((o) => o.repo))].sort()) {
    byRepo[repo] = summarise(outcomes.filter((o) => o.repo === repo));
    lines.push(row(repo, byRepo[repo]));
  }

  // Held out: ranking weights fitted on the other repositories only.
  const held = heldOutRanks(run.groups);
  const heldOutcomes = outcomes.map((o, i) => ({
    ...o,
    fileRank: held[i]?.fileRank ?? 0,
    functionRank: held[i]?.functionRank ?? 0,
  }));
  const heldOverall = summarise(heldOutcomes);
  lines.push("");
  lines.push(
    "Ranking weights fitted leaving each repository out (out of sample; ranks among the stored candidates):",
  );
  lines.push("");
  lines.push(
    "| group | n | file top-1 | file top-5 | file MRR | function top-1 | function top-5 |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|");
  lines.push(row("all (held-out weights)", heldOverall));
  for (const lang of [...new Set(outcomes.map((o) => o.language))].sort()) {
    lines.push(
      row(`${lang} (held-out weights)`, summarise(heldOutcomes.filter((o) => o.language === lang))),
    );
  }

  const right = outcomes.map((o) => o.fileRank === 1);
  const shipped = outcomes.map((o) => o.confidence);
  const loro = leaveOneRepoOut(outcomes);
  lines.push("");
  lines.push(
    "Calibration (confidence that the top file is right). 'shipped' = parameters in calibration-params.json;",
  );
  lines.push(
    "'held-out' = refitted leaving each repository out and predicting it (out of sample).",
  );
  lines.push("");
  lines.push(
    "| bucket | n (shipped) | mean conf | share right | n (held-out) | mean conf | share right |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|");
  const a = calibrationTable(shipped, right);
  const b = calibrationTable(loro, right);
  a.forEach((r, i) => {
    const h = b[i]!;
    lines.push(
      `| ${r.bucket} | ${r.n} | ${r.meanConfidence.toFixed(2)} | ${r.n ? pct(r.shareRight) : "-"} | ${h.n} | ${h.meanConfidence.toFixed(2)} | ${h.n ? pct(h.shareRight) : "-"} |`,
    );
  });
  lines.push("");
  lines.push("| gate t | answers ≥ t (shipped) | right | answers ≥ t (held-out) | right |");
  lines.push("|---:|---:|---:|---:|---:|");
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

  const totalLines = run.timings.reduce((s, t) => s + t.lines, 0);
  const totalMs = run.timings.reduce((s, t) => s + t.coldIndexMs, 0);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  lines.push("");
  lines.push(
    "| repository (first commit, cold) | files | skipped | lines | index time | index size |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|");
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
  );
  lines.push(
    `Query latency (wall): p50 ${quantile(run.queryMs, 0.5).toFixed(1)} ms, p95 ${quantile(run.queryMs, 0.95).toFixed(1)} ms; ` +
      `CPU time: p50 ${quantile(run.queryCpuMs, 0.5).toFixed(1)} ms, p95 ${quantile(run.queryCpuMs, 0.95).toFixed(1)} ms`,
  );
  lines.push(
    `Peak memory (max RSS): ${peakMb.toFixed(0)} MB; wall time ${(elapsed / 1000).toFixed(1)} s`,
  );
  if (run.missing.length) {
    lines.push("");
    lines.push(`Not evaluated (${run.missing.length}):`);
    for (const m of run.missing) lines.push(`- ${m.id}: ${m.reason}`);
  }
  console.log(lines.join("\n"));

  if (args.json) {
    const json = {
      ...overall,
      held_out: heldOverall,
      by_language: byLanguage,
      by_repo: byRepo,
      calibration: {
        shipped: a,
        held_out: b,
        gates_shipped: ga,
        gates_held_out: gb,
        brier_shipped: brier(shipped, right),
        brier_held_out: brier(loro, right),
      },
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
    writeFileSync(args.json, `${JSON.stringify(json, null, 2)}\n`);
  }
  const dump = process.argv.indexOf("--dump");
  if (dump >= 0 && process.argv[dump + 1]) {
    writeFileSync(
      process.argv[dump + 1] as string,
      JSON.stringify({ groups: run.groups, outcomes }),
    );
  }
  if (args.fitRanker) {
    const weights = fitWeights(run.groups);
    const target = path.join(
      path.dirname(new URL(import.meta.url).pathname),
      "../lib/pipeline/mapping/ranker-weights.json",
    );
    writeFileSync(target, `${JSON.stringify(weights, null, 2)}\n`);
    console.log(`Ranking weights refitted on ${run.groups.length} instances → ${target}`);
  }
  if (args.fit) {
    const params = fitCalibration(
      outcomes.map((o) => o.features),
      right.map((r) => (r ? 1 : 0)),
    );
    const target = path.join(
      path.dirname(new URL(import.meta.url).pathname),
      "../lib/pipeline/mapping/calibration-params.json",
    );
    writeFileSync(target, `${JSON.stringify(params, null, 2)}\n`);
    console.log(`Calibration refitted on ${outcomes.length} instances → ${target}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
