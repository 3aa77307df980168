/**
 * The vocabulary bridge's data: which words of a report predict which words of the code its fix
 * changed. One learner (`learn.ts`) turns fix pairs into a table, offline over public fix history
 * (the shipped table) and per workspace over that repository's own history and its people's
 * corrections; the ranker reads a table and never learns. Training code that reads public
 * repositories lives apart, under `lib/pipeline/mapping/training/` and `scripts/`.
 */

/** One changed place of a fix: a function (or a file-level region when `name` is null). */
export interface FixCode {
  path: string;
  /** The enclosing function or method, as our chunker names it; null for top-level code. */
  name: string | null;
  /**
   * Words of that code: identifiers (whole, lower-cased, and their parts), words of its string
   * literals and of its path, tokenised by `code-index/tokenize.ts` so they meet the index's terms.
   */
  terms: string[];
}

/** What people wrote about a fix, and the code the fix changed. */
export interface FixPair {
  /** Where it comes from, for reports (`owner/name@sha`, `bug:<id>`). */
  source: string;
  /** Commit subject and body (trailers stripped), an issue title and body, or a bug's report. */
  text: string;
  code: FixCode[];
  /**
   * How much this pair counts (1 a commit; more for a merged fix of a Patchline bug; a mismapped
   * location is a negative pair: its words are evidence *against* that code).
   */
  weight?: number;
}

/** A learned association: a code term, and how strongly a report word predicts it (0..1]. */
export type BridgeTarget = readonly [term: string, strength: number];

export interface BridgeTable {
  version: 1;
  /** What it was learned from, in words ("public fix history, 57 repositories", "acme/api"). */
  source: string;
  /** How many pairs it was learned from. */
  pairs: number;
  /** Report word (a stemmed query term) → code terms it predicts, strongest first. */
  words: Map<string, readonly BridgeTarget[]>;
}
