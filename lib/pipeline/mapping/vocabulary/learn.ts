import { tokenize } from "../../code-index/tokenize";
import type { BridgeTable, BridgeTarget, FixPair } from "./types";

/**
 * The one learner of the vocabulary bridge, used offline over public fix history and per
 * workspace over a repository's own commits and corrections: pairs in, table out, deterministic.
 *
 * Association: weighted co-occurrence of a report word and a code term across pairs, scored by
 * normalised pointwise mutual information (1 = they only ever appear together, 0 = independent),
 * kept when seen together in at least `minPairs` pairs. A word's own term is left out: the
 * lexical signals already match a word with itself; the bridge is for the other words.
 */

export interface LearnOptions {
  /** Pairs a word and a term must share before they are associated. */
  minPairs?: number;
  /** Code terms kept per report word. */
  perWord?: number;
  /** Pairs whose changed code has more terms than this are refactors, not fixes: skipped. */
  maxCodeTerms?: number;
  /** Report words read per pair (the first ones; subjects come first). */
  maxWords?: number;
  source?: string;
}

const DEFAULTS = { minPairs: 3, perWord: 12, maxCodeTerms: 400, maxWords: 60 } as const;

/** Unique terms of a pair's text, in first-seen order, capped. */
export function reportWords(text: string, max: number): string[] {
  const seen = new Set<string>();
  for (const t of tokenize(text)) {
    if (seen.size >= max) break;
    seen.add(t);
  }
  return [...seen];
}

export function codeTerms(pair: FixPair): string[] {
  const seen = new Set<string>();
  for (const c of pair.code) for (const t of c.terms) seen.add(t);
  return [...seen];
}

export function learnBridge(pairs: Iterable<FixPair>, options: LearnOptions = {}): BridgeTable {
  const o = { ...DEFAULTS, ...options };
  const wordCount = new Map<string, number>();
  const termCount = new Map<string, number>();
  const together = new Map<string, Map<string, number>>();
  let total = 0;
  let used = 0;
  for (const pair of pairs) {
    const terms = codeTerms(pair);
    if (terms.length === 0 || terms.length > o.maxCodeTerms) continue;
    const words = reportWords(pair.text, o.maxWords);
    if (words.length === 0) continue;
    const w = pair.weight ?? 1;
    used++;
    if (w > 0) {
      total += w;
      for (const x of words) wordCount.set(x, (wordCount.get(x) ?? 0) + w);
      for (const t of terms) termCount.set(t, (termCount.get(t) ?? 0) + w);
    }
    for (const x of words) {
      let row = together.get(x);
      if (!row) {
        row = new Map();
        together.set(x, row);
      }
      for (const t of terms) if (t !== x) row.set(t, (row.get(t) ?? 0) + w);
    }
  }
  const words = new Map<string, readonly BridgeTarget[]>();
  if (total === 0) return { version: 1, source: o.source ?? "", pairs: used, words };
  for (const [x, row] of [...together.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const nx = wordCount.get(x) ?? 0;
    if (nx <= 0) continue;
    const targets: BridgeTarget[] = [];
    for (const [t, nxt] of row) {
      if (nxt < o.minPairs) continue;
      const nt = termCount.get(t) ?? 0;
      const pxt = nxt / total;
      const pmi = Math.log(pxt / ((nx / total) * (nt / total)));
      const npmi = pmi / -Math.log(pxt);
      if (npmi > 0) targets.push([t, Math.min(1, Math.round(npmi * 1000) / 1000)]);
    }
    if (targets.length === 0) continue;
    targets.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    words.set(x, targets.slice(0, o.perWord));
  }
  return { version: 1, source: o.source ?? "", pairs: used, words };
}
