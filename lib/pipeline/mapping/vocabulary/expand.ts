import { tokenize } from "../../code-index/tokenize";
import type { BridgeTable } from "./types";

/**
 * A report's words carried over the vocabulary bridge: each weighted query word's code terms,
 * weighted by the association's strength × the word's weight, summed over the report's words
 * (a code term several report words predict counts more). A target the report already uses is
 * left out, since the lexical match counts it; word pairs (`a_b`) are not looked up.
 */

export interface BridgeExpansion {
  /** Code term → weight, the heaviest `max` only. */
  terms: Map<string, number>;
  /** Code term → the report words that predict it, strongest first (for explanations). */
  via: Map<string, string[]>;
  /** Report word (a stem) → the word as the report writes it, when known (`timezon` → `timezone`). */
  surface: Map<string, string>;
}

export interface ExpandOptions {
  /** Expansion terms kept (48). */
  max?: number;
  /** Associations weaker than this are ignored (0.05). */
  minStrength?: number;
}

export function expandQuery(
  query: ReadonlyMap<string, number>,
  table: BridgeTable,
  options: ExpandOptions = {},
): BridgeExpansion {
  const max = options.max ?? 48;
  const minStrength = options.minStrength ?? 0.05;
  const weight = new Map<string, number>();
  const sources = new Map<string, [string, number][]>();
  // Query order is insertion order (title first), but sums are commutative only up to rounding:
  // visit words sorted so the same report always gives bit-identical weights.
  for (const word of [...query.keys()].sort()) {
    if (word.includes("_")) continue;
    const targets = table.words.get(word);
    if (!targets) continue;
    const w = query.get(word) ?? 0;
    if (w <= 0) continue;
    for (const [term, strength] of targets) {
      if (strength < minStrength || query.has(term)) continue;
      const e = w * strength;
      weight.set(term, (weight.get(term) ?? 0) + e);
      const list = sources.get(term) ?? [];
      list.push([word, e]);
      sources.set(term, list);
    }
  }
  const kept = [...weight.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max);
  const via = new Map<string, string[]>();
  for (const [term] of kept) {
    const list = (sources.get(term) ?? []).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    via.set(
      term,
      list.map(([w]) => w),
    );
  }
  return { terms: new Map(kept), via, surface: new Map() };
}

/** Record how the report writes each bridged word: the first of its spellings in `text`. */
export function addSurfaceWords(expansion: BridgeExpansion, text: string): void {
  const wanted = new Set<string>();
  for (const words of expansion.via.values()) for (const w of words) wanted.add(w);
  if (wanted.size === 0) return;
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*/g)) {
    const word = m[0].toLowerCase();
    if (word.length > 40) continue;
    for (const t of tokenize(word)) {
      if (wanted.has(t) && !expansion.surface.has(t)) expansion.surface.set(t, word);
    }
    if (expansion.surface.size === wanted.size) return;
  }
}

/**
 * Matched code terms of a result grouped by the report word that predicts them, in words:
 * "'timezone' in the report is often fixed in code that says 'utc', 'offset'".
 */
export function describeBridge(
  matched: readonly { term: string; score: number }[],
  expansion: BridgeExpansion,
  maxWords = 2,
): string {
  const byWord = new Map<string, string[]>();
  for (const { term } of matched) {
    const word = expansion.via.get(term)?.[0];
    if (!word) continue;
    const list = byWord.get(word) ?? [];
    if (list.length < 3) list.push(term);
    byWord.set(word, list);
  }
  return [...byWord.entries()]
    .slice(0, maxWords)
    .map(
      ([word, terms]) =>
        `'${expansion.surface.get(word) ?? word}' in the report is often fixed in code that says ${terms.map((t) => `'${t}'`).join(", ")}`,
    )
    .join("; ");
}
