/**
 * Fix pairs read from the training corpus (a folder of `*.jsonl`, one `FixPair` a line), for the
 * offline learners (`train-vocabulary.ts`, `train-wordvec.ts`): the same reading, the same
 * exclusions (benchmark repositories never enter training).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { FixPair } from "@/lib/pipeline/mapping/vocabulary/types";

const fixPairSchema = z.object({
  source: z.string(),
  text: z.string(),
  code: z.array(
    z.object({ path: z.string(), name: z.string().nullable(), terms: z.array(z.string()) }),
  ),
  weight: z.number().optional(),
}) satisfies z.ZodType<FixPair>;

/** `owner/name` of a pair's source (`owner/name@sha`), lower case. */
export function repoOf(source: string): string {
  return (source.split("@")[0] ?? "").toLowerCase();
}

export function readList(file: string | undefined): Set<string> {
  if (!file) return new Set();
  return new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim().toLowerCase())
      .filter((l) => l !== ""),
  );
}

export interface Counts {
  files: number;
  lines: number;
  bad: number;
  excluded: number;
  heldOut: number;
  repos: Set<string>;
}

/** Pairs of every `*.jsonl` file in a folder, one file in memory at a time, in name order. */
export function* readPairs(
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
