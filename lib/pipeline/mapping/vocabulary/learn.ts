import { tokenize } from "../../code-index/tokenize";
import type { BridgeTable, BridgeTarget, FixPair } from "./types";

/**
 * The one learner of the vocabulary bridge, used offline over public fix history and per
 * workspace over a repository's own commits and corrections: pairs in, table out, deterministic.
 *
 * Two association measures over the same counts (`method`):
 * - `npmi` (default): weighted co-occurrence of a report word and a code term across pairs,
 *   scored by normalised pointwise mutual information (1 = they only ever appear together,
 *   0 = independent).
 * - `model1`: IBM translation model 1, the report's words generating the code terms of its fix
 *   (with a null word for terms no report word explains), fitted by a few EM iterations from
 *   uniform translation probabilities; a target's strength is its probability t(term | word)
 *   relative to the word's most probable term.
 * Either way a word and a term are associated only when seen together in at least `minPairs`
 * pairs, and a word's own term is left out: the lexical signals already match a word with
 * itself; the bridge is for the other words.
 *
 * Memory: words and terms are interned, pairs kept as id arrays, and co-occurrences counted in
 * as many passes over word buckets as `maxCells` requires (counts of words seen in fewer than
 * `minPairs` pairs are never kept).
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
  /**
   * Repositories (a pair's `source` before `@`) a word and a term must be seen together in: an
   * association only one repository shows is that repository's vocabulary, which its own
   * per-workspace table learns; the shipped table keeps what holds across projects (1).
   */
  minSources?: number;
  /** Association measure (`npmi`). */
  method?: "npmi" | "model1";
  /** EM iterations of `model1` (5). */
  iterations?: number;
  /** Co-occurrence cells counted at once (a bound on memory; 4,000,000). */
  maxCells?: number;
  source?: string;
}

const DEFAULTS = {
  minPairs: 3,
  minSources: 1,
  perWord: 12,
  maxCodeTerms: 400,
  maxWords: 60,
  method: "npmi",
  iterations: 5,
  maxCells: 4_000_000,
} as const;

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

class Interner {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(s, i);
      this.names.push(s);
    }
    return i;
  }
}

/** Pairs as id arrays, with each word's and term's weighted count. */
interface Corpus {
  words: Interner;
  terms: Interner;
  pairWords: Int32Array[];
  pairTerms: Int32Array[];
  pairWeight: number[];
  /** Each pair's source group (repository), and pair indices ordered by group. */
  pairGroup: Int32Array;
  order: Int32Array;
  wordCount: Float64Array;
  termCount: Float64Array;
  /** Pairs each word or term occurs in (unweighted), to prune what can never reach minPairs. */
  wordPairs: Int32Array;
  termPairs: Int32Array;
  total: number;
  used: number;
}

function readCorpus(pairs: Iterable<FixPair>, o: Required<Omit<LearnOptions, "source">>): Corpus {
  const words = new Interner();
  const terms = new Interner();
  const pairWords: Int32Array[] = [];
  const pairTerms: Int32Array[] = [];
  const pairWeight: number[] = [];
  const groups = new Interner();
  const pairGroup: number[] = [];
  const wc: number[] = [];
  const tc: number[] = [];
  const wp: number[] = [];
  const tp: number[] = [];
  let total = 0;
  for (const pair of pairs) {
    const ts = codeTerms(pair);
    if (ts.length === 0 || ts.length > o.maxCodeTerms) continue;
    const ws = reportWords(pair.text, o.maxWords);
    if (ws.length === 0) continue;
    const w = pair.weight ?? 1;
    const wIds = Int32Array.from(ws, (x) => words.id(x));
    const tIds = Int32Array.from(ts, (x) => terms.id(x));
    for (const i of wIds) {
      wc[i] = (wc[i] ?? 0) + Math.max(0, w);
      wp[i] = (wp[i] ?? 0) + 1;
    }
    for (const i of tIds) {
      tc[i] = (tc[i] ?? 0) + Math.max(0, w);
      tp[i] = (tp[i] ?? 0) + 1;
    }
    if (w > 0) total += w;
    pairWords.push(wIds);
    pairTerms.push(tIds);
    pairWeight.push(w);
    pairGroup.push(groups.id(pair.source.split("@")[0] ?? ""));
  }
  const f64 = (a: number[], n: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = a[i] ?? 0;
    return out;
  };
  const i32 = (a: number[], n: number): Int32Array => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = a[i] ?? 0;
    return out;
  };
  // Words and terms seen in fewer than minPairs pairs can never be associated: drop them now.
  const keepW = (i: number): boolean => (wp[i] ?? 0) >= o.minPairs;
  const keepT = (i: number): boolean => (tp[i] ?? 0) >= o.minPairs;
  for (let k = 0; k < pairWords.length; k++) {
    pairWords[k] = (pairWords[k] as Int32Array).filter(keepW);
    pairTerms[k] = (pairTerms[k] as Int32Array).filter(keepT);
  }
  const order = Int32Array.from(pairWords.keys()).sort(
    (a, b) => (pairGroup[a] as number) - (pairGroup[b] as number) || a - b,
  );
  return {
    words,
    terms,
    pairWords,
    pairTerms,
    pairWeight,
    pairGroup: Int32Array.from(pairGroup),
    order,
    wordCount: f64(wc, words.names.length),
    termCount: f64(tc, terms.names.length),
    wordPairs: i32(wp, words.names.length),
    termPairs: i32(tp, terms.names.length),
    total,
    used: pairWords.length,
  };
}

/**
 * Weighted co-occurrence counts of (word, term) for the words of one bucket, kept when shared
 * by at least minPairs pairs: word id → [term ids ascending, counts].
 */
function countBucket(
  c: Corpus,
  inBucket: (w: number) => boolean,
  minPairs: number,
  minSources: number,
): Map<number, { terms: Int32Array; counts: Float64Array }> {
  const nTerms = c.terms.names.length;
  // One slot per (word, term) cell: its weighted count and the pairs it was seen in.
  const slot = new Map<number, number>();
  let together = new Float64Array(1024);
  let seen = new Int32Array(1024);
  // Sources a cell is seen in: pairs are visited grouped by source, so a cell counts a new
  // source when the last one it was seen in differs.
  let sources = new Int32Array(1024);
  let lastSource = new Int32Array(1024).fill(-1);
  for (const k of c.order) {
    const g = c.pairGroup[k] as number;
    const ws = c.pairWords[k] as Int32Array;
    const ts = c.pairTerms[k] as Int32Array;
    const w = c.pairWeight[k] as number;
    for (const x of ws) {
      if (!inBucket(x)) continue;
      const base = x * nTerms;
      for (const t of ts) {
        const key = base + t;
        let i = slot.get(key);
        if (i === undefined) {
          i = slot.size;
          slot.set(key, i);
          if (i >= together.length) {
            const t2 = new Float64Array(together.length * 2);
            t2.set(together);
            together = t2;
            const s2 = new Int32Array(seen.length * 2);
            s2.set(seen);
            seen = s2;
            const g2 = new Int32Array(sources.length * 2);
            g2.set(sources);
            sources = g2;
            const l2 = new Int32Array(lastSource.length * 2).fill(-1);
            l2.set(lastSource);
            lastSource = l2;
          }
        }
        together[i] = (together[i] as number) + w;
        seen[i] = (seen[i] as number) + 1;
        if (lastSource[i] !== g) {
          lastSource[i] = g;
          sources[i] = (sources[i] as number) + 1;
        }
      }
    }
  }
  const rows = new Map<number, [number, number][]>();
  for (const [key, i] of slot) {
    if ((seen[i] as number) < minPairs || (sources[i] as number) < minSources) continue;
    const x = Math.floor(key / nTerms);
    const t = key - x * nTerms;
    if (c.words.names[x] === c.terms.names[t]) continue;
    const row = rows.get(x) ?? [];
    row.push([t, together[i] as number]);
    rows.set(x, row);
  }
  const out = new Map<number, { terms: Int32Array; counts: Float64Array }>();
  for (const [x, row] of rows) {
    row.sort((a, b) => a[0] - b[0]);
    out.set(x, {
      terms: Int32Array.from(row, (r) => r[0]),
      counts: Float64Array.from(row, (r) => r[1]),
    });
  }
  return out;
}

/** Every word's associated terms and co-occurrence counts, in memory-bounded passes. */
function cooccurrences(
  c: Corpus,
  minPairs: number,
  minSources: number,
  maxCells: number,
): Map<number, { terms: Int32Array; counts: Float64Array }> {
  let cells = 0;
  for (let k = 0; k < c.pairWords.length; k++)
    cells += (c.pairWords[k] as Int32Array).length * (c.pairTerms[k] as Int32Array).length;
  // Distinct cells are far fewer than occurrences; a quarter is a safe estimate of the bound.
  const buckets = Math.max(1, Math.ceil(cells / 4 / maxCells));
  const all = new Map<number, { terms: Int32Array; counts: Float64Array }>();
  for (let b = 0; b < buckets; b++) {
    for (const [x, row] of countBucket(c, (w) => w % buckets === b, minPairs, minSources))
      all.set(x, row);
  }
  return all;
}

function findIndex(sorted: Int32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = sorted[mid] as number;
    if (m === v) return mid;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function npmiScores(
  c: Corpus,
  rows: Map<number, { terms: Int32Array; counts: Float64Array }>,
): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  const total = c.total;
  for (const [x, row] of rows) {
    const nx = c.wordCount[x] as number;
    const s = new Float64Array(row.terms.length);
    if (nx > 0 && total > 0) {
      row.terms.forEach((t, i) => {
        const nxt = row.counts[i] as number;
        if (nxt <= 0) return;
        const nt = c.termCount[t] as number;
        const pxt = nxt / total;
        const pmi = Math.log(pxt / ((nx / total) * (nt / total)));
        s[i] = pxt >= 1 ? 0 : pmi / -Math.log(pxt);
      });
    }
    out.set(x, s);
  }
  return out;
}

/**
 * IBM model 1: t(term | word) over the associated cells only (a term no report word of its pair
 * is associated with goes to the null word), EM from uniform. Returns each word's
 * probabilities relative to its most probable term.
 */
function model1Scores(
  c: Corpus,
  rows: Map<number, { terms: Int32Array; counts: Float64Array }>,
  iterations: number,
): Map<number, Float64Array> {
  const prob = new Map<number, Float64Array>();
  // Uniform start over the code vocabulary, the null word included.
  const uniform = 1 / Math.max(1, c.terms.names.length);
  for (const [x, row] of rows) prob.set(x, new Float64Array(row.terms.length).fill(uniform));
  const nullProb = new Float64Array(c.terms.names.length).fill(uniform);
  for (let it = 0; it < iterations; it++) {
    const expected = new Map<number, Float64Array>();
    for (const [x, row] of rows) expected.set(x, new Float64Array(row.terms.length));
    const nullExpected = new Float64Array(c.terms.names.length);
    for (let k = 0; k < c.pairWords.length; k++) {
      const w = c.pairWeight[k] as number;
      if (w <= 0) continue;
      const ws = c.pairWords[k] as Int32Array;
      const ts = c.pairTerms[k] as Int32Array;
      const slots: { x: number; i: number }[] = [];
      for (const t of ts) {
        slots.length = 0;
        let denom = nullProb[t] as number;
        for (const x of ws) {
          const row = rows.get(x);
          if (!row) continue;
          const i = findIndex(row.terms, t);
          if (i < 0) continue;
          slots.push({ x, i });
          denom += (prob.get(x) as Float64Array)[i] as number;
        }
        if (denom <= 0) continue;
        nullExpected[t] = (nullExpected[t] as number) + (w * (nullProb[t] as number)) / denom;
        for (const { x, i } of slots) {
          const e = expected.get(x) as Float64Array;
          e[i] = (e[i] as number) + (w * ((prob.get(x) as Float64Array)[i] as number)) / denom;
        }
      }
    }
    for (const [x, e] of expected) {
      let sum = 0;
      for (const v of e) sum += v;
      const p = prob.get(x) as Float64Array;
      for (let i = 0; i < e.length; i++) p[i] = sum > 0 ? (e[i] as number) / sum : 0;
    }
    let nullSum = 0;
    for (const v of nullExpected) nullSum += v;
    for (let t = 0; t < nullProb.length; t++)
      nullProb[t] = nullSum > 0 ? (nullExpected[t] as number) / nullSum : 0;
  }
  for (const p of prob.values()) {
    let max = 0;
    for (const v of p) max = Math.max(max, v);
    for (let i = 0; i < p.length; i++) p[i] = max > 0 ? (p[i] as number) / max : 0;
  }
  return prob;
}

export function learnBridge(pairs: Iterable<FixPair>, options: LearnOptions = {}): BridgeTable {
  const o = { ...DEFAULTS, ...options };
  const source = options.source ?? "";
  const c = readCorpus(pairs, o);
  const words = new Map<string, readonly BridgeTarget[]>();
  if (c.total === 0) return { version: 1, source, pairs: c.used, words };
  const rows = cooccurrences(c, o.minPairs, o.minSources, o.maxCells);
  const scores = o.method === "model1" ? model1Scores(c, rows, o.iterations) : npmiScores(c, rows);
  const order = [...rows.keys()].sort((a, b) => {
    const x = c.words.names[a] as string;
    const y = c.words.names[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const x of order) {
    const row = rows.get(x) as { terms: Int32Array };
    const s = scores.get(x) as Float64Array;
    const targets: BridgeTarget[] = [];
    row.terms.forEach((t, i) => {
      const v = Math.min(1, Math.round((s[i] as number) * 1000) / 1000);
      if (v > 0) targets.push([c.terms.names[t] as string, v]);
    });
    if (targets.length === 0) continue;
    targets.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    words.set(c.words.names[x] as string, targets.slice(0, o.perWord));
  }
  return { version: 1, source, pairs: c.used, words };
}
