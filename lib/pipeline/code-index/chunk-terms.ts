import { bigrams, countInto, tokenize, wordSequence } from "./tokenize";
import type { Chunk, TermField } from "./types";

/** How a chunk's term counts are filled, for the syntax-tree walk and the text fallback alike. */

const MAX_TOKENS_PER_LEAF = 64;

export function addTerms(chunk: Chunk, field: TermField, terms: Iterable<string>): void {
  let counts = chunk.fields[field];
  if (!counts) {
    counts = {};
    chunk.fields[field] = counts;
  }
  countInto(counts, terms);
}

/** A string literal: its words, and its adjacent word pairs (to match quoted error messages). */
export function addString(chunk: Chunk, text: string): void {
  const clean = text.replace(/\\[nrtvf0abe]/g, " ").replace(/%[-+ #0-9.]*[a-zA-Z]/g, " ");
  const words = wordSequence(clean).slice(0, MAX_TOKENS_PER_LEAF);
  addTerms(chunk, "str", tokenize(clean).slice(0, MAX_TOKENS_PER_LEAF));
  addTerms(chunk, "sbi", bigrams(words));
}

export function fileChunk(lines: number): Chunk {
  return {
    name: "<file>",
    qname: "<file>",
    kind: "file",
    startLine: 1,
    endLine: Math.max(1, lines),
    parent: -1,
    fields: {},
  };
}

/** Drop empty fields, so a chunk serialises the same however it was filled. */
export function dropEmptyFields(chunk: Chunk): void {
  for (const f of Object.keys(chunk.fields) as TermField[]) {
    const counts = chunk.fields[f];
    if (!counts || Object.keys(counts).length === 0) delete chunk.fields[f];
  }
}
