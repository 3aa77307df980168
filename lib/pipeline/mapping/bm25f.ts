import { countOf } from "../code-index/tokenize";

/**
 * Field-weighted BM25 (BM25F): per-field term frequencies are length-normalised, weighted and
 * summed before one saturation, so a term found in a name and in the body is not counted twice
 * at full strength. Collections are built in memory from the persisted term counts.
 */

export interface FieldParams {
  weight: number;
  b: number;
}

/** A document's score and each field's share of it. */
export interface FieldScores {
  total: number;
  fields: Float64Array;
  /** Sum of idf × query weight over the query's word terms the document contains. */
  matched: number;
}

interface Postings {
  docs: number[];
  tfs: number[];
}

interface FieldData {
  postings: Map<string, Postings>;
  lengths: number[];
  avgLength: number;
  params: FieldParams;
}

export class Bm25fCollection {
  readonly fields = new Map<string, FieldData>();
  /** Documents containing the term in any field. */
  readonly df = new Map<string, number>();
  size = 0;
  private readonly k1: number;
  private scratch = new Float64Array(0);
  private fieldScratch = new Float64Array(0);

  constructor(params: Record<string, FieldParams>, k1 = 1.2) {
    this.k1 = k1;
    for (const [name, p] of Object.entries(params)) {
      this.fields.set(name, { postings: new Map(), lengths: [], avgLength: 0, params: p });
    }
  }

  /** Add one document; returns its id. `fields` maps field name → term counts. */
  add(fields: Record<string, Record<string, number> | undefined>): number {
    const id = this.size++;
    const seen = new Set<string>();
    for (const [name, data] of this.fields) {
      const counts = fields[name];
      let len = 0;
      if (counts) {
        for (const [term, tf] of Object.entries(counts)) {
          len += tf;
          let p = data.postings.get(term);
          if (!p) {
            p = { docs: [], tfs: [] };
            data.postings.set(term, p);
          }
          p.docs.push(id);
          p.tfs.push(tf);
          seen.add(term);
        }
      }
      data.lengths[id] = len;
    }
    for (const t of seen) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    return id;
  }

  /** Call once after the last `add`. */
  finish(): void {
    for (const data of this.fields.values()) {
      let total = 0;
      for (let i = 0; i < this.size; i++) total += data.lengths[i] ?? 0;
      data.avgLength = this.size > 0 ? Math.max(1, total / this.size) : 1;
    }
    this.scratch = new Float64Array(this.size);
  }

  idf(term: string): number {
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Documents containing a term in one field (for exact-phrase checks). */
  postingsOf(field: string, term: string): readonly number[] {
    return this.fields.get(field)?.postings.get(term)?.docs ?? [];
  }

  /** Sum of idf × query weight over the query's word terms any document contains. */
  queryMass(query: ReadonlyMap<string, number>): number {
    let m = 0;
    for (const [term, qw] of query)
      if (this.df.has(term) && !term.includes("_")) m += this.idf(term) * qw;
    return m;
  }

  /** Field names in scoring order (the order of `FieldScores.fields`). */
  fieldNames(): string[] {
    return [...this.fields.keys()];
  }

  /**
   * Score every document that matches at least one query term. `query` maps term → weight.
   * Returns document id → total score and each field's share of it (the saturated score of a
   * term split in proportion to what each field added to its frequency).
   */
  score(query: ReadonlyMap<string, number>): Map<number, FieldScores> {
    const scores = new Map<number, FieldScores>();
    const acc = this.scratch;
    const fieldList = [...this.fields.values()];
    const nf = fieldList.length;
    if (this.fieldScratch.length !== nf * this.size)
      this.fieldScratch = new Float64Array(nf * this.size);
    const per = this.fieldScratch;
    for (const [term, qw] of query) {
      if (!this.df.has(term)) continue;
      const touched: number[] = [];
      fieldList.forEach((data, fi) => {
        const p = data.postings.get(term);
        if (!p) return;
        const { weight, b } = data.params;
        for (let i = 0; i < p.docs.length; i++) {
          const d = p.docs[i] as number;
          const norm = 1 - b + (b * (data.lengths[d] ?? 0)) / data.avgLength;
          if (acc[d] === 0) touched.push(d);
          const v = (weight * (p.tfs[i] as number)) / norm;
          acc[d] = (acc[d] ?? 0) + v;
          per[d * nf + fi] = v;
        }
      });
      const idf = this.idf(term) * qw;
      for (const d of touched) {
        const tf = acc[d] as number;
        const s = (idf * tf) / (this.k1 + tf);
        let entry = scores.get(d);
        if (!entry) {
          entry = { total: 0, fields: new Float64Array(nf), matched: 0 };
          scores.set(d, entry);
        }
        entry.total += s;
        if (!term.includes("_")) entry.matched += idf;
        for (let fi = 0; fi < nf; fi++) {
          const v = per[d * nf + fi] as number;
          if (v !== 0) {
            entry.fields[fi] = (entry.fields[fi] as number) + (s * v) / tf;
            per[d * nf + fi] = 0;
          }
        }
        acc[d] = 0;
      }
    }
    return scores;
  }

  /** Per-term contributions for one document, largest first: for explanations. */
  explain(
    query: ReadonlyMap<string, number>,
    doc: number,
    fieldsOf: (field: string) => Record<string, number> | undefined,
  ): { term: string; score: number }[] {
    const out: { term: string; score: number }[] = [];
    for (const [term, qw] of query) {
      if (!this.df.has(term)) continue;
      let tf = 0;
      for (const [name, data] of this.fields) {
        const n = countOf(fieldsOf(name), term);
        if (!n) continue;
        const norm =
          1 - data.params.b + (data.params.b * (data.lengths[doc] ?? 0)) / data.avgLength;
        tf += (data.params.weight * n) / norm;
      }
      if (tf > 0) out.push({ term, score: (this.idf(term) * qw * tf) / (this.k1 + tf) });
    }
    return out.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));
  }
}
