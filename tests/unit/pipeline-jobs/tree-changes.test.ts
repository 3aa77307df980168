import { describe, expect, it } from "vitest";
import type { CodeIndex, FileRecord } from "@/lib/pipeline/code-index/types";
import { needsContent } from "@/lib/pipeline/jobs/github-source";
import { treeChanges } from "@/lib/pipeline/jobs/index-repository";

/** What a push re-indexes: blob ids of the new tree against the stored index's file hashes. */

const file = (path: string, hash: string): FileRecord =>
  ({
    path,
    hash,
    language: "typescript",
    lines: 1,
    bytes: 1,
    status: "parsed",
    imports: [],
    pathTerms: {},
    chunks: [],
  }) as FileRecord;

const index = {
  formatVersion: 1,
  repo: "a/b",
  files: [file("src/a.ts", "1"), file("src/b.ts", "2"), file("src/c.ts", "3")],
  skipped: [{ path: "vendor/x.js", reason: "vendored" }],
  stats: {},
} as unknown as CodeIndex;

describe("treeChanges", () => {
  it("lists modified and added paths, and deleted ones (files and skipped)", () => {
    const { changed, removed } = treeChanges(index, [
      { path: "src/a.ts", size: 1, sha: "1" },
      { path: "src/b.ts", size: 1, sha: "22" },
      { path: "src/d.ts", size: 1, sha: "4" },
    ]);
    expect(changed.map((e) => e.path)).toEqual(["src/b.ts", "src/d.ts"]);
    expect(removed.sort()).toEqual(["src/c.ts", "vendor/x.js"]);
  });

  it("an unchanged tree changes nothing", () => {
    const { changed, removed } = treeChanges(index, [
      { path: "src/a.ts", size: 1, sha: "1" },
      { path: "src/b.ts", size: 1, sha: "2" },
      { path: "src/c.ts", size: 1, sha: "3" },
      { path: "vendor/x.js", size: 1, sha: "9" },
    ]);
    expect(changed).toEqual([]);
    expect(removed).toEqual([]);
  });
});

describe("needsContent", () => {
  it("downloads source files only, never what the index skips by path", () => {
    expect(needsContent({ path: "src/cart.ts", size: 100, sha: "x" })).toBe(true);
    expect(needsContent({ path: "node_modules/a/index.js", size: 100, sha: "x" })).toBe(false);
    expect(needsContent({ path: "logo.png", size: 100, sha: "x" })).toBe(false);
    expect(needsContent({ path: "src/huge.ts", size: 5_000_000, sha: "x" })).toBe(false);
  });
});
