/**
 * Learn the shipped vocabulary bridge from public fix pairs.
 *
 *   npm run train:vocabulary -- --pairs <dir of *.jsonl> [--out <file.json.gz>]
 *     [--method npmi|model1] [--min-pairs N] [--min-repos N] [--per-word N] [--iterations N]
 *     [--exclude <file of owner/name lines>] [--hold-out <owner/name,...>]
 *
 * Each line of a pairs file is a `FixPair` (`lib/pipeline/mapping/vocabulary/types.ts`). Pairs
 * of a repository listed in `--exclude` (benchmark repositories: kept out of training) or
 * `--hold-out` are skipped (held-out pairs are then scored: how many of the code terms the table
 * predicts from a held-out pair's words, and the report does not use, its fix really changed,
 * against predicting the most common code terms). Writes the table as gzipped JSON (words and weights only, no code),
 * then reads it back the way the runtime does and prints its size and load time: the shipped
 * table must stay within 20 MB and load in under a second.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expandQuery } from "@/lib/pipeline/mapping/vocabulary/expand";
import {
  codeTerms,
  type LearnOptions,
  learnBridge,
  reportWords,
} from "@/lib/pipeline/mapping/vocabulary/learn";
import { bridgeFromBytes, SHIPPED_BRIDGE_FILE } from "@/lib/pipeline/mapping/vocabulary/shipped";
import { toBridgeJson } from "@/lib/pipeline/mapping/vocabulary/table";
import type { BridgeTable, FixPair } from "@/lib/pipeline/mapping/vocabulary/types";
import { arg, givenOnly, positiveIntArg } from "./lib/cli-args";
import { type Counts, readList, readPairs, repoOf } from "./lib/fix-pairs";

const MAX_BYTES = 20 * 1024 * 1024;

/**
 * Held-out check of a table: for each pair of the held-out repositories, the table's 10 heaviest
 * expansion terms of its words (those the text does not use) against the fix's code terms.
 * Precision@10 beside a popularity baseline (the 10 commonest code terms of the training pairs
 * the text does not use), so a table that only predicts common words shows as no better.
 */
function heldOutScore(
  table: BridgeTable,
  pairs: Iterable<FixPair>,
  common: readonly string[],
): { pairs: number; precision: number; baseline: number; covered: number } {
  let n = 0;
  let hits = 0;
  let shown = 0;
  let baseHits = 0;
  let baseShown = 0;
  let covered = 0;
  for (const pair of pairs) {
    const words = reportWords(pair.text, 60);
    const terms = new Set(codeTerms(pair));
    if (words.length === 0 || terms.size === 0 || terms.size > 400) continue;
    n++;
    const query = new Map(words.map((w) => [w, 1]));
    const top = [...expandQuery(query, table, { max: 10 }).terms.keys()];
    if (top.length > 0) covered++;
    shown += top.length;
    hits += top.filter((t) => terms.has(t)).length;
    const base = common.filter((t) => !query.has(t)).slice(0, top.length);
    baseShown += base.length;
    baseHits += base.filter((t) => terms.has(t)).length;
  }
  return {
    pairs: n,
    precision: shown > 0 ? hits / shown : 0,
    baseline: baseShown > 0 ? baseHits / baseShown : 0,
    covered: n > 0 ? covered / n : 0,
  };
}

function main(): void {
  const argv = process.argv.slice(2);
  const dir = arg(argv, "--pairs");
  if (!dir) {
    console.error(
      "usage: train:vocabulary --pairs <dir> [--out <file.json.gz>] [--method npmi|model1] [--min-pairs N] [--per-word N] [--exclude <file>] [--hold-out <repos>]",
    );
    process.exit(2);
  }
  const method = arg(argv, "--method") ?? "npmi";
  if (method !== "npmi" && method !== "model1") {
    console.error(`--method: npmi or model1, not ${method}`);
    process.exit(2);
  }
  const out =
    arg(argv, "--out") ??
    path.join(
      path.dirname(new URL(import.meta.url).pathname),
      "../lib/pipeline/mapping/vocabulary",
      SHIPPED_BRIDGE_FILE,
    );
  const num = (name: string) => positiveIntArg(argv, name);
  const excluded = readList(arg(argv, "--exclude"));
  const heldOut = new Set(
    (arg(argv, "--hold-out") ?? "")
      .split(",")
      .map((r) => r.trim().toLowerCase())
      .filter((r) => r !== ""),
  );
  const counts: Counts = { files: 0, lines: 0, bad: 0, excluded: 0, heldOut: 0, repos: new Set() };
  const t0 = performance.now();
  const options: LearnOptions = givenOnly({
    method,
    minPairs: num("--min-pairs"),
    minSources: num("--min-repos"),
    perWord: num("--per-word"),
    iterations: num("--iterations"),
  });
  const termFreq = new Map<string, number>();
  const pairs = (function* () {
    for (const p of readPairs(dir, excluded, heldOut, counts)) {
      if (heldOut.size > 0)
        for (const t of codeTerms(p)) termFreq.set(t, (termFreq.get(t) ?? 0) + 1);
      yield p;
    }
  })();
  // The source line is filled in once the pairs are read (the repository count is known then).
  const table = learnBridge(pairs, options);
  table.source = `public fix history, ${counts.repos.size} repositories (${method})`;
  const learnMs = performance.now() - t0;
  const json = `${JSON.stringify(toBridgeJson(table))}\n`;
  const bytes = gzipSync(json, { level: 9 });
  writeFileSync(out, bytes);
  const size = statSync(out).size;
  const l0 = performance.now();
  const loaded = bridgeFromBytes(readFileSync(out));
  const loadMs = performance.now() - l0;
  let targets = 0;
  for (const t of table.words.values()) targets += t.length;
  console.log(
    [
      `pairs: ${counts.lines} lines in ${counts.files} files, ${counts.bad} unreadable, ${counts.excluded} of excluded repositories, ${counts.heldOut} held out`,
      `learned (${method}) from ${table.pairs} pairs of ${counts.repos.size} repositories in ${(learnMs / 1000).toFixed(1)} s`,
      `table: ${table.words.size} report words, ${targets} associations → ${out}`,
      `size: ${(size / 1024 / 1024).toFixed(2)} MB gzipped (${(json.length / 1024 / 1024).toFixed(2)} MB JSON; limit 20 MB)`,
      `load: ${loadMs.toFixed(0)} ms (limit 1000 ms), ${loaded.words.size} words`,
    ].join("\n"),
  );
  if (heldOut.size > 0) {
    const common = [...termFreq.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 200)
      .map(([t]) => t);
    const only = new Set<string>();
    const all = readPairs(dir, excluded, only, {
      ...counts,
      repos: new Set(),
    });
    const held = (function* () {
      for (const p of all) if (heldOut.has(repoOf(p.source))) yield p;
    })();
    const r = heldOutScore(table, held, common);
    console.log(
      `held out (${[...heldOut].join(", ")}): ${r.pairs} pairs, ${(r.covered * 100).toFixed(1)}% with a prediction; precision@10 of predicted code terms ${(r.precision * 100).toFixed(1)}% (commonest terms: ${(r.baseline * 100).toFixed(1)}%)`,
    );
  }
  if (size > MAX_BYTES || loadMs > 1000) {
    console.error("the table is over its budget (20 MB, 1 s to load)");
    process.exit(1);
  }
}

main();
