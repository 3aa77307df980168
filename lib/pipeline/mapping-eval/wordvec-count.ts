import { fileScore, type RankerWeights } from "../mapping/features";
import type { FitGroup } from "./evaluate";
import { fitWeights } from "./fit";

/**
 * The word vectors' first count, before any weight is fitted to them (docs/code-map.md, "Word
 * vectors"): on the groups of a run with the `embedding` feature computed, the file ranking held
 * out without it (each repository ranked by weights fitted on the others, `embedding` zeroed);
 * then, for each report whose right file is not first, does the right file's cosine beat the
 * winner's? And over every report, where does the right file's cosine fall among the best 20
 * candidates (0 = lowest, 1 = highest; chance 0.5)?
 */
export interface WordVectorCount {
  reports: number;
  misses: number;
  /** Misses where the right file's cosine is above the winner's. */
  goldAbove: number;
  /** The same question asked of the bridge feature, for comparison. */
  bridgeAbove: number;
  /** Mean percentile of the right file's cosine among the best 20 (chance 0.5). */
  meanPercentile: number;
  /** Reports whose right file has the highest cosine among the best 20. */
  goldHighest: number;
  rows: { id: string; goldRank: number; gold: number; winner: number; winnerPath: string }[];
}

function zeroed(g: FitGroup): FitGroup {
  return { ...g, fileRows: g.fileRows.map((x) => ({ ...x, embedding: 0 })) };
}

export function countWordVectorSignal(groups: readonly FitGroup[]): WordVectorCount {
  const plain = groups.map(zeroed);
  const out: WordVectorCount = {
    reports: 0,
    misses: 0,
    goldAbove: 0,
    bridgeAbove: 0,
    meanPercentile: 0,
    goldHighest: 0,
    rows: [],
  };
  let percentiles = 0;
  for (const repo of [...new Set(groups.map((g) => g.repo))].sort()) {
    const weights: RankerWeights = fitWeights(plain.filter((g) => g.repo !== repo));
    groups.forEach((g, gi) => {
      if (g.repo !== repo) return;
      const scored = (plain[gi] as FitGroup).fileRows
        .map((x, i) => ({ i, s: fileScore(weights, x) }))
        .sort((a, b) => b.s - a.s || a.i - b.i);
      const goldAt = scored.findIndex((r) => g.fileLabels[r.i]);
      if (goldAt < 0) return;
      out.reports++;
      const emb = (i: number): number => g.fileRows[i]?.embedding ?? 0;
      const gold = scored[goldAt]?.i as number;
      const top = scored.slice(0, 20);
      const others = top.filter((r) => r.i !== gold);
      const below = others.filter((r) => emb(r.i) < emb(gold)).length;
      percentiles += others.length > 0 ? below / others.length : 0.5;
      if (others.every((r) => emb(r.i) < emb(gold))) out.goldHighest++;
      if (goldAt === 0) return;
      out.misses++;
      const winner = scored[0]?.i as number;
      if (emb(gold) > emb(winner)) out.goldAbove++;
      if ((g.fileRows[gold]?.bridge ?? 0) > (g.fileRows[winner]?.bridge ?? 0)) out.bridgeAbove++;
      out.rows.push({
        id: g.id,
        goldRank: goldAt + 1,
        gold: emb(gold),
        winner: emb(winner),
        winnerPath: g.filePaths[winner] ?? "",
      });
    });
  }
  out.meanPercentile = out.reports > 0 ? percentiles / out.reports : 0;
  return out;
}
