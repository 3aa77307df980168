/**
 * Score the pipeline end to end on the labelled demo ticket set.
 *
 *   npm run eval:pipeline [-- --json out.json] [--set <eval-tickets.json>] [--limit N]
 *                          [--llm anthropic|openai]
 *
 * Builds the demo repository, indexes it, runs every ticket through the stages the
 * `process-ticket` job runs (converter → noise → extraction → mapping → gates, with the default
 * gates) and prints noise precision/recall, extraction field accuracy, file and function
 * top-1/top-5 and the gates' figures, then one line per ticket.
 *
 * `--llm <provider>` runs the tickets a second time with that provider's LLM stage (the one the
 * job builds for a workspace) and compares: figures side by side ("never worse" figure by figure:
 * none lower; the exit code is 1 otherwise), then every ticket on which the LLM run lost
 * something the offline run had (a reorderer can lose a rank on one ticket to win on others). The
 * key and base URL come from `<PROVIDER>_API_KEY` / `<PROVIDER>_BASE_URL`, else from the running
 * devstack's env file (`DEVSTACK_HOME`, default `.devstack`), i.e. the local stand-ins.
 */
import { writeFileSync } from "node:fs";
import { DEFAULT_GATES } from "@/lib/pipeline/jobs/decide";
import { createLlmClient, createLlmStage, type LlmStage } from "@/lib/pipeline/llm";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { arg } from "@/scripts/lib/cli-args";
import { devstackEnv } from "@/scripts/lib/devstack-env";
import {
  comparisonLines,
  regressions,
  usageLines,
  worseFigures,
} from "@/scripts/lib/pipeline-eval/compare";
import { indexDemoRepo } from "@/scripts/lib/pipeline-eval/demo-index";
import { EVAL_SET_PATH, loadEvalSet } from "@/scripts/lib/pipeline-eval/eval-set";
import { computeMetrics } from "@/scripts/lib/pipeline-eval/metrics";
import { summaryLines, ticketLines } from "@/scripts/lib/pipeline-eval/report";
import { evaluateTickets } from "@/scripts/lib/pipeline-eval/run";

/** The provider's stage for `--llm`, its call records counted rather than printed. */
function llmStageFor(provider: string): LlmStage {
  if (provider !== "anthropic" && provider !== "openai") {
    throw new Error(`--llm takes anthropic or openai, not ${provider}`);
  }
  const prefix = provider === "anthropic" ? "ANTHROPIC" : "OPENAI";
  const fromDevstack = (name: string) => {
    try {
      return devstackEnv()[name];
    } catch {
      return undefined;
    }
  };
  const read = (name: string) => process.env[name] ?? fromDevstack(name);
  const key = read(`${prefix}_API_KEY`);
  const baseURL = read(`${prefix}_BASE_URL`);
  const client = createLlmClient(
    { provider },
    { [`${prefix}_API_KEY`]: key, [`${prefix}_BASE_URL`]: baseURL },
    { timeoutMs: 20_000, maxRetries: 2 },
  );
  if (!client) throw new Error(`--llm ${provider}: no ${prefix}_API_KEY (nor a running devstack)`);
  console.log(
    `eval:pipeline: LLM ${provider} (${client.model}) at ${baseURL ?? "the default URL"}`,
  );
  return createLlmStage(client, { info() {} });
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
  const rows = await evaluateTickets(tickets, search, DEFAULT_GATES);
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

  const provider = arg(argv, "--llm");
  let llm: {
    rows: typeof rows;
    metrics: typeof metrics;
    lost: ReturnType<typeof regressions>;
  } | null = null;
  if (provider) {
    const stage = llmStageFor(provider);
    const llmRows = await evaluateTickets(tickets, search, DEFAULT_GATES, stage);
    const llmMetrics = computeMetrics(llmRows);
    const lost = regressions(rows, llmRows);
    console.log(`\nwith the LLM stage (${provider}), the same ${llmRows.length} tickets\n`);
    for (const line of comparisonLines(metrics, llmMetrics)) console.log(line);
    console.log("");
    for (const line of usageLines(llmRows)) console.log(line);
    const worse = worseFigures(metrics, llmMetrics);
    console.log(
      worse.length === 0
        ? "\nnever worse, figure by figure: yes (no figure below the offline path's)"
        : `\nnever worse, figure by figure: NO (${worse.join("; ")})`,
    );
    console.log(
      lost.length === 0
        ? "never worse, ticket by ticket: yes (no ticket lost anything the offline path had)"
        : `never worse, ticket by ticket: NO, ${lost.length} loss(es) on ${new Set(lost.map((l) => l.id)).size} ticket(s):`,
    );
    for (const r of lost) console.log(`  ${r.id}: ${r.what}`);
    if (worse.length) process.exitCode = 1;
    llm = { rows: llmRows, metrics: llmMetrics, lost };
  }

  const json = arg(argv, "--json");
  if (json) {
    writeFileSync(
      json,
      `${JSON.stringify({ repository: set.repository, commit, gates: DEFAULT_GATES, metrics, rows, llm }, null, 2)}\n`,
    );
    console.log(`\nwrote ${json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
