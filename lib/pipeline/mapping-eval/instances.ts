import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { CodeIndex, FileRecord } from "../code-index/types";

/** The labelled data set of the evaluation (see shared/data/README.md), and how it is read. */

const evalInstanceSchema = z.object({
  id: z.string(),
  repo: z.string(),
  commit: z.string(),
  ticket: z.object({ subject: z.string(), body: z.string() }),
  gold: z.array(z.object({ path: z.string(), lines: z.array(z.number()) })),
  meta: z.object({ language: z.string().optional() }).optional(),
});

/** One line of the mapping data set (see shared/data/README.md). */
export type EvalInstance = z.infer<typeof evalInstanceSchema>;

/** Read a JSONL data set. */
export function loadInstances(file: string): EvalInstance[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => evalInstanceSchema.parse(JSON.parse(l)));
}

/** Directory of a repository's snapshot: `<repos>/<owner>+<name>/repo`. */
export function repoDir(reposDir: string, repo: string): string {
  return path.join(reposDir, repo.replace("/", "+"), "repo");
}

/** The innermost chunk of a file that contains a line: the unit "function" of the evaluation. */
export function innermostChunk(file: FileRecord, line: number): number {
  let best = -1;
  let bestSize = Number.POSITIVE_INFINITY;
  file.chunks.forEach((c, i) => {
    if (c.startLine <= line && line <= c.endLine) {
      const size = c.endLine - c.startLine;
      if (size < bestSize || (size === bestSize && i > best)) {
        best = i;
        bestSize = size;
      }
    }
  });
  return best;
}

/** Key of a function in rankings: path, qualified name and first line. */
export function functionKey(p: string, qname: string, start: number): string {
  return `${p}#${qname}@${start}`;
}

/**
 * The right answers of an instance in an index: its gold files, and its gold functions (the
 * innermost chunk holding each changed line) as `functionKey`s.
 */
export function goldOf(
  inst: EvalInstance,
  index: CodeIndex,
): { files: Set<string>; functions: Set<string> } {
  const files = new Set(inst.gold.map((g) => g.path));
  const functions = new Set<string>();
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  for (const g of inst.gold) {
    const file = byPath.get(g.path);
    if (!file) continue;
    for (const line of g.lines) {
      const c = file.chunks[innermostChunk(file, line)];
      if (c) functions.add(functionKey(file.path, c.qname, c.startLine));
    }
  }
  return { files, functions };
}
