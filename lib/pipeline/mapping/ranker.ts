import { confidenceOf } from "./calibration";
import type { Candidates, ChunkCandidate, FileCandidate } from "./candidates";
import { explainFile, explainFunction, round } from "./explain";
import {
  type FunctionFeatures,
  fileScore,
  functionScore,
  RANKER_WEIGHTS,
  type RankerWeights,
} from "./features";
import type { SearchIndex } from "./search-index";
import type { QuerySignals } from "./signals";
import type { FileResult, FunctionResult, MappingResult } from "./types";

/**
 * Rank candidates: each score is a weighted sum of named features (features.ts), files first,
 * then functions (whose features include their file's score); the calibrated confidence of the
 * top file is spread over the ranking; each result keeps its explanation.
 */
export interface RankOptions {
  /** Files returned (10). */
  files?: number;
  /** Functions returned across all files (10). */
  functions?: number;
  /** Functions listed under each file (3). */
  functionsPerFile?: number;
  /** Ranking weights; the shipped `ranker-weights.json` by default. */
  weights?: RankerWeights;
}

interface Scored<C> {
  c: C;
  score: number;
}

/**
 * Fill the file-dependent function features from file scores: the file's score relative to the
 * top file's, and whether it is the top file. The offline fitting calls this too.
 */
export function fillFileFeatures(
  chunks: readonly FunctionFeatures[],
  chunkFile: readonly number[],
  fileScores: ReadonlyMap<number, number>,
  top: { id: number; score: number } | undefined,
): void {
  const best = top && top.score > 0 ? top.score : 1;
  chunks.forEach((x, k) => {
    const f = chunkFile[k] as number;
    x.file_score = Math.max(0, (fileScores.get(f) ?? 0) / best);
    x.file_top = top && f === top.id ? 1 : 0;
  });
}

function byScore<C extends { id: number }>(a: Scored<C>, b: Scored<C>): number {
  return b.score - a.score || a.c.id - b.c.id;
}

/** Files by score, best first (ties by id). */
export function scoreFiles(
  files: readonly FileCandidate[],
  weights: RankerWeights,
): Scored<FileCandidate>[] {
  return files.map((c) => ({ c, score: fileScore(weights, c.x) })).sort(byScore);
}

/** Chunks by score, best first, once their file features are filled from the file ranking. */
export function scoreChunks(
  chunks: readonly ChunkCandidate[],
  files: readonly Scored<FileCandidate>[],
  weights: RankerWeights,
): Scored<ChunkCandidate>[] {
  const first = files[0];
  fillFileFeatures(
    chunks.map((c) => c.x),
    chunks.map((c) => c.file),
    new Map(files.map((f) => [f.c.id, f.score])),
    first ? { id: first.c.id, score: first.score } : undefined,
  );
  return chunks.map((c) => ({ c, score: functionScore(weights, c.x) })).sort(byScore);
}

/**
 * Spread the calibrated top-file probability over the ranking: the top file gets it, the others
 * share the remainder in proportion to their squared scores (so the confidences sum to at most 1).
 */
function distribute(top: number, scores: number[]): number[] {
  if (scores.length === 0) return [];
  const rest = scores.slice(1).reduce((a, b) => a + Math.max(0, b) ** 2, 0);
  return scores.map((s, i) =>
    i === 0 ? top : rest > 0 ? ((1 - top) * Math.max(0, s) ** 2) / rest : 0,
  );
}

export function rankCandidates(
  index: SearchIndex,
  signals: QuerySignals,
  cands: Candidates,
  options: RankOptions = {},
): MappingResult {
  const weights = options.weights ?? RANKER_WEIGHTS;
  const perFile = options.functionsPerFile ?? 3;
  const scoredFiles = scoreFiles(cands.files, weights);
  const scoredChunks = scoreChunks(cands.chunks, scoredFiles, weights);
  const confidence = confidenceOf(
    index,
    signals,
    scoredFiles.map((f) => ({ id: f.c.id, score: f.score, x: f.c.x })),
  );
  const fileConf = distribute(
    confidence.top,
    scoredFiles.map((f) => f.score),
  );
  const fileRank = new Map(scoredFiles.map((f, i) => [f.c.id, i]));

  // A function's confidence is its file's, times its share of the file's function scores.
  const perFileTotal = new Map<number, number>();
  for (const s of scoredChunks)
    perFileTotal.set(s.c.file, (perFileTotal.get(s.c.file) ?? 0) + Math.max(0, s.score));
  const fnResult = (s: Scored<ChunkCandidate>): FunctionResult => {
    const ch = index.chunks[s.c.id]!;
    const file = index.files[ch.file]!;
    const fc = fileConf[fileRank.get(ch.file) ?? -1] ?? 0;
    const total = perFileTotal.get(ch.file) ?? 0;
    return {
      repo: file.repo,
      path: file.record.path,
      name: ch.chunk.name,
      qname: ch.chunk.qname,
      kind: ch.chunk.kind,
      startLine: ch.chunk.startLine,
      endLine: ch.chunk.endLine,
      score: round(s.score),
      confidence: round(total > 0 ? (fc * Math.max(0, s.score)) / total : 0),
      explanation: explainFunction(index, signals, weights, s.c),
    };
  };

  const byFile = new Map<number, Scored<ChunkCandidate>[]>();
  for (const s of scoredChunks) {
    const list = byFile.get(s.c.file) ?? [];
    if (list.length < perFile) list.push(s);
    byFile.set(s.c.file, list);
  }
  const files: FileResult[] = scoredFiles.slice(0, options.files ?? 10).map((f, i) => {
    const file = index.files[f.c.id]!;
    return {
      repo: file.repo,
      path: file.record.path,
      score: round(f.score),
      confidence: round(fileConf[i] ?? 0),
      explanation: explainFile(index, signals, weights, f.c),
      functions: (byFile.get(f.c.id) ?? []).map(fnResult),
    };
  });
  return {
    files,
    functions: scoredChunks.slice(0, options.functions ?? 10).map(fnResult),
    confidence: round(confidence.top),
    features: confidence.features,
  };
}
