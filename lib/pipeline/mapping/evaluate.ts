import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildIndex, type FileCache } from "../code-index/builder";
import { gitSourceFiles } from "../code-index/git-source";
import { serializeIndex } from "../code-index/serialize";
import type { CodeIndex, FileRecord } from "../code-index/types";
import type { InstanceOutcome } from "./metrics";
import { mapBug } from "./ranker";
import type { ConfidenceFeatures, MappingResult } from "./types";
import { Workspace } from "./workspace";

/** One line of the mapping data set (see shared/data/README.md). */
export interface EvalInstance {
  id: string;
  repo: string;
  commit: string;
  ticket: { subject: string; body: string };
  gold: { path: string; lines: number[] }[];
  meta?: { language?: string };
}

export interface InstanceRanking {
  id: string;
  repo: string;
  language: string;
  gold_files: string[];
  gold_functions: string[];
  file_rank: number;
  function_rank: number;
  confidence: number;
  features: ConfidenceFeatures;
  files: { path: string; confidence: number; score: number }[];
  functions: {
    path: string;
    qname: string;
    start_line: number;
    end_line: number;
    confidence: number;
    score: number;
  }[];
}

export interface RepoTiming {
  repo: string;
  coldIndexMs: number;
  lines: number;
  files: number;
  indexBytes: number;
  skipped: number;
}

export interface EvalRun {
  outcomes: InstanceOutcome[];
  rankings: InstanceRanking[];
  timings: RepoTiming[];
  queryMs: number[];
  missing: { id: string; reason: string }[];
}

/** Read a JSONL data set. */
export function loadInstances(file: string): EvalInstance[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as EvalInstance);
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

function functionKey(p: string, qname: string, start: number): string {
  return `${p}#${qname}@${start}`;
}

/** Score one instance against an index. */
export function evaluateInstance(
  inst: EvalInstance,
  index: CodeIndex,
  ws: Workspace,
): { outcome: InstanceOutcome; ranking: InstanceRanking; result: MappingResult; ms: number } {
  const t0 = performance.now();
  const result = mapBug(
    ws,
    { title: inst.ticket.subject, description: inst.ticket.body },
    { files: 100, functions: 10 },
  );
  const ms = performance.now() - t0;
  const goldFiles = new Set(inst.gold.map((g) => g.path));
  const goldFns = new Set<string>();
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  for (const g of inst.gold) {
    const file = byPath.get(g.path);
    if (!file) continue;
    for (const line of g.lines) {
      const i = innermostChunk(file, line);
      const c = file.chunks[i];
      if (c) goldFns.add(functionKey(file.path, c.qname, c.startLine));
    }
  }
  const fileRank = result.files.findIndex((f) => goldFiles.has(f.path)) + 1;
  const functionRank =
    result.functions.findIndex((f) => goldFns.has(functionKey(f.path, f.qname, f.startLine))) + 1;
  const language = inst.meta?.language ?? "unknown";
  const outcome: InstanceOutcome = {
    id: inst.id,
    repo: inst.repo,
    language,
    fileRank,
    functionRank,
    confidence: result.confidence,
    features: result.features,
  };
  const ranking: InstanceRanking = {
    id: inst.id,
    repo: inst.repo,
    language,
    gold_files: [...goldFiles].sort(),
    gold_functions: [...goldFns].sort(),
    file_rank: fileRank,
    function_rank: functionRank,
    confidence: result.confidence,
    features: result.features,
    files: result.files
      .slice(0, 10)
      .map((f) => ({ path: f.path, confidence: f.confidence, score: f.score })),
    functions: result.functions.slice(0, 10).map((f) => ({
      path: f.path,
      qname: f.qname,
      start_line: f.startLine,
      end_line: f.endLine,
      confidence: f.confidence,
      score: f.score,
    })),
  };
  return { outcome, ranking, result, ms };
}

/**
 * Index every instance's repository at its commit (reading the bare git directory, never
 * modifying it), map its ticket, and collect outcomes. Files unchanged between commits of one
 * repository are reused by content hash, as an incremental re-index would.
 */
export async function runEvaluation(
  instances: readonly EvalInstance[],
  reposDir: string,
  log: (line: string) => void = () => {},
): Promise<EvalRun> {
  const run: EvalRun = { outcomes: [], rankings: [], timings: [], queryMs: [], missing: [] };
  const byRepo = new Map<string, EvalInstance[]>();
  for (const inst of instances) {
    const list = byRepo.get(inst.repo) ?? [];
    list.push(inst);
    byRepo.set(inst.repo, list);
  }
  for (const repo of [...byRepo.keys()].sort()) {
    const dir = repoDir(reposDir, repo);
    const cache: FileCache = new Map();
    let first = true;
    for (const inst of byRepo.get(repo) ?? []) {
      if (!existsSync(dir)) {
        run.missing.push({ id: inst.id, reason: `no snapshot at ${dir}` });
        continue;
      }
      let index: CodeIndex;
      const t0 = performance.now();
      try {
        index = await buildIndex(gitSourceFiles(dir, inst.commit), { repo, cache });
      } catch (e) {
        run.missing.push({
          id: inst.id,
          reason: `cannot read commit: ${(e as Error).message.slice(0, 120)}`,
        });
        continue;
      }
      const ws = new Workspace([index]);
      const ms = performance.now() - t0;
      if (first) {
        run.timings.push({
          repo,
          coldIndexMs: ms,
          lines: index.stats.lines,
          files: index.files.length,
          indexBytes: Buffer.byteLength(serializeIndex(index)),
          skipped: index.skipped.length,
        });
        first = false;
      }
      const { outcome, ranking, ms: q } = evaluateInstance(inst, index, ws);
      run.outcomes.push(outcome);
      run.rankings.push(ranking);
      run.queryMs.push(q);
      log(
        `${inst.id}: file rank ${outcome.fileRank || "-"}, function rank ${outcome.functionRank || "-"}, confidence ${outcome.confidence.toFixed(2)}`,
      );
    }
  }
  return run;
}
