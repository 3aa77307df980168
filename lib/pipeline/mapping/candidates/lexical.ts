import type { FieldScores } from "../bm25f";
import {
  FILE_FEATURES,
  type FieldFeature,
  type FileFeature,
  FUNCTION_FEATURES,
  type FunctionFeature,
} from "../features";
import type { QuerySignals } from "../signals";
import type { CandidateSet } from "./candidate-set";

/**
 * Word evidence: field-weighted BM25 over files and over chunks, each field's share of the score,
 * the same ranking on the title alone and on code alone, and how a file's functions match.
 * Scores are divided by the best file's (or chunk's) so they are comparable across queries.
 */

function maxTotal(scores: ReadonlyMap<number, FieldScores>): number {
  let max = 1e-9;
  for (const s of scores.values()) max = Math.max(max, s.total);
  return max;
}

/** `[position in FieldScores.fields, feature]` for each field that has a `lex_<field>` feature. */
function fieldFeatures<T extends string>(
  fieldNames: readonly string[],
  features: readonly T[],
): [number, T & FieldFeature][] {
  const out: [number, T & FieldFeature][] = [];
  fieldNames.forEach((name, k) => {
    const feature = `lex_${name}` as T & FieldFeature;
    if (features.includes(feature)) out.push([k, feature]);
  });
  return out;
}

/** The whole query's word match over files and chunks; returns the chunk scores for later steps. */
export function addLexical(
  set: CandidateSet,
  signals: QuerySignals,
): { chunkLex: Map<number, FieldScores>; maxChunk: number; maxFile: number } {
  const { index } = set;
  const fileLex = index.fileCollection.score(signals.terms);
  const chunkLex = index.chunkCollection.score(signals.terms);
  const maxFile = maxTotal(fileLex);
  const maxChunk = maxTotal(chunkLex);

  const fileFields = fieldFeatures<FileFeature>(index.fileCollection.fieldNames(), FILE_FEATURES);
  for (const [id, s] of fileLex) {
    const c = set.file(id);
    c.x.lexical = s.total / maxFile;
    for (const [k, feature] of fileFields) c.x[feature] = (s.fields[k] as number) / maxFile;
  }
  const chunkMass = index.chunkCollection.queryMass(signals.terms);
  const chunkFields = fieldFeatures<FunctionFeature>(
    index.chunkCollection.fieldNames(),
    FUNCTION_FEATURES,
  );
  for (const [id, s] of chunkLex) {
    const c = set.chunk(id);
    const n = s.total / maxChunk;
    c.x.lexical = n;
    // The idf-weighted share of the query's words the chunk contains.
    c.x.coverage = chunkMass > 0 ? s.matched / chunkMass : 0;
    for (const [k, feature] of chunkFields) c.x[feature] = (s.fields[k] as number) / maxChunk;
    const fc = set.file(c.file);
    if (n > fc.x.best_function) {
      fc.x.best_function = n;
      fc.notes.best_function = [index.chunks[id]?.chunk.qname ?? ""];
    }
  }
  return { chunkLex, maxChunk, maxFile };
}

/** The same ranking on the title alone and on code alone (`lex_title`, `lex_code`). */
export function addTitleAndCode(set: CandidateSet, signals: QuerySignals): void {
  const { index } = set;
  for (const [query, feature] of [
    [signals.titleTerms, "lex_title"],
    [signals.codeTerms, "lex_code"],
  ] as const) {
    if (query.size === 0) continue;
    const fs = index.fileCollection.score(query);
    const max = maxTotal(fs);
    for (const [id, s] of fs) set.file(id).x[feature] = s.total / max;
    const cs = index.chunkCollection.score(query);
    const maxC = maxTotal(cs);
    for (const [id, s] of cs) set.chunk(id).x[feature] = s.total / maxC;
  }
}

/** Sum of the three best functions of each file: a file with several matching functions. */
export function addFunctionSums(
  set: CandidateSet,
  chunkLex: ReadonlyMap<number, FieldScores>,
  maxChunk: number,
): void {
  const perFileTop = new Map<number, number[]>();
  for (const [id, s] of chunkLex) {
    const f = set.index.chunks[id]?.file as number;
    const list = perFileTop.get(f) ?? [];
    list.push(s.total / maxChunk);
    perFileTop.set(f, list);
  }
  for (const [f, list] of perFileTop) {
    const top3 = list.sort((a, b) => b - a).slice(0, 3);
    set.file(f).x.function_sum = top3.reduce((a, b) => a + b, 0);
  }
}

/** A function's lexical score relative to the best function of its file. */
export function addWithinFile(set: CandidateSet): void {
  const bestInFile = new Map<number, number>();
  for (const c of set.chunkCandidates())
    bestInFile.set(c.file, Math.max(bestInFile.get(c.file) ?? 0, c.x.lexical));
  for (const c of set.chunkCandidates()) {
    const best = bestInFile.get(c.file) ?? 0;
    c.x.within_file = best > 0 ? c.x.lexical / best : 0;
  }
}
