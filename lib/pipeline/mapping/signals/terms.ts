import { bigrams, stem, tokenize, wordSequence } from "../../code-index/tokenize";
import type { ReportText } from "./report-text";

/**
 * Weighted words of a report: the whole query, the title alone and code alone. Title words weigh
 * 3×, inline code 2×; quoted messages and code lines add their word pairs.
 */

/**
 * Words of issue templates and bug-report prose ("what version … expected behaviour … steps to
 * reproduce") that say nothing about where the bug is. Dropped from prose, kept in code.
 */
const TEMPLATE_WORDS = new Set(
  (
    "version bug describe description expected expect behavior behaviour actual reproduce steps step " +
    "environment issue please thank thanks information info os operating system install installed " +
    "installation happen happened happens see saw seen instead hi hello problem question work works " +
    "working worked try tried trying way something anything thing think know want need would like " +
    "still also however example following below above here there current currently latest " +
    "release released"
  )
    .split(" ")
    .filter((w) => w !== "")
    .map(stem),
);

/** Weight of a word of pasted output's residue (a code block's word weighs 0.5). */
export const RESIDUE_WEIGHT = 0.1;

/** Keep the `max` heaviest terms (ties by term), so long logs do not slow queries down. */
function limitTerms(terms: Map<string, number>, max: number): void {
  if (terms.size <= max) return;
  const kept = [...terms.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max);
  terms.clear();
  for (const [t, w] of kept) terms.set(t, w);
}

function notTemplate(term: string): boolean {
  return !TEMPLATE_WORDS.has(term);
}

function addTerms(into: Map<string, number>, terms: Iterable<string>, weight: number): void {
  for (const t of terms) into.set(t, (into.get(t) ?? 0) + weight);
}

/** Hyphenated names written like flags or keys: `--max-count`, `word-regexp`, `tab-width`. */
function kebabNames(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(
    /(?:^|[\s`(=,[])-{0,2}([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)+)(?![\w-])/gi,
  )) {
    const name = (m[1] ?? "").toLowerCase();
    if (name.length >= 5 && name.length <= 40) out.add(name);
  }
  return [...out];
}

export interface QueryTerms {
  terms: Map<string, number>;
  titleTerms: Map<string, number>;
  codeTerms: Map<string, number>;
  /** Kebab-case names the report writes (`max-count`), also read as symbols. */
  kebab: string[];
}

export function queryTerms(text: ReportText): QueryTerms {
  const { title, all, blocks, inline, prose, code } = text;
  const terms = new Map<string, number>();
  addTerms(terms, tokenize(title).filter(notTemplate), 3);
  addTerms(terms, tokenize(prose).filter(notTemplate), 1);
  addTerms(terms, tokenize(inline.join("\n")), 2);
  addTerms(terms, tokenize(blocks.join("\n")), 0.5);
  // What is left of pasted output still names things, but counts little (no pairs, no code).
  // A word repeated on every line of a log counts by the logarithm of its repeats.
  const residueCounts = new Map<string, number>();
  addTerms(residueCounts, tokenize(text.residue), 1);
  for (const [t, n] of residueCounts) addTerms(terms, [t], RESIDUE_WEIGHT * (1 + Math.log(n)));
  // Kebab-case names (`--max-count`, `tab-width: 4`) are written snake- or camelCase in the
  // code that reads them (`max_count`, `tabWidth`): match their whole form as an identifier.
  const kebab = kebabNames(`${title}\n${inline.join("\n")}\n${prose}`);
  addTerms(
    terms,
    kebab.map((k) => stem(k.replace(/-/g, ""))),
    2,
  );
  // Word pairs: quoted messages and code say what a string literal in the code might say.
  addTerms(terms, bigrams(wordSequence(title)), 1.5);
  for (const q of all.matchAll(/"([^"\n]{6,300})"|'([^'\n]{6,300})'/g)) {
    addTerms(terms, bigrams(wordSequence(q[1] ?? q[2] ?? "")), 2);
  }
  for (const line of code.split("\n")) addTerms(terms, bigrams(wordSequence(line)), 0.7);
  for (const line of prose.split(/[.\n]/)) addTerms(terms, bigrams(wordSequence(line)), 0.3);
  const titleTerms = new Map<string, number>();
  addTerms(titleTerms, tokenize(title).filter(notTemplate), 1);
  addTerms(titleTerms, bigrams(wordSequence(title)), 0.5);
  const codeTerms = new Map<string, number>();
  addTerms(codeTerms, tokenize(inline.join("\n")), 1);
  addTerms(codeTerms, tokenize(blocks.join("\n")), 0.5);
  for (const q of all.matchAll(/"([^"\n]{6,300})"|'([^'\n]{6,300})'/g)) {
    addTerms(codeTerms, bigrams(wordSequence(q[1] ?? q[2] ?? "")), 1);
  }
  for (const line of code.split("\n")) addTerms(codeTerms, bigrams(wordSequence(line)), 0.5);
  for (const m of [terms, titleTerms, codeTerms]) limitTerms(m, 200);
  // Dampen words repeated in long logs.
  for (const m of [terms, titleTerms, codeTerms]) {
    for (const [t, w] of m) m.set(t, Math.sqrt(w) * Math.min(1, 1 + Math.log(w) / 4));
  }
  return { terms, titleTerms, codeTerms, kebab };
}
