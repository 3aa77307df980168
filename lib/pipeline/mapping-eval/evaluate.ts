import { existsSync } from "node:fs";
import { buildIndex, type FileCache } from "../code-index/builder";
import { gitSourceFiles } from "../code-index/git-source";
import { serializeIndex } from "../code-index/serialize";
import type { CodeIndex } from "../code-index/types";
import type { CommitWithPatches } from "../jobs/vocabulary/commit-pairs";
import { dampingName, type HubDamping, WORKSPACE_DAMPING } from "../jobs/vocabulary/hub-damping";
import { coverageOf } from "../mapping/calibration";
import type { Candidates } from "../mapping/candidates";
import { type FileFeatures, type FunctionFeatures, RANKER_WEIGHTS } from "../mapping/features";
import { type MappingRules, mapBug } from "../mapping/map-bug";
import { scoreChunks, scoreFiles } from "../mapping/ranker";
import { SearchIndex } from "../mapping/search-index";
import type { QuerySignals } from "../mapping/signals";
import type { ConfidenceFeatures, MappingResult } from "../mapping/types";
import { shippedBridge } from "../mapping/vocabulary/shipped";
import type { BridgeTable } from "../mapping/vocabulary/types";
import { type EvalInstance, functionKey, goldOf, repoDir } from "./instances";
import type { InstanceOutcome } from "./metrics";
import { RepoHistory, repoVocabulary } from "./repo-vocabulary";

/**
 * The offline evaluation: index each instance's repository at its commit from a bare git
 * directory, map its ticket with the product's entry (`mapBug`), and score the ranking against
 * the fix's lines. Also collects the candidate features the fitting reads, and timings.
 */

export interface InstanceRanking {
  id: string;
  repo: string;
  language: string;
  gold_files: string[];
  gold_functions: string[];
  file_rank: number;
  /** Strict: named functions only. */
  function_rank: number;
  /** Whole-file chunks counted as hits too. */
  function_rank_with_files: number;
  confidence: number;
  features: ConfidenceFeatures;
  files: { path: string; confidence: number; score: number }[];
  functions: {
    path: string;
    qname: string;
    kind: string;
    start_line: number;
    end_line: number;
    confidence: number;
    score: number;
  }[];
}

export interface RepoTiming {
  repo: string;
  coldIndexMs: number;
  /** CPU time of the same (user + system). */
  coldIndexCpuMs: number;
  lines: number;
  files: number;
  indexBytes: number;
  skipped: number;
}

/** Candidate feature rows of one instance, for fitting and for held-out evaluation. */
export interface FitGroup {
  id: string;
  repo: string;
  fileRows: FileFeatures[];
  fileIds: number[];
  /** Repository paths of `fileIds`, for studies on the dump (`--dump`). */
  filePaths: string[];
  fileLabels: boolean[];
  /**
   * Query coverage of each stored file (the confidence model's third feature), so that the
   * confidence of whichever file held-out weights put first can be computed (the gate curve).
   */
  fileCoverage: number[];
  chunkRows: FunctionFeatures[];
  chunkFiles: number[];
  chunkLabels: boolean[];
  /** Right chunks that are named functions (not whole-file chunks): the strict labels. */
  chunkStrictLabels: boolean[];
}

export interface EvalRun {
  groups: FitGroup[];
  outcomes: InstanceOutcome[];
  rankings: InstanceRanking[];
  timings: RepoTiming[];
  queryMs: number[];
  /** CPU time of each query (user + system): unaffected by other processes on a shared machine. */
  queryCpuMs: number[];
  missing: { id: string; reason: string }[];
  /**
   * The same instances mapped with some engine rules switched off (`--ablate`), on the same
   * indexes: outcomes under the shipped weights.
   */
  variants: Record<string, { outcomes: InstanceOutcome[] }>;
  /**
   * With `repoVocabulary.variants`: the same instances mapped with the workspace table learned
   * under another hub damping, on the same indexes: outcomes and fitting groups (so the report
   * can give their held-out figures too).
   */
  dampings: Record<string, { outcomes: InstanceOutcome[]; groups: FitGroup[] }>;
  /** The main run's hub damping, by name, when a workspace table is replayed. */
  mainDamping?: string;
  /**
   * With `repoVocabulary`: per instance, the repository's own table learned from the history
   * before its commit (commits read, pairs, words) and the time to read and learn it (not part
   * of the query: production learns at indexing time).
   */
  vocabularies: {
    id: string;
    repo: string;
    commitsRead: number;
    pairs: number;
    words: number;
    learnMs: number;
    learnCpuMs: number;
  }[];
}

/** The per-repository vocabulary replayed at each instance's commit (`repo-vocabulary.ts`). */
export interface RepoVocabularyOptions {
  /** Commits read back from the instance's commit (production's first index reads 300). */
  commits: number;
  /** Where each repository's read commits are cached between runs. */
  cacheDir?: string;
  /** The workspace learner's hub damping for the main run (`WORKSPACE_DAMPING` when omitted). */
  damping?: HubDamping;
  /** Other dampings to map every instance with as well (`EvalRun.dampings`, by name). */
  variants?: readonly HubDamping[];
}

/** Score one instance against an index. */
export function evaluateInstance(
  inst: EvalInstance,
  index: CodeIndex,
  search: SearchIndex,
  rules: MappingRules = {},
  /** The bridge table to read (the shipped one when omitted), as `mapBug`'s option. */
  bridge?: BridgeTable | null,
): {
  outcome: InstanceOutcome;
  ranking: InstanceRanking;
  result: MappingResult;
  ms: number;
  cpuMs: number;
  group: FitGroup;
} {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let cands: Candidates = { files: [], chunks: [] };
  let signals: QuerySignals | undefined;
  const result = mapBug(
    search,
    { title: inst.ticket.subject, description: inst.ticket.body },
    {
      files: 100,
      functions: 10,
      rules,
      ...(bridge === undefined ? {} : { bridge }),
      onCandidates: (c, s) => {
        cands = c;
        signals = s;
      },
    },
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const gold = goldOf(inst, index);
  const fileRank = result.files.findIndex((f) => gold.files.has(f.path)) + 1;
  const isGold = (f: MappingResult["functions"][number]): boolean =>
    gold.functions.has(functionKey(f.path, f.qname, f.startLine));
  // Strict: a whole-file chunk keeps its place in the list but is never a function hit.
  const functionRank = result.functions.findIndex((f) => f.kind !== "file" && isGold(f)) + 1;
  const functionRankWithFiles = result.functions.findIndex(isGold) + 1;
  const language = inst.meta?.language ?? "unknown";
  const outcome: InstanceOutcome = {
    id: inst.id,
    repo: inst.repo,
    language,
    fileRank,
    functionRank,
    functionRankWithFiles,
    confidence: result.confidence,
    features: result.features,
  };
  const ranking: InstanceRanking = {
    id: inst.id,
    repo: inst.repo,
    language,
    gold_files: [...gold.files].sort(),
    gold_functions: [...gold.functions].sort(),
    file_rank: fileRank,
    function_rank: functionRank,
    function_rank_with_files: functionRankWithFiles,
    confidence: result.confidence,
    features: result.features,
    files: result.files
      .slice(0, 10)
      .map((f) => ({ path: f.path, confidence: f.confidence, score: f.score })),
    functions: result.functions.slice(0, 10).map((f) => ({
      path: f.path,
      qname: f.qname,
      kind: f.kind,
      start_line: f.startLine,
      end_line: f.endLine,
      confidence: f.confidence,
      score: f.score,
    })),
  };
  const group = fitGroupOf(inst, search, cands, gold, signals);
  return { outcome, ranking, result, ms, cpuMs, group };
}

/**
 * Candidate rows for fitting: the best 150 files and 300 chunks under the shipped weights (ranked
 * by the runtime's own scoring), plus every right one.
 */
function fitGroupOf(
  inst: EvalInstance,
  search: SearchIndex,
  cands: Candidates,
  gold: { files: ReadonlySet<string>; functions: ReadonlySet<string> },
  signals: QuerySignals | undefined,
): FitGroup {
  const isGoldFile = (id: number): boolean => gold.files.has(search.files[id]?.record.path ?? "");
  const isGoldChunk = (id: number): boolean => {
    const ch = search.chunks[id];
    const f = ch ? search.files[ch.file] : undefined;
    return (
      !!ch &&
      !!f &&
      gold.functions.has(functionKey(f.record.path, ch.chunk.qname, ch.chunk.startLine))
    );
  };
  const scoredFiles = scoreFiles(cands.files, RANKER_WEIGHTS);
  const files = scoredFiles.filter((f, i) => i < 150 || isGoldFile(f.c.id));
  const chunks = scoreChunks(cands.chunks, scoredFiles, RANKER_WEIGHTS).filter(
    (f, i) => i < 300 || isGoldChunk(f.c.id),
  );
  return {
    id: inst.id,
    repo: inst.repo,
    fileRows: files.map((f) => ({ ...f.c.x })),
    fileIds: files.map((f) => f.c.id),
    filePaths: files.map((f) => search.files[f.c.id]?.record.path ?? ""),
    fileLabels: files.map((f) => isGoldFile(f.c.id)),
    fileCoverage: files.map((f) => (signals ? coverageOf(search, signals, f.c.id) : 0)),
    chunkRows: chunks.map((f) => ({ ...f.c.x })),
    chunkFiles: chunks.map((f) => f.c.file),
    chunkLabels: chunks.map((f) => isGoldChunk(f.c.id)),
    chunkStrictLabels: chunks.map(
      (f) => isGoldChunk(f.c.id) && search.chunks[f.c.id]?.chunk.kind !== "file",
    ),
  };
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
  rules: MappingRules = {},
  variants: Record<string, MappingRules> = {},
  repoVocab?: RepoVocabularyOptions,
): Promise<EvalRun> {
  const run: EvalRun = {
    groups: [],
    outcomes: [],
    rankings: [],
    timings: [],
    queryMs: [],
    queryCpuMs: [],
    missing: [],
    variants: Object.fromEntries(Object.keys(variants).map((name) => [name, { outcomes: [] }])),
    mainDamping: repoVocab ? dampingName(repoVocab.damping ?? WORKSPACE_DAMPING) : undefined,
    dampings: Object.fromEntries(
      (repoVocab?.variants ?? []).map((d) => [dampingName(d), { outcomes: [], groups: [] }]),
    ),
    vocabularies: [],
  };
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
    let history: RepoHistory | undefined;
    if (repoVocab && existsSync(dir)) {
      history = new RepoHistory(dir, repo, repoVocab.cacheDir);
      // one git read for the union of the instances' windows
      history.prefetch(
        (byRepo.get(repo) ?? []).map((i) => i.commit),
        repoVocab.commits,
      );
    }
    for (const inst of byRepo.get(repo) ?? []) {
      if (!existsSync(dir)) {
        run.missing.push({ id: inst.id, reason: `no snapshot at ${dir}` });
        continue;
      }
      let index: CodeIndex;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      try {
        // With the `tests` rule, test files are read for their prose; they are never candidates.
        index = await buildIndex(gitSourceFiles(dir, inst.commit), {
          repo,
          cache,
          tests: rules.tests === true,
          // With the `calls` rule, each chunk keeps the names it calls, for the call graph.
          calls: rules.calls === true,
        });
      } catch (e) {
        run.missing.push({
          id: inst.id,
          reason: `cannot read commit: ${(e as Error).message.slice(0, 120)}`,
        });
        continue;
      }
      const search = new SearchIndex([index]);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (first) {
        run.timings.push({
          repo,
          coldIndexMs: ms,
          coldIndexCpuMs: (cpu.user + cpu.system) / 1000,
          lines: index.stats.lines,
          files: index.files.length,
          indexBytes: Buffer.byteLength(serializeIndex(index)),
          skipped: index.skipped.length,
        });
        first = false;
      }
      let bridge: BridgeTable | undefined;
      let window: CommitWithPatches[] = [];
      if (history && repoVocab) {
        const l0 = performance.now();
        const lc = process.cpuUsage();
        window = history.window(inst.commit, repoVocab.commits);
        const v = repoVocabulary(index, window, shippedBridge(), repoVocab.damping);
        const lcpu = process.cpuUsage(lc);
        bridge = v.bridge;
        run.vocabularies.push({
          id: inst.id,
          repo,
          commitsRead: v.commitsRead,
          pairs: v.pairs,
          words: v.words,
          learnMs: performance.now() - l0,
          learnCpuMs: (lcpu.user + lcpu.system) / 1000,
        });
      }
      const {
        outcome,
        ranking,
        ms: q,
        cpuMs,
        group,
      } = evaluateInstance(inst, index, search, rules, bridge);
      run.queryCpuMs.push(cpuMs);
      run.groups.push(group);
      run.outcomes.push(outcome);
      run.rankings.push(ranking);
      run.queryMs.push(q);
      if (history && repoVocab) {
        for (const d of repoVocab.variants ?? []) {
          const alt = repoVocabulary(index, window, shippedBridge(), d);
          const v = evaluateInstance(inst, index, search, rules, alt.bridge);
          const into = run.dampings[dampingName(d)];
          into?.outcomes.push(v.outcome);
          into?.groups.push(v.group);
        }
      }
      for (const [name, variantRules] of Object.entries(variants)) {
        const v = evaluateInstance(inst, index, search, { ...rules, ...variantRules }, bridge);
        run.variants[name]?.outcomes.push(v.outcome);
      }
      log(
        `${inst.id}: file rank ${outcome.fileRank || "-"}, function rank ${outcome.functionRank || "-"} (${outcome.functionRankWithFiles || "-"} with file chunks), confidence ${outcome.confidence.toFixed(2)}`,
      );
    }
  }
  return run;
}
