/**
 * Tokenisation shared by the indexer and the mapper, so both sides produce the same terms.
 * Identifiers are split on snake_case, kebab-case and camelCase; the whole identifier is kept too
 * (lower-cased) so an exact identifier match scores above a match on its parts.
 */

const ENGLISH_STOPWORDS = new Set(
  (
    "a an and are as at be but by for from has have he i if in into is it its of on or our so " +
    "that the their then there these they this to was we were what when where which while who " +
    "will with would you your not no can could should do does did done been being am also just " +
    "than too very only any all some such get got use used using like one two how why me my us"
  ).split(" "),
);

/**
 * Keywords common to the supported languages: they say nothing about where a bug is. Written
 * capitalised (`Mod`, `Match`, `Range`) they are names of classes and types, and are kept.
 */
const KEYWORDS = new Set(
  (
    "func fn def function return var let const int void public private protected static final " +
    "self this new null nil none true false import package struct class impl pub mut else elif return " +
    "switch case break continue try catch throw throws extends implements interface enum type " +
    "while for loop match mod crate super bool char long short unsigned signed auto typedef " +
    "include define ifdef ifndef endif std string str usize isize u8 u16 u32 u64 i32 i64 f32 f64 " +
    "float double byte go defer range chan map make len append err error ok"
  ).split(" "),
);

/** Words that are stopwords in prose but meaningful as identifiers keep their identifier form. */
const WORD_RE = /[A-Za-z_][A-Za-z0-9_]*|[0-9]+[A-Za-z_][A-Za-z0-9_]*/g;

/** Split an identifier into lower-case parts: `HTTPServer_error2` → `http`, `server`, `error2`. */
export function splitIdentifier(word: string): string[] {
  const parts: string[] = [];
  for (const piece of word.split(/[_\-$]+/)) {
    if (!piece) continue;
    const sub = piece.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[A-Z]/g);
    if (!sub) continue;
    for (const s of sub) parts.push(s.toLowerCase());
  }
  return parts;
}

/**
 * Light, language-neutral stemming so `close`, `closed`, `closing` and `closes` meet: plural
 * endings, then `-ing`/`-ed` when at least four letters remain, then a final `e`.
 */
export function stem(term: string): string {
  if (term.length <= 3) return term;
  let t = term;
  if (t.endsWith("ies") && t.length > 4) t = `${t.slice(0, -3)}y`;
  else if (t.endsWith("sses")) t = t.slice(0, -2);
  else if (t.endsWith("s") && !t.endsWith("ss") && !t.endsWith("us") && !t.endsWith("is"))
    t = t.slice(0, -1);
  if (t.endsWith("ing") && t.length >= 7) t = t.slice(0, -3);
  else if (t.endsWith("ed") && t.length >= 6) t = t.slice(0, -2);
  if (t.endsWith("e") && t.length >= 5) t = t.slice(0, -1);
  return t;
}

function keep(term: string, capitalised = false): boolean {
  return (
    term.length >= 2 &&
    term.length <= 40 &&
    !ENGLISH_STOPWORDS.has(term) &&
    (capitalised || !KEYWORDS.has(term)) &&
    !/^[0-9]+$/.test(term) &&
    !/^0x[0-9a-f]+$/.test(term)
  );
}

/**
 * Terms of a piece of text (code or prose), in order. Each identifier yields its parts, and also
 * its whole lower-cased form when it has more than one part.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0];
    if (word.length > 80) continue;
    const parts = splitIdentifier(word);
    if (parts.length > 1) {
      const whole = word.toLowerCase().replace(/[_$]+/g, "");
      if (keep(whole)) out.push(stem(whole));
    }
    // A lone capitalised word (`Mod`, `Range`) is a type's name, not a keyword.
    const capitalised = parts.length === 1 && /^[A-Z][a-z]/.test(word);
    for (const p of parts) {
      if (keep(p, capitalised)) out.push(stem(p));
    }
  }
  return out;
}

/**
 * Terms in reading order without the whole-identifier forms: used to build adjacent-word pairs
 * (bigrams) for matching quoted messages against string literals.
 */
export function wordSequence(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    if (m[0].length > 80) continue;
    for (const p of splitIdentifier(m[0])) {
      if (p.length >= 2 && !/^[0-9]+$/.test(p)) out.push(stem(p));
    }
  }
  return out;
}

/** Adjacent-word pairs of a word sequence, as `a_b` terms. */
export function bigrams(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]}_${words[i + 1]}`);
  return out;
}

/**
 * A term's count in a map, own keys only: terms such as `constructor` or `toString` must not
 * read the object prototype.
 */
export function countOf(counts: Record<string, number> | undefined, term: string): number {
  return counts !== undefined && Object.hasOwn(counts, term) ? (counts[term] as number) : 0;
}

/** Count terms into a map. */
export function countInto(counts: Record<string, number>, terms: Iterable<string>): void {
  for (const t of terms) counts[t] = countOf(counts, t) + 1;
}

/** Add one map of term counts into another. */
export function mergeCounts(
  into: Record<string, number>,
  from: Record<string, number> | undefined,
): void {
  if (!from) return;
  for (const [t, n] of Object.entries(from)) into[t] = countOf(into, t) + n;
}

/** Terms of a repository path: each directory and the base name, split as identifiers. */
export function pathTerms(path: string): string[] {
  const noExt = path.replace(/\.[A-Za-z0-9]+$/, "");
  const out = tokenize(noExt.replace(/[/.]/g, " "));
  const base = noExt.split("/").pop() ?? "";
  const whole = base.toLowerCase().replace(/[_\-$.]+/g, "");
  if (whole.length >= 2) out.push(stem(whole));
  return out;
}
