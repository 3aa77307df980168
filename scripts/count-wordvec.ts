/**
 * The word vectors' count and their held-out figures (`mapping-eval/wordvec-count.ts`), from the
 * groups an evaluation dumped with the feature computed:
 *
 *   npm run eval:mapping -- --data <set> --repos <folder> --with embedding --dump <groups.json>
 *   npx tsx scripts/count-wordvec.ts <groups.json> [--weights <ranker-weights.json>]
 *
 * The candidates are the same with the feature on or off (it adds none, and its shipped weight
 * is 0 while it is measured), so one run gives both: ranks with each repository held out, with
 * the feature in the fit and with it zeroed. With `--weights` (a set the dev set was fitted to,
 * for the outside set) ranks under those weights with the feature and with it zeroed instead.
 */
import { readFileSync } from "node:fs";
import type { RankerWeights } from "@/lib/pipeline/mapping/features";
import type { FitGroup } from "@/lib/pipeline/mapping-eval/evaluate";
import { heldOutRanks, rankGroup } from "@/lib/pipeline/mapping-eval/fit";
import { type InstanceOutcome, summarise } from "@/lib/pipeline/mapping-eval/metrics";
import { countWordVectorSignal } from "@/lib/pipeline/mapping-eval/wordvec-count";

const file = process.argv[2];
if (!file) {
  console.error("usage: count-wordvec <groups.json from eval:mapping --dump> [--weights <file>]");
  process.exit(2);
}
const wi = process.argv.indexOf("--weights");
const weights =
  wi >= 0
    ? (JSON.parse(readFileSync(process.argv[wi + 1] as string, "utf8")) as RankerWeights)
    : undefined;
const { groups, outcomes } = JSON.parse(readFileSync(file, "utf8")) as {
  groups: FitGroup[];
  outcomes: InstanceOutcome[];
};

if (!weights) {
  const c = countWordVectorSignal(groups);
  for (const r of c.rows)
    console.log(
      `${r.id}: right file at ${r.goldRank}, cosine ${r.gold.toFixed(3)} against the winner's ${r.winner.toFixed(3)} (${r.winnerPath})`,
    );
  console.log(
    [
      `${c.reports} reports, ${c.misses} held-out misses of the first file (without the feature)`,
      `right file's cosine above the winner's: ${c.goldAbove} of ${c.misses} (chance: half); the bridge feature: ${c.bridgeAbove} of ${c.misses}`,
      `right file's cosine among the best 20: mean percentile ${c.meanPercentile.toFixed(3)} (chance 0.5), highest in ${c.goldHighest} of ${c.reports}`,
      "",
    ].join("\n"),
  );
}

const zero = (g: FitGroup): FitGroup => ({
  ...g,
  fileRows: g.fileRows.map((x) => ({ ...x, embedding: 0 })),
  chunkRows: g.chunkRows.map((x) => ({ ...x, embedding: 0 })),
});
const ranks = (gs: FitGroup[]) =>
  weights ? gs.map((g) => rankGroup(g, weights)) : heldOutRanks(gs);
const on = ranks(groups);
const off = ranks(groups.map(zero));
const withRanks = (r: typeof on): InstanceOutcome[] =>
  outcomes.map((o, i) => ({ ...o, ...(r[i] as (typeof on)[number]) }));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const line = (name: string, os: InstanceOutcome[]): string => {
  const s = summarise(os);
  return `| ${name} | ${s.n} | ${pct(s.file_top1)} | ${pct(s.file_top5)} | ${s.file_mrr.toFixed(3)} | ${pct(s.function_top1)} | ${pct(s.function_top5)} | ${pct(s.function_top5_with_files)} |`;
};
const how = weights ? "given weights" : "held out";
console.log(
  "| | n | file top-1 | file top-5 | MRR | fn top-1 | fn top-5 | fn top-5 incl. file chunks |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const a = withRanks(off);
const b = withRanks(on);
console.log(line(`without embedding (${how})`, a));
console.log(line(`with embedding (${how})`, b));
for (const lang of [...new Set(outcomes.map((o) => o.language))].sort()) {
  console.log(
    line(
      `${lang}, without`,
      a.filter((o) => o.language === lang),
    ),
  );
  console.log(
    line(
      `${lang}, with`,
      b.filter((o) => o.language === lang),
    ),
  );
}
for (const [i, o] of outcomes.entries()) {
  const x = a[i] as InstanceOutcome;
  const y = b[i] as InstanceOutcome;
  if (x.fileRank !== y.fileRank || x.functionRank !== y.functionRank)
    console.log(
      `moved ${o.id}: file ${x.fileRank} → ${y.fileRank}, strict function ${x.functionRank} → ${y.functionRank}`,
    );
}
