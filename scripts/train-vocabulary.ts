/**
 * Learn the shipped vocabulary bridge from public fix pairs.
 *
 *   npm run train:vocabulary -- --pairs <dir of *.jsonl> [--out <file.json.gz>]
 *     [--method npmi|model1] [--min-pairs N] [--per-word N] [--iterations N]
 *     [--exclude <file of owner/name lines>] [--hold-out <owner/name,...>]
 *
 * Each line of a pairs file is a `FixPair` (`lib/pipeline/mapping/vocabulary/types.ts`). Pairs
 * of a repository listed in `--exclude` (benchmark repositories: kept out of training) or
 * `--hold-out` are skipped. Writes the table as gzipped JSON (words and weights only, no code),
 * then reads it back the way the runtime does and prints its size and load time: the shipped
 * table must stay within 20 MB and load in under a second.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { type LearnOptions, learnBridge } from "@/lib/pipeline/mapping/vocabulary/learn";
import { bridgeFromBytes, SHIPPED_BRIDGE_FILE } from "@/lib/pipeline/mapping/vocabulary/shipped";
import { toBridgeJson } from "@/lib/pipeline/mapping/vocabulary/table";
import type { FixPair } from "@/lib/pipeline/mapping/vocabulary/types";

const fixPairSchema = z.object({
  source: z.string(),
  text: z.string(),
  code: z.array(
    z.object({ path: z.string(), name: z.string().nullable(), terms: z.array(z.string()) }),
  ),
  weight: z.number().optional(),
}) satisfies z.ZodType<FixPair>;

const MAX_BYTES = 20 * 1024 * 1024;

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `owner/name` of a pair's source (`owner/name@sha`), lower case. */
export function repoOf(source: string): string {
  return (source.split("@")[0] ?? "").toLowerCase();
}

function readList(file: string | undefined): Set<string> {
  if (!file) return new Set();
  return new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim().toLowerCase())
      .filter((l) => l !== ""),
  );
}

interface Counts {
  files: number;
  lines: number;
  bad: number;
  excluded: number;
  heldOut: number;
  repos: Set<string>;
}

/** Pairs of every `*.jsonl` file in a folder, one file in memory at a time, in name order. */
function* readPairs(
  dir: string,
  excluded: ReadonlySet<string>,
  heldOut: ReadonlySet<string>,
  counts: Counts,
): Generator<FixPair> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
  for (const f of files) {
    counts.files++;
    for (const line of readFileSync(path.join(dir, f), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      counts.lines++;
      let pair: FixPair;
      try {
        pair = fixPairSchema.parse(JSON.parse(line));
      } catch {
        counts.bad++;
        continue;
      }
      const repo = repoOf(pair.source);
      if (excluded.has(repo)) {
        counts.excluded++;
        continue;
      }
      if (heldOut.has(repo)) {
        counts.heldOut++;
        continue;
      }
      counts.repos.add(repo);
      yield pair;
    }
  }
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
  const num = (name: string): number | undefined => {
    const v = arg(argv, name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) {
      console.error(`${name}: a positive whole number, not ${v}`);
      process.exit(2);
    }
    return n;
  };
  const excluded = readList(arg(argv, "--exclude"));
  const heldOut = new Set(
    (arg(argv, "--hold-out") ?? "")
      .split(",")
      .map((r) => r.trim().toLowerCase())
      .filter((r) => r !== ""),
  );
  const counts: Counts = { files: 0, lines: 0, bad: 0, excluded: 0, heldOut: 0, repos: new Set() };
  const t0 = performance.now();
  const options: LearnOptions = {
    method,
    minPairs: num("--min-pairs"),
    perWord: num("--per-word"),
    iterations: num("--iterations"),
  };
  for (const k of Object.keys(options) as (keyof LearnOptions)[])
    if (options[k] === undefined) delete options[k];
  const pairs = readPairs(dir, excluded, heldOut, counts);
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
  if (size > MAX_BYTES || loadMs > 1000) {
    console.error("the table is over its budget (20 MB, 1 s to load)");
    process.exit(1);
  }
}

main();
