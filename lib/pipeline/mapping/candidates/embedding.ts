import type { Bm25fCollection } from "../bm25f";
import type { SearchIndex } from "../search-index";
import type { QuerySignals } from "../signals";
import { addRow, cosine, type WordVectors } from "../vocabulary/wordvec";
import type { CandidateSet } from "./candidate-set";

/**
 * Word-vector evidence (`vocabulary/wordvec.ts`): the report as one vector (its weighted words'
 * vectors, each × the word's weight × its IDF over files) against each candidate file and
 * function as one vector (its code terms' vectors, each × IDF × (1 + log tf)), compared by
 * cosine. Unlike the bridge's expansion, a report word and a code term never seen together still
 * meet through the words and terms they share contexts with. Only files and functions already
 * candidates get the feature: a cosine over a whole repository would lift what merely sounds like
 * the project.
 */

/** Each file's and chunk's vector, computed once per search index and vectors. */
interface DocVectors {
  vectors: WordVectors;
  dims: number;
  files: Float32Array;
  chunks: Float32Array;
}

const cache = new WeakMap<SearchIndex, DocVectors>();

function docVector(
  into: Float64Array,
  v: WordVectors,
  fields: Iterable<Readonly<Record<string, number>> | undefined>,
  collection: Bm25fCollection,
): void {
  const tf = new Map<string, number>();
  for (const counts of fields) {
    if (!counts) continue;
    for (const [t, n] of Object.entries(counts)) tf.set(t, (tf.get(t) ?? 0) + n);
  }
  // Sorted, so the sum is the same whatever order the index's records list terms in.
  for (const t of [...tf.keys()].sort()) {
    const row = v.terms.get(t);
    if (row === undefined) continue;
    addRow(into, v.termVecs, v.termScale, row, collection.idf(t) * (1 + Math.log(tf.get(t) ?? 1)));
  }
}

/** Vectors of every file and chunk of the index (built on first use; reused for every query). */
export function docVectors(index: SearchIndex, v: WordVectors): DocVectors {
  const hit = cache.get(index);
  if (hit && hit.vectors === v) return hit;
  const k = v.dims;
  const files = new Float32Array(index.files.length * k);
  const chunks = new Float32Array(index.chunks.length * k);
  const tmp = new Float64Array(k);
  for (const [i, f] of index.files.entries()) {
    tmp.fill(0);
    docVector(tmp, v, Object.values(f.fields), index.fileCollection);
    files.set(tmp, i * k);
  }
  for (const [i, c] of index.chunks.entries()) {
    tmp.fill(0);
    docVector(tmp, v, Object.values(c.chunk.fields), index.chunkCollection);
    chunks.set(tmp, i * k);
  }
  const out = { vectors: v, dims: k, files, chunks };
  cache.set(index, out);
  return out;
}

/** The report's vector: its words (not word pairs), each × weight × IDF over files. */
export function reportVector(
  index: SearchIndex,
  terms: ReadonlyMap<string, number>,
  v: WordVectors,
): Float64Array {
  const out = new Float64Array(v.dims);
  for (const word of [...terms.keys()].sort()) {
    if (word.includes("_")) continue;
    const row = v.words.get(word);
    const w = terms.get(word) ?? 0;
    if (row === undefined || w <= 0) continue;
    addRow(out, v.wordVecs, v.wordScale, row, w * index.fileCollection.idf(word));
  }
  return out;
}

export function addEmbedding(set: CandidateSet, signals: QuerySignals, v: WordVectors): void {
  const { index } = set;
  const r = reportVector(index, signals.terms, v);
  if (r.every((x) => x === 0)) return;
  const docs = docVectors(index, v);
  for (const c of set.fileCandidates()) c.x.embedding = cosine(r, docs.files, c.id * docs.dims);
  for (const c of set.chunkCandidates()) c.x.embedding = cosine(r, docs.chunks, c.id * docs.dims);
}

/**
 * The pairs behind a high cosine, in words: the report words whose vectors lean most towards the
 * document's, each with the document's terms closest to it ("'timezone' ~ 'utc', 'offset'").
 */
export function describeEmbedding(
  index: SearchIndex,
  signals: QuerySignals,
  v: WordVectors,
  kind: "file" | "chunk",
  id: number,
  maxWords = 2,
): string {
  const docs = docVectors(index, v);
  const d = kind === "file" ? docs.files : docs.chunks;
  const o = id * docs.dims;
  const dv = new Float64Array(docs.dims);
  for (let j = 0; j < docs.dims; j++) dv[j] = d[o + j] as number;
  const words: [string, Float64Array, number][] = [];
  for (const word of [...signals.terms.keys()].sort()) {
    const row = v.words.get(word);
    if (word.includes("_") || row === undefined) continue;
    const wv = new Float64Array(docs.dims);
    addRow(wv, v.wordVecs, v.wordScale, row, 1);
    words.push([word, wv, cosine(wv, dv)]);
  }
  words.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
  const fields = kind === "file" ? index.files[id]?.fields : index.chunks[id]?.chunk.fields;
  const terms = new Set<string>();
  for (const counts of Object.values(fields ?? {}))
    for (const t of Object.keys(counts ?? {})) if (v.terms.has(t)) terms.add(t);
  const parts: string[] = [];
  for (const [word, wv] of words.slice(0, maxWords)) {
    const near = [...terms]
      .filter((t) => t !== word)
      .map((t) => {
        const tv = new Float64Array(docs.dims);
        addRow(tv, v.termVecs, v.termScale, v.terms.get(t) as number, 1);
        return [t, cosine(wv, tv)] as const;
      })
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 2)
      .map(([t]) => `'${t}'`);
    if (near.length > 0)
      parts.push(`'${signals.bridge?.surface.get(word) ?? word}' ~ ${near.join(", ")}`);
  }
  return parts.length > 0 ? `the report's words are close to this code's: ${parts.join("; ")}` : "";
}
