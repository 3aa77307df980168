import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { collectCandidates } from "@/lib/pipeline/mapping/candidates";
import { FILE_FEATURES, FUNCTION_FEATURES } from "@/lib/pipeline/mapping/features";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { extractSignals } from "@/lib/pipeline/mapping/signals";
import { expandQuery } from "@/lib/pipeline/mapping/vocabulary/expand";
import { learnBridge } from "@/lib/pipeline/mapping/vocabulary/learn";
import { bridgeFromBytes, shippedBridge } from "@/lib/pipeline/mapping/vocabulary/shipped";
import { fromBridgeJson, toBridgeJson } from "@/lib/pipeline/mapping/vocabulary/table";
import type { BridgeTable, FixPair } from "@/lib/pipeline/mapping/vocabulary/types";

/** A small fix history: time-zone reports are fixed in UTC-offset code, colour ones in palettes. */
function history(): FixPair[] {
  const pairs: FixPair[] = [];
  for (let i = 0; i < 8; i++) {
    pairs.push({
      source: `acme/app@t${i}`,
      text: `Fix timezone shown wrong in report ${i}`,
      code: [{ path: "src/clock.ts", name: "toLocal", terms: ["utc", "offset", "value"] }],
    });
    pairs.push({
      source: `acme/app@c${i}`,
      text: `Colour of the header is wrong ${i}`,
      code: [{ path: "src/theme.ts", name: "pick", terms: ["palette", "rgb", "value"] }],
    });
  }
  // One refactor touching everything: skipped as too large to say what fixed what.
  pairs.push({
    source: "acme/app@big",
    text: "timezone cleanup",
    code: [
      { path: "src/all.ts", name: null, terms: Array.from({ length: 50 }, (_, i) => `t${i}`) },
    ],
  });
  // A word and term seen together only twice: below minPairs.
  for (let i = 0; i < 2; i++)
    pairs.push({
      source: `acme/app@r${i}`,
      text: "rare glitch",
      code: [{ path: "src/x.ts", name: "x", terms: ["sparkle"] }],
    });
  return pairs;
}

const targetsOf = (t: BridgeTable, word: string): string[] =>
  (t.words.get(word) ?? []).map(([term]) => term);

describe("learnBridge", () => {
  for (const method of ["npmi", "model1"] as const) {
    it(`${method}: associates report words with the code their fixes change`, () => {
      const t = learnBridge(history(), { method, maxCodeTerms: 20 });
      // Stems: `timezone` → `timezon`, `colour` → `colour`.
      const tz = targetsOf(t, "timezon");
      expect(tz.slice(0, 2).sort()).toEqual(["offset", "utc"]);
      expect(tz).not.toContain("palette");
      expect(targetsOf(t, "colour").slice(0, 2).sort()).toEqual(["palette", "rgb"]);
      // The refactor was skipped; the rare pair is below minPairs.
      expect(tz.some((x) => x.startsWith("t") && /\d/.test(x))).toBe(false);
      expect(t.words.has("rare")).toBe(false);
      for (const targets of t.words.values())
        for (const [, s] of targets) expect(s > 0 && s <= 1).toBe(true);
      expect(t.pairs).toBe(18);
    });

    it(`${method}: is deterministic, and the same in memory-bounded passes`, () => {
      const a = toBridgeJson(learnBridge(history(), { method }));
      const b = toBridgeJson(learnBridge(history(), { method }));
      expect(b).toEqual(a);
      // Counting in many small passes gives the same table as in one.
      expect(toBridgeJson(learnBridge(history(), { method, maxCells: 1 }))).toEqual(a);
    });
  }

  it("npmi: a term most fixes touch ranks low, and input order does not matter", () => {
    const pairs = history();
    const t = learnBridge(pairs);
    // `value` is in almost every fix: nearly independent of the report's words.
    const tz = new Map(t.words.get("timezon"));
    expect(tz.get("value") ?? 0).toBeLessThan(0.25);
    expect(tz.get("utc") ?? 0).toBeGreaterThan(0.8);
    const shuffled = [...pairs].reverse();
    expect(toBridgeJson(learnBridge(shuffled))).toEqual(toBridgeJson(t));
  });

  it("leaves a word's own term out: the lexical match already counts it", () => {
    const t = learnBridge(history());
    expect(targetsOf(t, "timezon")).not.toContain("timezon");
    const clock = learnBridge([
      ...Array.from({ length: 4 }, (_, i) => ({
        source: `a/b@${i}`,
        text: "clock drift",
        code: [{ path: "c.ts", name: "c", terms: ["clock", "drift", "tick"] }],
      })),
      ...history(),
    ]);
    expect(targetsOf(clock, "clock")).toContain("tick");
    expect(targetsOf(clock, "clock")).not.toContain("clock");
  });

  it("keeps only associations seen in enough repositories when asked", () => {
    const pairs = [
      ...history(),
      ...Array.from({ length: 4 }, (_, i) => ({
        source: `other/lib@${i}`,
        text: "timezone off by an hour",
        code: [{ path: "tz.go", name: "shift", terms: ["utc", "dst"] }],
      })),
    ];
    const t = learnBridge(pairs, { minSources: 2 });
    // `utc` follows `timezone` in two repositories, `offset` and `dst` in one each.
    expect(targetsOf(t, "timezon")).toEqual(["utc"]);
    expect(targetsOf(learnBridge(pairs), "timezon")).toEqual(
      expect.arrayContaining(["utc", "offset", "dst"]),
    );
    // Input order does not change what a source count sees.
    expect(toBridgeJson(learnBridge([...pairs].reverse(), { minSources: 2 }))).toEqual(
      toBridgeJson(t),
    );
  });
});

describe("the shipped table", () => {
  it("round-trips through gzipped JSON the way the runtime reads it", () => {
    const t = learnBridge(history());
    const bytes = gzipSync(JSON.stringify(toBridgeJson(t)));
    const back = bridgeFromBytes(bytes);
    expect(toBridgeJson(back)).toEqual(toBridgeJson(t));
    // Plain JSON reads too; a malformed table is refused.
    expect(
      toBridgeJson(bridgeFromBytes(new TextEncoder().encode(JSON.stringify(toBridgeJson(t))))),
    ).toEqual(toBridgeJson(t));
    expect(() =>
      fromBridgeJson({ version: 1, source: "", pairs: 1, words: { a: [["b", 2]] } }),
    ).toThrow();
  });

  // Its load time (limit 1 s) is a benchmark figure, printed by `npm run train:vocabulary` when it
  // writes the table; a timed assertion here failed on a loaded machine.
  it("loads once, holding words and weights only", () => {
    const a = shippedBridge();
    expect(shippedBridge()).toBe(a);
    expect(a.words.size).toBeGreaterThan(1000);
    for (const [word, targets] of [...a.words].slice(0, 2000)) {
      expect(word).toMatch(/^[a-z0-9]+$/);
      for (const [term] of targets) expect(term).toMatch(/^[a-z0-9]+$/);
    }
  });
});

const enc = new TextEncoder();
function source(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = enc.encode(text);
    return { path, size: bytes.length, read: () => bytes };
  });
}

const APP = {
  "src/clock.ts": [
    "export function toLocal(utc: number, offset: number): number {",
    "  return utc + offset * 60;",
    "}",
    "",
  ].join("\n"),
  "src/render.ts": [
    "export function renderReport(rows: string[]): string {",
    '  return rows.join("\\n");',
    "}",
    "",
  ].join("\n"),
};

const TABLE: BridgeTable = {
  version: 1,
  source: "test",
  pairs: 10,
  words: new Map([["timezon", [["utc", 0.8] as const, ["offset", 0.6] as const]]]),
};

describe("the bridge in the ranking", () => {
  it("expands the report's weighted words through the table, not words it already uses", () => {
    const e = expandQuery(
      new Map([
        ["timezon", 2],
        ["offset", 1],
        ["wrong", 1],
      ]),
      TABLE,
    );
    expect([...e.terms]).toEqual([["utc", 1.6]]);
    expect(e.via.get("utc")).toEqual(["timezon"]);
  });

  it("scores files and functions on the bridged words and explains it in words", async () => {
    const search = new SearchIndex([await buildIndex(source(APP), { repo: "acme/app" })]);
    const bug = { title: "Timezone is wrong", description: "" };
    // Without the bridge the report's words meet no code at all.
    const off = mapBug(search, bug, { bridge: null });
    expect(off.files).toEqual([]);
    const on = mapBug(search, bug, { bridge: TABLE });
    expect(on.files[0]?.path).toBe("src/clock.ts");
    expect(on.functions[0]?.qname).toBe("toLocal");
    const because = on.files[0]?.explanation.find((e) => e.signal === "vocabulary");
    expect(because?.detail).toBe(
      "'timezone' in the report is often fixed in code that says 'utc', 'offset'",
    );
    expect(because?.score).toBeGreaterThan(0);
    const fn = on.functions[0]?.explanation.find((e) => e.signal === "vocabulary");
    expect(fn?.detail).toContain("'timezone' in the report");
    const internal = new Set<string>([...FILE_FEATURES, ...FUNCTION_FEATURES]);
    for (const e of [...(on.files[0]?.explanation ?? []), ...(on.functions[0]?.explanation ?? [])])
      expect(internal.has(e.detail), e.detail).toBe(false);
    // The rule switch turns it off.
    const ruled = mapBug(search, bug, { bridge: TABLE, rules: { bridge: false } });
    expect(ruled.files.map((f) => f.path)).toEqual(off.files.map((f) => f.path));
  });

  it("adds the feature to candidates only when the signals carry an expansion", async () => {
    const search = new SearchIndex([await buildIndex(source(APP), { repo: "acme/app" })]);
    const signals = extractSignals({ title: "timezone is shown wrong" });
    const plain = collectCandidates(search, signals);
    expect(plain.files.every((f) => f.x.bridge === 0)).toBe(true);
    signals.bridge = expandQuery(signals.terms, TABLE);
    const bridged = collectCandidates(search, signals);
    const clock = bridged.files.find((f) => search.files[f.id]?.record.path === "src/clock.ts");
    expect(clock?.x.bridge).toBeGreaterThan(0);
    const fn = bridged.chunks.find((c) => search.chunks[c.id]?.chunk.qname === "toLocal");
    expect(fn?.x.bridge).toBeGreaterThan(0);
  });
});
