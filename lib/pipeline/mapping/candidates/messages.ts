import type { QuerySignals } from "../signals";
import type { CandidateSet } from "./candidate-set";

/**
 * Quoted messages and error lines of logs: the share of a message's word pairs found in one
 * chunk's string literals (at least half), shared among the files that hold it.
 */
export function addMessages(set: CandidateSet, signals: QuerySignals): void {
  const { index } = set;
  for (const m of signals.messages) {
    const hits = new Map<number, number>();
    for (const pair of m.pairs)
      for (const d of index.chunkCollection.postingsOf("sbi", pair))
        hits.set(d, (hits.get(d) ?? 0) + 1);
    const matched = [...hits.entries()]
      .map(([d, n]) => [d, n / m.pairs.length] as const)
      .filter(([, share]) => share >= 0.5);
    if (matched.length === 0 || matched.length > 20) continue;
    const files = new Set(matched.map(([d]) => index.chunks[d]?.file as number));
    for (const [d, share] of matched)
      set.addChunk(
        d,
        "message",
        share / Math.sqrt(files.size),
        `"${m.raw}" (${Math.round(share * 100)}% of its word pairs)`,
      );
    const best = new Map<number, number>();
    for (const [d, share] of matched) {
      const f = index.chunks[d]?.file as number;
      best.set(f, Math.max(best.get(f) ?? 0, share));
    }
    for (const [f, share] of best)
      set.addFile(f, "message", share / Math.sqrt(files.size), `"${m.raw}"`);
  }
}
