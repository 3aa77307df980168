import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { collectCandidates } from "@/lib/pipeline/mapping/candidates";
import type { RankerWeights } from "@/lib/pipeline/mapping/features";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { extractSignals } from "@/lib/pipeline/mapping/signals";
import type { FixPair } from "@/lib/pipeline/mapping/vocabulary/types";
import {
  cosine,
  learnWordVectors,
  symmetricEigen,
  termVector,
  toWordVectorJson,
  type WordVectors,
  wordVector,
} from "@/lib/pipeline/mapping/vocabulary/wordvec";
import { wordVectorsFromBytes } from "@/lib/pipeline/mapping/vocabulary/wordvec-shipped";

/**
 * Three kinds of fix: time reports fixed in UTC-offset code, colour reports in palette code, and
 * file reports in path code. `timezone` and `clock` are never written in the same report, but
 * both are fixed in the same code: they share their contexts.
 */
function history(): FixPair[] {
  const pairs: FixPair[] = [];
  const kinds = [
    { words: ["timezone shown wrong", "clock runs late"], terms: ["utc", "offset", "zone"] },
    { words: ["colour of the header", "theme looks dark"], terms: ["palette", "rgb", "shade"] },
    { words: ["folder cannot open", "directory listing empty"], terms: ["path", "dirent", "stat"] },
  ];
  for (let i = 0; i < 12; i++) {
    for (const [k, kind] of kinds.entries()) {
      pairs.push({
        source: `acme/app@${k}-${i}`,
        text: `${kind.words[i % 2]} ${i % 3 === 0 ? "again" : ""}`,
        // Two of the three terms each time, so terms too are seen in different company.
        code: [{ path: `src/${k}.ts`, name: "f", terms: kind.terms.filter((_, j) => j !== i % 3) }],
      });
    }
  }
  return pairs;
}

const OPTIONS = { dims: 4, minCount: 2, minPairs: 1 };

describe("learnWordVectors", () => {
  it("puts report words that share contexts close, and near the code their fixes change", () => {
    const v = learnWordVectors(history(), OPTIONS);
    const w = (x: string): Float64Array => {
      const vec = wordVector(v, x);
      if (!vec) throw new Error(`no vector for ${x}`);
      return vec;
    };
    const t = (x: string): Float64Array => {
      const vec = termVector(v, x);
      if (!vec) throw new Error(`no vector for ${x}`);
      return vec;
    };
    // Stems: timezone → timezon, theme → them.
    expect(cosine(w("timezon"), w("clock"))).toBeGreaterThan(0.8);
    expect(cosine(w("timezon"), w("colour"))).toBeLessThan(0.3);
    expect(cosine(w("them"), w("colour"))).toBeGreaterThan(0.8);
    // Across the two spaces: a report word is near its fixes' code terms.
    expect(cosine(w("clock"), t("utc"))).toBeGreaterThan(cosine(w("clock"), t("palette")));
    expect(cosine(w("directory"), t("dirent"))).toBeGreaterThan(cosine(w("directory"), t("rgb")));
    expect(v.pairs).toBe(36);
    expect(v.dims).toBe(4);
  });

  it("is deterministic: the same pairs give the same bytes", () => {
    const a = JSON.stringify(toWordVectorJson(learnWordVectors(history(), OPTIONS)));
    const b = JSON.stringify(toWordVectorJson(learnWordVectors(history(), OPTIONS)));
    expect(b).toBe(a);
    // Counting in many small buckets gives the same vectors as in one.
    const c = JSON.stringify(
      toWordVectorJson(learnWordVectors(history(), { ...OPTIONS, maxCells: 1 })),
    );
    expect(c).toBe(a);
  });

  it("round-trips through gzipped JSON the way the runtime reads it", () => {
    const v = learnWordVectors(history(), OPTIONS);
    const back = wordVectorsFromBytes(gzipSync(JSON.stringify(toWordVectorJson(v))));
    expect(back.dims).toBe(v.dims);
    expect([...back.words.keys()]).toEqual([...v.words.keys()]);
    expect(back.termVecs).toEqual(v.termVecs);
    expect(back.wordScale).toEqual(v.wordScale);
    expect(() =>
      wordVectorsFromBytes(gzipSync(JSON.stringify({ ...toWordVectorJson(v), dims: 7 }))),
    ).toThrow();
  });

  it("decomposes a symmetric matrix (Jacobi)", () => {
    // [[2,1],[1,2]]: eigenvalues 3 and 1.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 9), expect.closeTo(3, 9)]);
    const i = (values[0] as number) > (values[1] as number) ? 0 : 1;
    expect(Math.abs(vectors[i] as number)).toBeCloseTo(Math.SQRT1_2, 9);
  });
});

const enc = new TextEncoder();
function source(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = enc.encode(text);
    return { path, size: bytes.length, read: () => bytes };
  });
}

/** Both files mention "wrong" (and no file is named after a clock); only one speaks of UTC. */
const APP = {
  "src/local.ts": [
    "/** Wrong values are clamped. */",
    "export function toLocal(utc: number, offset: number, zone: string): number {",
    "  return utc + offset * 60;",
    "}",
    "",
  ].join("\n"),
  "src/theme.ts": [
    "/** Wrong values are clamped. */",
    "export function pick(palette: string[], rgb: number, shade: number): string {",
    "  return palette[rgb + shade] ?? '';",
    "}",
    "",
  ].join("\n"),
};

describe("the embedding feature", () => {
  const vectors: WordVectors = learnWordVectors(history(), OPTIONS);

  it("gives candidates the cosine of the report and their code, only when switched on", async () => {
    const search = new SearchIndex([await buildIndex(source(APP), { repo: "acme/app" })]);
    const signals = extractSignals({ title: "The clock is wrong" });
    const plain = collectCandidates(search, signals);
    expect(plain.files.every((f) => f.x.embedding === 0)).toBe(true);
    const on = collectCandidates(search, { ...signals, wordVectors: vectors });
    const of = (p: string): number =>
      on.files.find((f) => search.files[f.id]?.record.path === p)?.x.embedding ?? Number.NaN;
    expect(of("src/local.ts")).toBeGreaterThan(0.5);
    expect(of("src/local.ts")).toBeGreaterThan(of("src/theme.ts"));
    const fn = on.chunks.find((c) => search.chunks[c.id]?.chunk.qname === "toLocal");
    expect(fn?.x.embedding).toBeGreaterThan(0.5);
    // No file is added by the cosine alone: the same candidates either way.
    expect(on.files.map((f) => f.id).sort()).toEqual(plain.files.map((f) => f.id).sort());
  });

  it("ranks the close file first under a positive weight and says why in words", async () => {
    const search = new SearchIndex([await buildIndex(source(APP), { repo: "acme/app" })]);
    const bug = { title: "The clock is wrong" };
    const weights = {
      file: { lexical: 1, embedding: 5 },
      function: { lexical: 1, embedding: 5 },
    } as unknown as RankerWeights;
    const off = mapBug(search, bug, { bridge: null, weights });
    // Without the rule both files tie on "wrong"; with it the clock's code wins.
    expect(off.files.every((f) => !f.explanation.some((e) => e.detail.includes("close")))).toBe(
      true,
    );
    const on = mapBug(search, bug, {
      bridge: null,
      weights,
      wordVectors: vectors,
      rules: { embedding: true },
    });
    expect(off.files.map((f) => f.score)).toEqual([off.files[0]?.score, off.files[0]?.score]);
    expect(on.files[0]?.path).toBe("src/local.ts");
    expect(on.files[0]?.score).toBeGreaterThan((on.files[1]?.score ?? 0) + 1);
    const because = on.files[0]?.explanation.find((e) => e.detail.includes("close"));
    expect(because?.signal).toBe("vocabulary");
    expect(because?.detail).toMatch(/^the report's words are close to this code's: 'clock' ~ '/);
    // The rule is off by default, even with vectors at hand.
    const dflt = mapBug(search, bug, { bridge: null, weights, wordVectors: vectors });
    expect(dflt.files.map((f) => f.score)).toEqual(off.files.map((f) => f.score));
  });
});
