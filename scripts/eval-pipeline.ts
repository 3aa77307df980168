/**
 * Score the pipeline end to end on the labelled demo ticket set.
 *
 *   npm run eval:pipeline [-- --json out.json] [--set <eval-tickets.json>] [--limit N]
 *
 * Builds the demo repository, indexes it, runs every ticket through the stages the
 * `process-ticket` job runs (converter → noise → extraction → mapping → gates, with the default
 * gates) and prints noise precision/recall, extraction field accuracy, file and function
 * top-1/top-5 and the gates' figures, then one line per ticket.
 */
import { writeFileSync } from "node:fs";
import { DEFAULT_GATES } from "@/lib/pipeline/jobs/decide";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { indexDemoRepo } from "@/lib/pipeline/pipeline-eval/demo-index";
import { EVAL_SET_PATH, loadEvalSet } from "@/lib/pipeline/pipeline-eval/eval-set";
import { computeMetrics } from "@/lib/pipeline/pipeline-eval/metrics";
import { summaryLines, ticketLines } from "@/lib/pipeline/pipeline-eval/report";
import { evaluateTickets } from "@/lib/pipeline/pipeline-eval/run";

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const set = loadEvalSet(arg(argv, "--set") ?? EVAL_SET_PATH);
  const limit = arg(argv, "--limit");
  const tickets = limit ? set.tickets.slice(0, Number(limit)) : set.tickets;

  const { index, commit, indexMs } = await indexDemoRepo();
  if (commit !== set.commit) {
    // the gold files and functions refer to set.commit: a changed demo would score against stale gold
    throw new Error(`demo repository head ${commit} is not the eval set's commit ${set.commit}`);
  }
  const search = new SearchIndex([index]);
  const started = performance.now();
  const rows = evaluateTickets(tickets, search, DEFAULT_GATES);
  const runMs = performance.now() - started;
  const metrics = computeMetrics(rows);

  console.log(
    `eval:pipeline: ${set.repository} @ ${commit.slice(0, 12)}, ${index.stats.files} files indexed in ${(indexMs / 1000).toFixed(1)} s; gates extraction ${DEFAULT_GATES.extraction}, mapping ${DEFAULT_GATES.mapping}`,
  );
  for (const line of summaryLines(metrics)) console.log(line);
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  console.log(
    `\nstages per ticket (in process, wall): p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, total ${(runMs / 1000).toFixed(1)} s\n`,
  );
  for (const line of ticketLines(rows)) console.log(line);

  const json = arg(argv, "--json");
  if (json) {
    writeFileSync(
      json,
      `${JSON.stringify({ repository: set.repository, commit, gates: DEFAULT_GATES, metrics, rows }, null, 2)}\n`,
    );
    console.log(`\nwrote ${json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
