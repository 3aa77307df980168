/**
 * The word vectors' first count (`mapping-eval/wordvec-count.ts`), from the groups an evaluation
 * dumped with the feature computed:
 *
 *   npm run eval:mapping -- --data <set> --repos <folder> --with embedding --dump <groups.json>
 *   npx tsx scripts/count-wordvec.ts <groups.json>
 */
import { readFileSync } from "node:fs";
import type { FitGroup } from "@/lib/pipeline/mapping-eval/evaluate";
import { countWordVectorSignal } from "@/lib/pipeline/mapping-eval/wordvec-count";

const file = process.argv[2];
if (!file) {
  console.error("usage: count-wordvec <groups.json from eval:mapping --dump>");
  process.exit(2);
}
const { groups } = JSON.parse(readFileSync(file, "utf8")) as { groups: FitGroup[] };
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
  ].join("\n"),
);
