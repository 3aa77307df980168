import { z } from "zod";
import { codeTerms, reportWords } from "./learn";
import type { FixPair } from "./types";

/**
 * Word vectors for the vocabulary bridge, trained here on CPU from the same fix pairs as the
 * association table (`learn.ts`): a cross-space LSA. The matrix report word × code term holds the
 * positive pointwise mutual information of the two over pairs (a pair's words and its fix's code
 * terms are one context); its truncated SVD (randomized, seeded, one power iteration) gives every
 * report word and every code term a vector in one space, so that a word's vector · a term's
 * vector ≈ their PPMI. Unlike the table, the vectors generalise through shared contexts: a word
 * and a term that were never seen together directly are still close when they share the words
 * and terms they are seen with. A whole report and a whole file (or function) are then compared
 * as one cosine (`embedding.ts`).
 *
 * Deterministic: words and terms sorted, counts summed in a fixed order, the random projection
 * drawn from a seeded generator, so the same pairs give the same vectors bit for bit.
 */

export interface WordVectorOptions {
  /** Dimensions kept (128). */
  dims?: number;
  /** Pairs a report word or a code term must occur in to get a vector (5). */
  minCount?: number;
  /** Pairs a word and a term must share before their PMI counts (2). */
  minPairs?: number;
  /** Code terms kept, the most frequent (60,000). */
  maxTerms?: number;
  /** Report words kept, the most frequent (30,000). */
  maxWords?: number;
  /** Pairs whose changed code has more terms than this are refactors, not fixes: skipped (400). */
  maxCodeTerms?: number;
  /** Report words read per pair (60). */
  wordsPerPair?: number;
  /** Context-distribution smoothing of code terms' probabilities (0.75; Levy et al. 2015). */
  alpha?: number;
  /** Power iterations of the randomized SVD (1). */
  powerIterations?: number;
  /** Seed of the random projection. */
  seed?: number;
  /** Cells of the dense co-occurrence bucket counted at once (bounds memory; 16,000,000). */
  maxCells?: number;
  source?: string;
}

/** Report words and code terms with their vectors, quantised to int8 with a scale per row. */
export interface WordVectors {
  version: 1;
  source: string;
  pairs: number;
  dims: number;
  /** Report word → row of `wordVecs`. */
  words: Map<string, number>;
  /** Code term → row of `termVecs`. */
  terms: Map<string, number>;
  wordVecs: Int8Array;
  wordScale: Float32Array;
  termVecs: Int8Array;
  termScale: Float32Array;
}

const DEFAULTS = {
  dims: 128,
  minCount: 5,
  minPairs: 2,
  maxTerms: 60_000,
  maxWords: 30_000,
  maxCodeTerms: 400,
  wordsPerPair: 60,
  alpha: 0.75,
  powerIterations: 1,
  seed: 19,
  maxCells: 16_000_000,
} as const;

/** Mulberry32: a small seeded generator, so the projection is the same on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Sparse rows (CSR) of the PPMI matrix. */
interface Sparse {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

/** Y (rows × l) = M X, X cols × l, both row-major. */
function mul(m: Sparse, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(m.rows * l);
  for (let r = 0; r < m.rows; r++) {
    const yo = r * l;
    for (let p = m.ptr[r] as number; p < (m.ptr[r + 1] as number); p++) {
      const v = m.val[p] as number;
      const xo = (m.idx[p] as number) * l;
      for (let j = 0; j < l; j++) y[yo + j] = (y[yo + j] as number) + v * (x[xo + j] as number);
    }
  }
  return y;
}

/** Y (cols × l) = Mᵀ X, X rows × l. */
function mulT(m: Sparse, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(m.cols * l);
  for (let r = 0; r < m.rows; r++) {
    const xo = r * l;
    for (let p = m.ptr[r] as number; p < (m.ptr[r + 1] as number); p++) {
      const v = m.val[p] as number;
      const yo = (m.idx[p] as number) * l;
      for (let j = 0; j < l; j++) y[yo + j] = (y[yo + j] as number) + v * (x[xo + j] as number);
    }
  }
  return y;
}

/** Orthonormalise the l columns of a row-major n × l matrix in place (modified Gram-Schmidt). */
function orthonormalise(a: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += (a[i * l + j] as number) * (a[i * l + k] as number);
      for (let i = 0; i < n; i++)
        a[i * l + j] = (a[i * l + j] as number) - d * (a[i * l + k] as number);
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += (a[i * l + j] as number) ** 2;
    const norm = Math.sqrt(s);
    for (let i = 0; i < n; i++) a[i * l + j] = norm > 1e-12 ? (a[i * l + j] as number) / norm : 0;
  }
}

/** Eigen-decomposition of a symmetric l × l matrix (cyclic Jacobi): values and column vectors. */
export function symmetricEigen(
  s: Float64Array,
  l: number,
): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++)
      for (let q = p + 1; q < l; q++) off += (a[p * l + q] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * l + p] as number;
        const aqq = a[q * l + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p] as number;
          const akq = a[k * l + q] as number;
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k] as number;
          const aqk = a[q * l + k] as number;
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p] as number;
          const vkq = v[k * l + q] as number;
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: l }, (_, i) => a[i * l + i] as number);
  return { values, vectors: v };
}

/** Rows quantised to int8, each with its own scale (max |x| / 127). */
function quantise(x: Float64Array, n: number, k: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(n * k);
  const scale = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < k; j++) m = Math.max(m, Math.abs(x[i * k + j] as number));
    const s = m > 0 ? m / 127 : 1;
    scale[i] = s;
    for (let j = 0; j < k; j++) q[i * k + j] = Math.round((x[i * k + j] as number) / s);
  }
  return { q, scale };
}

function topByCount(count: Map<string, number>, min: number, max: number): string[] {
  return [...count.entries()]
    .filter(([, c]) => c >= min)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([s]) => s)
    .sort();
}

/** Train word vectors from fix pairs (see the module comment). */
export function learnWordVectors(
  pairs: Iterable<FixPair>,
  options: WordVectorOptions = {},
): WordVectors {
  const o = { ...DEFAULTS, ...options };
  // Pass 1: the pairs as word and term lists, and how many pairs each occurs in.
  const docs: { words: string[]; terms: string[] }[] = [];
  const wordCount = new Map<string, number>();
  const termCount = new Map<string, number>();
  for (const pair of pairs) {
    if ((pair.weight ?? 1) <= 0) continue;
    const terms = codeTerms(pair);
    if (terms.length === 0 || terms.length > o.maxCodeTerms) continue;
    const words = reportWords(pair.text, o.wordsPerPair).filter((w) => !w.includes("_"));
    if (words.length === 0) continue;
    docs.push({ words, terms });
    for (const w of words) wordCount.set(w, (wordCount.get(w) ?? 0) + 1);
    for (const t of terms) termCount.set(t, (termCount.get(t) ?? 0) + 1);
  }
  const wordList = topByCount(wordCount, o.minCount, o.maxWords);
  const termList = topByCount(termCount, o.minCount, o.maxTerms);
  const wordId = new Map(wordList.map((w, i) => [w, i]));
  const termId = new Map(termList.map((t, i) => [t, i]));
  const W = wordList.length;
  const T = termList.length;
  const pw = docs.map((d) =>
    Int32Array.from(d.words.map((w) => wordId.get(w) ?? -1).filter((i) => i >= 0)).sort(),
  );
  const pt = docs.map((d) =>
    Int32Array.from(d.terms.map((t) => termId.get(t) ?? -1).filter((i) => i >= 0)),
  );
  const n = docs.length;
  const wc = new Float64Array(W);
  const tc = new Float64Array(T);
  for (let d = 0; d < n; d++) {
    for (const i of pw[d] as Int32Array) wc[i] = (wc[i] as number) + 1;
    for (const j of pt[d] as Int32Array) tc[j] = (tc[j] as number) + 1;
  }
  let tSum = 0;
  for (let j = 0; j < T; j++) tSum += (tc[j] as number) ** o.alpha;
  const logPt = Float64Array.from(tc, (c) => Math.log(c ** o.alpha / tSum));

  // Pass 2: co-occurrences in buckets of words (a dense bucket × T block), kept as PPMI rows.
  const bucket = Math.max(1, Math.floor(o.maxCells / Math.max(1, T)));
  const block = new Float32Array(bucket * T);
  const ptr = new Int32Array(W + 1);
  let idx = new Int32Array(1 << 20);
  let val = new Float32Array(1 << 20);
  let nnz = 0;
  for (let lo = 0; lo < W; lo += bucket) {
    const hi = Math.min(W, lo + bucket);
    block.fill(0);
    for (let d = 0; d < n; d++) {
      const ws = pw[d] as Int32Array;
      const ts = pt[d] as Int32Array;
      for (const i of ws) {
        if (i < lo || i >= hi) continue;
        const o2 = (i - lo) * T;
        for (const j of ts) block[o2 + j] = (block[o2 + j] as number) + 1;
      }
    }
    for (let i = lo; i < hi; i++) {
      const o2 = (i - lo) * T;
      const logPw = Math.log((wc[i] as number) / n);
      for (let j = 0; j < T; j++) {
        const c = block[o2 + j] as number;
        if (c < o.minPairs) continue;
        const pmi = Math.log(c / n) - logPw - (logPt[j] as number);
        if (pmi <= 0) continue;
        if (nnz === idx.length) {
          const ni = new Int32Array(idx.length * 2);
          ni.set(idx);
          idx = ni;
          const nv = new Float32Array(val.length * 2);
          nv.set(val);
          val = nv;
        }
        idx[nnz] = j;
        val[nnz] = pmi;
        nnz++;
      }
      ptr[i + 1] = nnz;
    }
  }
  const m: Sparse = { rows: W, cols: T, ptr, idx: idx.subarray(0, nnz), val: val.subarray(0, nnz) };

  // Randomized SVD (Halko et al. 2011): range of M from a seeded Gaussian projection.
  const k = Math.min(o.dims, W, T);
  const l = Math.min(k + 16, W, T);
  const next = rng(o.seed);
  const omega = new Float64Array(T * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(next);
  let q = mul(m, omega, l);
  orthonormalise(q, W, l);
  for (let it = 0; it < o.powerIterations; it++) {
    const z = mulT(m, q, l);
    orthonormalise(z, T, l);
    q = mul(m, z, l);
    orthonormalise(q, W, l);
  }
  // B = Qᵀ M; Z = Bᵀ (T × l). B Bᵀ = Zᵀ Z = Ũ Σ² Ũᵀ; U = Q Ũ, V = Z Ũ Σ⁻¹.
  const z = mulT(m, q, l);
  const g = new Float64Array(l * l);
  for (let r = 0; r < T; r++) {
    const ro = r * l;
    for (let a = 0; a < l; a++) {
      const za = z[ro + a] as number;
      if (za === 0) continue;
      for (let b = a; b < l; b++)
        g[a * l + b] = (g[a * l + b] as number) + za * (z[ro + b] as number);
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) g[a * l + b] = g[b * l + a] as number;
  const { values, vectors } = symmetricEigen(g, l);
  const order = values
    .map((v, i) => [v, i] as const)
    .sort((x, y) => y[0] - x[0] || x[1] - y[1])
    .slice(0, k)
    .map(([, i]) => i);
  const sigma = order.map((i) => Math.sqrt(Math.max(0, values[i] as number)));
  // Each eigenvector's sign fixed by its largest component, so the output does not depend on
  // which sign the solver happened to land on.
  const sign = order.map((i) => {
    let best = 0;
    for (let a = 0; a < l; a++) {
      const x = vectors[a * l + i] as number;
      if (Math.abs(x) > Math.abs(best)) best = x;
    }
    return best < 0 ? -1 : 1;
  });
  // Vectors scaled by Σ^½ on both sides: word · term ≈ PPMI.
  const project = (basis: Float64Array, rows: number, inverse: boolean): Float64Array => {
    const out = new Float64Array(rows * k);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < k; c++) {
        const e = order[c] as number;
        const s = sigma[c] as number;
        let acc = 0;
        for (let a = 0; a < l; a++)
          acc += (basis[r * l + a] as number) * (vectors[a * l + e] as number);
        const f = inverse ? (s > 1e-12 ? 1 / Math.sqrt(s) : 0) : Math.sqrt(s);
        out[r * k + c] = acc * f * (sign[c] as number);
      }
    }
    return out;
  };
  const wq = quantise(project(q, W, false), W, k);
  // V Σ^½ = Z Ũ Σ⁻¹ Σ^½ = Z Ũ Σ^-½.
  const tq = quantise(project(z, T, true), T, k);
  return {
    version: 1,
    source: o.source ?? `${n} fix pairs`,
    pairs: n,
    dims: k,
    words: wordId,
    terms: termId,
    wordVecs: wq.q,
    wordScale: wq.scale,
    termVecs: tq.q,
    termScale: tq.scale,
  };
}

/** Add `weight` × a row's (dequantised) vector into `into`. */
export function addRow(
  into: Float64Array,
  vecs: Int8Array,
  scale: Float32Array,
  row: number,
  weight: number,
): void {
  const k = into.length;
  const f = weight * (scale[row] as number);
  const o = row * k;
  for (let j = 0; j < k; j++) into[j] = (into[j] as number) + f * (vecs[o + j] as number);
}

export function cosine(a: Float64Array, b: ArrayLike<number>, bOffset = 0): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    const x = a[j] as number;
    const y = b[bOffset + j] as number;
    d += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? d / Math.sqrt(na * nb) : 0;
}

/** A word's vector (dequantised), or undefined when it has none. */
export function wordVector(v: WordVectors, word: string): Float64Array | undefined {
  const r = v.words.get(word);
  if (r === undefined) return undefined;
  const out = new Float64Array(v.dims);
  addRow(out, v.wordVecs, v.wordScale, r, 1);
  return out;
}

/** A code term's vector (dequantised), or undefined when it has none. */
export function termVector(v: WordVectors, term: string): Float64Array | undefined {
  const r = v.terms.get(term);
  if (r === undefined) return undefined;
  const out = new Float64Array(v.dims);
  addRow(out, v.termVecs, v.termScale, r, 1);
  return out;
}

/**
 * The stored form: one gzipped JSON, words and terms sorted (so the same vectors give the same
 * bytes), the int8 rows and their scales in base64.
 */
export function toWordVectorJson(v: WordVectors): z.infer<typeof wordVectorJsonSchema> {
  const byRow = (m: Map<string, number>): string[] => {
    const out: string[] = new Array(m.size);
    for (const [s, i] of m) out[i] = s;
    return out;
  };
  const b64 = (a: ArrayBufferView): string =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
  return {
    version: 1,
    source: v.source,
    pairs: v.pairs,
    dims: v.dims,
    words: byRow(v.words),
    terms: byRow(v.terms),
    wordVecs: b64(v.wordVecs),
    wordScale: b64(v.wordScale),
    termVecs: b64(v.termVecs),
    termScale: b64(v.termScale),
  };
}

const wordVectorJsonSchema = z.object({
  version: z.literal(1),
  source: z.string(),
  pairs: z.number().int().nonnegative(),
  dims: z.number().int().positive(),
  words: z.array(z.string()),
  terms: z.array(z.string()),
  wordVecs: z.string(),
  wordScale: z.string(),
  termVecs: z.string(),
  termScale: z.string(),
});

export function fromWordVectorJson(json: unknown): WordVectors {
  const p = wordVectorJsonSchema.parse(json);
  const bytes = (s: string): Uint8Array => {
    const b = Buffer.from(s, "base64");
    // A copy, so the typed arrays below start on an aligned offset of their own buffer.
    return new Uint8Array(b);
  };
  const i8 = (s: string): Int8Array => new Int8Array(bytes(s).buffer);
  const f32 = (s: string): Float32Array => {
    const b = bytes(s);
    if (b.byteLength % 4 !== 0) throw new Error("word vectors: a scale is not float32");
    return new Float32Array(b.buffer);
  };
  const v: WordVectors = {
    version: 1,
    source: p.source,
    pairs: p.pairs,
    dims: p.dims,
    words: new Map(p.words.map((w, i) => [w, i])),
    terms: new Map(p.terms.map((t, i) => [t, i])),
    wordVecs: i8(p.wordVecs),
    wordScale: f32(p.wordScale),
    termVecs: i8(p.termVecs),
    termScale: f32(p.termScale),
  };
  if (
    v.wordVecs.length !== p.words.length * p.dims ||
    v.termVecs.length !== p.terms.length * p.dims ||
    v.wordScale.length !== p.words.length ||
    v.termScale.length !== p.terms.length
  )
    throw new Error("word vectors: sizes do not match");
  return v;
}
