import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { stem } from "@/lib/pipeline/code-index/tokenize";
import type { CodeIndex } from "@/lib/pipeline/code-index/types";
import {
  type CommitWithPatches,
  changedLines,
  commitPair,
  isPair,
} from "@/lib/pipeline/jobs/vocabulary/commit-pairs";
import {
  bugText,
  MERGED_FIX_WEIGHT,
  MISMAPPED_WEIGHT,
  mergedFixPair,
  mismappedPair,
} from "@/lib/pipeline/jobs/vocabulary/corrections";
import { learnWorkspaceTable, minPairsFor } from "@/lib/pipeline/jobs/vocabulary/learn-workspace";
import { cappedBridgeJson } from "@/lib/pipeline/jobs/vocabulary/store";
import {
  MAX_LINES_PER_FILE,
  MAX_PLACES,
  MAX_SOURCE_FILES,
} from "@/lib/pipeline/mapping/vocabulary/commit-filter";
import { mergeBridges } from "@/lib/pipeline/mapping/vocabulary/table";
import type { BridgeTable } from "@/lib/pipeline/mapping/vocabulary/types";

/** A workspace's own commits and corrections as fix pairs, and the table learned from them. */

const file = (path: string, text: string): SourceFile => {
  const bytes = new TextEncoder().encode(text);
  return { path, size: bytes.length, read: () => bytes };
};

const DIGEST = [
  "import { sendMail } from './mail';", // 1
  "", // 2
  "export function digestWindow(day: Date, utcOffsetMinutes: number) {", // 3
  "  const start = new Date(day.getTime() - utcOffsetMinutes * 60_000);", // 4
  "  return { start, end: new Date(start.getTime() + 86_400_000) };", // 5
  "}", // 6
  "", // 7
  "export function sendDigest(to: string) {", // 8
  "  return sendMail(to, 'Your daily sales summary');", // 9
  "}", // 10
].join("\n");
const CART = [
  "export class Cart {", // 1
  "  lines: number[] = [];", // 2
  "  addLine(quantity: number) {", // 3
  "    this.lines.push(quantity);", // 4
  "  }", // 5
  "}", // 6
].join("\n");

/** Report words are stemmed like the index's terms. */
const EVENING = stem("evening");

let index: CodeIndex;
const indexed = async () => {
  index ??= await buildIndex([file("src/digest.ts", DIGEST), file("src/cart.ts", CART)], {
    repo: "acme/shop",
  });
  return index;
};

const PATCH_IN_WINDOW = [
  "@@ -3,4 +3,4 @@ import { sendMail } from './mail';",
  " export function digestWindow(day: Date, utcOffsetMinutes: number) {",
  "-  const start = new Date(day.getTime());",
  "+  const start = new Date(day.getTime() - utcOffsetMinutes * 60_000);",
  "   return { start, end: new Date(start.getTime() + 86_400_000) };",
  " }",
].join("\n");

const commit = (over: Partial<CommitWithPatches> = {}): CommitWithPatches => ({
  sha: "a".repeat(40),
  message:
    "Daily summary misses evening orders\n\nThe merchant's day starts at local midnight.\n\nSigned-off-by: Ana <ana@acme.example>\nFixes https://tracker.example/issues/12 and #12",
  parents: 1,
  author: { name: "Ana", email: "ana@acme.example", login: "ana" },
  files: [{ filename: "src/digest.ts", status: "modified", patch: PATCH_IN_WINDOW }],
  ...over,
});

describe("pairs from a repository's commits", () => {
  it("reads the new-side lines a patch adds, and the place of a pure deletion", () => {
    expect(changedLines(PATCH_IN_WINDOW)).toEqual([4]);
    const deletion = ["@@ -8,3 +8,2 @@", " a", "-b", " c", "\\ No newline at end of file"].join(
      "\n",
    );
    expect(changedLines(deletion)).toEqual([9]);
    expect(changedLines("@@ -0,0 +1,2 @@\n+x\n+y")).toEqual([1, 2]);
  });

  it("pairs the message with the function whose span holds the changed lines", async () => {
    const pair = commitPair(commit(), await indexed());
    if (!isPair(pair)) throw new Error(`skipped: ${pair.skipped}`);
    expect(pair.source).toBe(`acme/shop@${"a".repeat(40)}`);
    expect(pair.code.map((c) => [c.path, c.name])).toEqual([["src/digest.ts", "digestWindow"]]);
    // the message as the shared filter cleans it: no trailers, links or issue numbers
    expect(pair.text).toContain("Daily summary misses evening orders");
    expect(pair.text).not.toMatch(/Signed-off-by|https?:|#12/);
    const terms = pair.code[0]?.terms ?? [];
    expect(terms).toEqual(expect.arrayContaining(["digestwindow", "utc", "offset", "digest"]));
    // the other function of the file changed nothing
    expect(terms).not.toContain("senddigest");
  });

  it("names a method by its class, and top-level code as the file", async () => {
    const method = commitPair(
      commit({
        files: [
          {
            filename: "src/cart.ts",
            patch: "@@ -4,1 +4,1 @@\n-    x;\n+    this.lines.push(quantity);",
          },
        ],
      }),
      await indexed(),
    );
    expect(isPair(method) && method.code.map((c) => c.name)).toEqual(["Cart.addLine"]);
    const topLevel = commitPair(
      commit({ files: [{ filename: "src/digest.ts", patch: "@@ -1,1 +1,1 @@\n-x\n+import y;" }] }),
      await indexed(),
    );
    expect(isPair(topLevel) && topLevel.code.map((c) => c.name)).toEqual([null]);
  });

  it("leaves out what the shared commit filter leaves out, and commits that touch no indexed code", async () => {
    const ix = await indexed();
    const skipped = (c: CommitWithPatches, on: CodeIndex = ix) => {
      const p = commitPair(c, on);
      return isPair(p) ? "paired" : p.skipped;
    };
    expect(skipped(commit({ parents: 2 }))).toBe("merge");
    expect(
      skipped(commit({ author: { name: "dependabot[bot]", email: "x@users.noreply.github.com" } })),
    ).toBe("bot");
    expect(
      skipped(commit({ author: { name: "Renovate Bot", email: "a@b.c", login: "renovate" } })),
    ).toBe("bot");
    expect(skipped(commit({ message: "chore(deps): bump zod from 4.0.1 to 4.0.2" }))).toBe(
      "dependencies",
    );
    expect(skipped(commit({ message: "v2.3.1" }))).toBe("release");
    // the offline corpus's filters apply here too (they were its alone before)
    expect(skipped(commit({ message: "Revert the summary window change" }))).toBe("revert");
    expect(skipped(commit({ message: "style: apply prettier" }))).toBe("formatting");
    expect(skipped(commit({ message: "test: cover the evening window" }))).toBe("chore");
    expect(skipped(commit({ message: "wip" }))).toBe("short-message");
    expect(skipped(commit({ message: "Merge pull request #3 from ana/evening" }))).toBe("merge");
    const many = Array.from({ length: MAX_SOURCE_FILES + 1 }, (_, i) => `src/f${i}.ts`);
    const big = await buildIndex(
      many.map((p) => file(p, "export function f() {\n  return 1;\n}\n")),
      { repo: "acme/big" },
    );
    const everyFile = (files: string[]) =>
      commit({ files: files.map((filename) => ({ filename, patch: "@@ -2,1 +2,1 @@\n-a\n+b" })) });
    expect(skipped(everyFile(many), big)).toBe("too-many-files");
    expect(skipped(everyFile(many.slice(1)), big)).toBe("paired");
    expect(
      skipped(commit({ files: [{ filename: "README.md", patch: "@@ -1 +1 @@\n-a\n+b" }] })),
    ).toBe("no-source");
    // a file GitHub sent without a patch (binary, too large) teaches nothing
    expect(skipped(commit({ files: [{ filename: "src/digest.ts" }] }))).toBe("no-code");
    // a commit that only adds files is a feature, not a fix
    expect(
      skipped(
        commit({ files: [{ filename: "src/digest.ts", status: "added", patch: PATCH_IN_WINDOW }] }),
      ),
    ).toBe("only-new-files");
  });

  it("leaves out a sweep inside a file and a commit that changes too many functions", async () => {
    const sweep = Array.from(
      { length: MAX_LINES_PER_FILE + 1 },
      (_, i) => `@@ -${i + 1},1 +${i + 1},1 @@\n-a\n+b`,
    ).join("\n");
    const skipped = (c: CommitWithPatches, on: CodeIndex) => {
      const p = commitPair(c, on);
      return isPair(p) ? "paired" : p.skipped;
    };
    const long = await buildIndex(
      [
        file(
          "src/long.ts",
          Array.from({ length: 500 }, (_, i) => `const v${i} = ${i};`).join("\n"),
        ),
      ],
      { repo: "acme/long" },
    );
    expect(skipped(commit({ files: [{ filename: "src/long.ts", patch: sweep }] }), long)).toBe(
      "no-code",
    );
    const fns = Array.from(
      { length: MAX_PLACES + 1 },
      (_, i) => `export function f${i}() {\n  return ${i};\n}`,
    ).join("\n");
    const wide = await buildIndex([file("src/wide.ts", fns)], { repo: "acme/wide" });
    // one changed line in each function (each function spans three lines)
    const everyFunction = Array.from(
      { length: MAX_PLACES + 1 },
      (_, i) => `@@ -${i * 3 + 2},1 +${i * 3 + 2},1 @@\n-a\n+b`,
    ).join("\n");
    expect(
      skipped(commit({ files: [{ filename: "src/wide.ts", patch: everyFunction }] }), wide),
    ).toBe("too-many-places");
  });
});

describe("corrections as pairs", () => {
  const text = bugText({
    title: "Evening orders missing from the daily summary",
    impact: "Merchants in Chicago see totals without orders after 6pm",
    steps: ["Place an order at 7pm local time"],
    error_messages: [],
  });

  it("a merged fix counts several commits, pointing at the code its PR changed", async () => {
    const pair = mergedFixPair("bug-1", text, commit().files, await indexed());
    expect(pair?.weight).toBe(MERGED_FIX_WEIGHT);
    expect(MERGED_FIX_WEIGHT).toBeGreaterThan(1);
    expect(pair?.source).toBe("bug:bug-1");
    expect(pair?.code.map((c) => c.name)).toEqual(["digestWindow"]);
    expect(pair?.text).toContain("Place an order at 7pm");
  });

  it("a mismapped location is a negative pair against that function", async () => {
    const ix = await indexed();
    const pair = mismappedPair(
      "bug-1",
      text,
      { path: "src/digest.ts", functionName: "sendDigest" },
      ix,
    );
    expect(pair?.weight).toBe(MISMAPPED_WEIGHT);
    expect(MISMAPPED_WEIGHT).toBeLessThan(0);
    expect(pair?.code.map((c) => c.name)).toEqual(["sendDigest"]);
    expect(pair?.code[0]?.terms).toContain("senddigest");
    expect(
      mismappedPair("bug-1", text, { path: "src/gone.ts", functionName: null }, ix),
    ).toBeNull();
    expect(
      mismappedPair("bug-1", text, { path: "src/digest.ts", functionName: null }, ix)?.code[0]
        ?.name,
    ).toBeNull();
  });

  it("learns report words → code words from commits, and a mismapped mark takes them back", async () => {
    const ix = await indexed();
    const pair = commitPair(commit(), ix);
    if (!isPair(pair)) throw new Error("not paired");
    const cart = commitPair(
      commit({
        sha: "b".repeat(40),
        message: "Cart drops the quantity of a line",
        files: [{ filename: "src/cart.ts", patch: "@@ -4,1 +4,1 @@\n-    x;\n+    y;" }],
      }),
      ix,
    );
    if (!isPair(cart)) throw new Error("not paired");
    const commits = [pair, { ...pair, source: "b" }, cart];
    const learned = learnWorkspaceTable("acme/shop", commits, []);
    const evening = new Map(learned.words.get(EVENING) ?? []);
    expect(evening.get("utc")).toBeGreaterThan(0);
    expect(evening.has("addline")).toBe(false);
    // the same words marked as mismapped on that code, as often as they were fixed there
    const mark = mismappedPair(
      "bug-2",
      pair.text,
      { path: "src/digest.ts", functionName: "digestWindow" },
      ix,
    );
    if (!mark) throw new Error("no mark");
    const corrected = learnWorkspaceTable(
      "acme/shop",
      [pair, { ...pair, source: "b" }],
      [mark, { ...mark, source: "bug:bug-3" }],
    );
    expect(new Map(corrected.words.get(EVENING) ?? []).get("utc") ?? 0).toBeLessThan(
      evening.get("utc") ?? 0,
    );
  });

  it("a small history still learns (minPairs 1); a large one asks for repeats", () => {
    expect(minPairsFor(5)).toBe(1);
    expect(minPairsFor(200)).toBe(2);
    expect(minPairsFor(1500)).toBe(3);
  });
});

describe("the stored table", () => {
  it("stays within its size cap, dropping the weakest words first", () => {
    const words = new Map<string, readonly (readonly [string, number])[]>();
    for (let i = 0; i < 2000; i++)
      words.set(`word${String(i).padStart(4, "0")}`, [[`term${i}`, (i % 1000) / 1000 + 0.001]]);
    const table: BridgeTable = { version: 1, source: "acme/shop", pairs: 10, words };
    const capped = cappedBridgeJson(table, 20_000);
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThanOrEqual(20_000);
    const kept = Object.values(capped.words).map((t) => t[0]?.[1] ?? 0);
    expect(kept.length).toBeGreaterThan(100);
    expect(Math.min(...kept)).toBeGreaterThan(0.5);
    expect(cappedBridgeJson(table, 10_000_000).words).toEqual(
      Object.fromEntries([...words].map(([w, t]) => [w, t.map(([a, b]) => [a, b])])),
    );
  });

  it("merges into the global table the mapping reads", () => {
    const local: BridgeTable = {
      version: 1,
      source: "acme/shop",
      pairs: 2,
      words: new Map([["evening", [["utc", 0.8]] as const]]),
    };
    const empty: BridgeTable = { version: 1, source: "", pairs: 0, words: new Map() };
    expect(mergeBridges(empty, local).words.get("evening")).toEqual([["utc", 0.8]]);
  });
});
