import { confidenceOf } from "./calibration";
import { type Candidates, collectCandidates } from "./candidates";
import {
  FILE_FEATURES,
  FUNCTION_FEATURES,
  type FunctionFeature,
  linearScore,
  RANKER_WEIGHTS,
  type RankerWeights,
} from "./model";
import { extractSignals, type QuerySignals } from "./signals";
import type { BugReport, Contribution, FileResult, FunctionResult, MappingResult } from "./types";
import type { Workspace } from "./workspace";

/**
 * Map a bug report to ranked files and functions of a workspace. Each score is a weighted sum
 * of features (model.ts); each feature's share is kept as the explanation, with what matched.
 */
export interface MapOptions {
  files?: number;
  functions?: number;
  functionsPerFile?: number;
  weights?: RankerWeights;
}

const SIGNAL: Record<string, Contribution["signal"]> = {
  lexical: "lexical",
  best_function: "function-lexical",
  function_sum: "function-lexical",
  lex_path: "path",
  name_cover: "path",
  hub: "structure",
  size: "structure",
  within_file: "function-lexical",
  container: "structure",
  file_chunk: "structure",
  path: "path",
  stack_frame: "stack-frame",
  symbol: "symbol",
  basename: "symbol",
  neighbour: "neighbour",
  message: "string",
  file_score: "file",
  file_top: "file",
};

/** What each share of the word match means, for a person reading an explanation. */
const FIELD_LABEL: Record<string, string> = {
  lex_path: "share of the word match in the file's path",
  lex_name: "share of the word match in names defined here",
  lex_sig: "share of the word match in signatures",
  lex_doc: "share of the word match in comments",
  lex_id: "share of the word match in identifiers used",
  lex_str: "share of the word match in string literals",
  lex_sbi: "share of the word match in phrases of string literals",
  lex_title: "words of the report's title",
  lex_code: "words of the report's code and quoted messages",
  function_sum: "word matches spread over this file's functions",
  name_cover:
    "words of the file name (the folder name for index, mod and __init__ files) that the report uses",
  within_file: "word match relative to the best function of its file",
  coverage: "share of the function's words the report uses",
  file_chunk: "module-level code rather than a function",
  container: "a class or type holding functions",
};

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Rank files and functions for a bug. */
export function mapBug(ws: Workspace, bug: BugReport, options: MapOptions = {}): MappingResult {
  const signals = extractSignals(bug);
  return rankCandidates(ws, signals, collectCandidates(ws, signals), options);
}

/** Fill the file-dependent function features from file scores (shared with the evaluation). */
export function fillFileFeatures(
  chunkX: number[][],
  chunkFile: number[],
  fileScore: Map<number, number>,
  top: { id: number; score: number } | undefined,
): void {
  const iScore = FUNCTION_FEATURES.indexOf("file_score");
  const iTop = FUNCTION_FEATURES.indexOf("file_top");
  const best = top && top.score > 0 ? top.score : 1;
  chunkX.forEach((x, k) => {
    const f = chunkFile[k] as number;
    x[iScore] = Math.max(0, (fileScore.get(f) ?? 0) / best);
    x[iTop] = top && f === top.id ? 1 : 0;
  });
}

export function rankCandidates(
  ws: Workspace,
  signals: QuerySignals,
  cands: Candidates,
  options: MapOptions = {},
): MappingResult {
  const weights = options.weights ?? RANKER_WEIGHTS;
  const nFiles = options.files ?? 10;
  const nFunctions = options.functions ?? 10;
  const perFile = options.functionsPerFile ?? 3;

  const scoredFiles = cands.files
    .map((c) => ({ c, score: linearScore(FILE_FEATURES, weights.file, c.x) }))
    .sort((a, b) => b.score - a.score || a.c.id - b.c.id);
  const fileScore = new Map(scoredFiles.map((f) => [f.c.id, f.score]));
  const top = scoredFiles[0] ? { id: scoredFiles[0].c.id, score: scoredFiles[0].score } : undefined;
  fillFileFeatures(
    cands.chunks.map((c) => c.x),
    cands.chunks.map((c) => c.file),
    fileScore,
    top,
  );
  const scoredChunks = cands.chunks
    .map((c) => ({ c, score: linearScore(FUNCTION_FEATURES, weights.function, c.x) }))
    .sort((a, b) => b.score - a.score || a.c.id - b.c.id);

  const confidence = confidenceOf(
    ws,
    signals,
    scoredFiles.map((f) => ({ id: f.c.id, score: f.score, x: f.c.x })),
  );
  const fileConf = distribute(
    confidence.top,
    scoredFiles.map((f) => f.score),
  );
  const fileRank = new Map(scoredFiles.map((f, i) => [f.c.id, i]));

  const fileExplanation = (c: (typeof scoredFiles)[number]["c"]): Contribution[] => {
    const out: Contribution[] = [];
    FILE_FEATURES.forEach((name, i) => {
      const v = (weights.file[name] ?? 0) * (c.x[i] as number);
      if (Math.abs(v) < 1e-4) return;
      let detail = (c.notes[name] ?? []).join("; ");
      if (name === "lexical") {
        const f = ws.files[c.id];
        detail = topTerms(
          ws.fileCollection.explain(
            signals.terms,
            c.id,
            (field) => f?.fields[field as keyof typeof f.fields],
          ),
        );
      }
      if (name === "hub")
        detail = `imports or is imported by ${ws.neighbours[c.id]?.size ?? 0} files`;
      if (name === "size") detail = `${ws.files[c.id]?.record.lines ?? 0} lines`;
      out.push({
        signal: SIGNAL[name] ?? "lexical",
        detail: detail || FIELD_LABEL[name] || name,
        score: round(v),
      });
    });
    return out.sort((a, b) => b.score - a.score);
  };
  const chunkExplanation = (c: (typeof scoredChunks)[number]["c"]): Contribution[] => {
    const out: Contribution[] = [];
    FUNCTION_FEATURES.forEach((name: FunctionFeature, i) => {
      const v = (weights.function[name] ?? 0) * (c.x[i] as number);
      if (Math.abs(v) < 1e-4) return;
      let detail = (c.notes[name] ?? []).join("; ");
      if (name === "lexical") {
        const ch = ws.chunks[c.id]?.chunk;
        detail = topTerms(
          ws.chunkCollection.explain(
            signals.terms,
            c.id,
            (field) => ch?.fields[field as keyof typeof ch.fields],
          ),
        );
      }
      const filePath = ws.files[c.file]?.record.path ?? "";
      if (name === "file_score") detail = `score of its file, ${filePath}`;
      if (name === "file_top") detail = `its file, ${filePath}, ranks first`;
      if (name === "size") {
        const ch = ws.chunks[c.id]?.chunk;
        detail = ch ? `${ch.endLine - ch.startLine + 1} lines` : "";
      }
      out.push({
        signal:
          name === "lexical" || name.startsWith("lex_")
            ? "function-lexical"
            : (SIGNAL[name] ?? "function-lexical"),
        detail: detail || FIELD_LABEL[name] || name,
        score: round(v),
      });
    });
    return out.sort((a, b) => b.score - a.score);
  };

  const perFileTotal = new Map<number, number>();
  for (const s of scoredChunks)
    perFileTotal.set(s.c.file, (perFileTotal.get(s.c.file) ?? 0) + Math.max(0, s.score));
  const fnResult = (s: (typeof scoredChunks)[number]): FunctionResult => {
    const ch = ws.chunks[s.c.id]!;
    const file = ws.files[ch.file]!;
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
      explanation: chunkExplanation(s.c),
    };
  };

  const byFile = new Map<number, (typeof scoredChunks)[number][]>();
  for (const s of scoredChunks) {
    const list = byFile.get(s.c.file) ?? [];
    if (list.length < perFile) list.push(s);
    byFile.set(s.c.file, list);
  }
  const files: FileResult[] = scoredFiles.slice(0, nFiles).map((f, i) => {
    const file = ws.files[f.c.id]!;
    return {
      repo: file.repo,
      path: file.record.path,
      score: round(f.score),
      confidence: round(fileConf[i] ?? 0),
      explanation: fileExplanation(f.c),
      functions: (byFile.get(f.c.id) ?? []).map(fnResult),
    };
  });
  return {
    files,
    functions: scoredChunks.slice(0, nFunctions).map(fnResult),
    confidence: round(confidence.top),
    features: confidence.features,
  };
}

function topTerms(list: { term: string; score: number }[]): string {
  return list
    .slice(0, 6)
    .map((t) => `${t.term.replace("_", " ")} (${t.score.toFixed(2)})`)
    .join(", ");
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

export type { Candidates };
export { collectCandidates };
