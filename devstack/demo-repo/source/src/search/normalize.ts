/**
 * Text normalisation shared by the search index and the query parser, so that a product and a
 * query that a shopper would consider "the same words" produce the same terms.
 */

const STOP_WORDS = new Set(["a", "an", "and", "the", "of", "for", "with", "in", "on", "to"]);

/** Lower-case, split on anything that is not a letter or digit, drop stop words. */
export function normalizeTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0 && !STOP_WORDS.has(term));
}

/** Very light English plural folding: "mugs" → "mug", "boxes" → "box", "glasses" → "glass". */
export function singular(term: string): string {
  if (term.length > 4 && term.endsWith("ies")) return `${term.slice(0, -3)}y`;
  if (term.length > 4 && /(ch|sh|x|ss)es$/.test(term)) return term.slice(0, -2);
  if (term.length > 3 && term.endsWith("s") && !term.endsWith("ss")) return term.slice(0, -1);
  return term;
}

export function searchTerms(text: string): string[] {
  return normalizeTerms(text).map(singular);
}
