import type { ChunkCandidate, FileCandidate } from "./candidates";
import { describeEmbedding } from "./candidates/embedding";
import {
  FILE_FEATURES,
  type FileFeature,
  FUNCTION_FEATURES,
  type FunctionFeature,
  type RankerWeights,
} from "./features";
import type { SearchIndex } from "./search-index";
import type { QuerySignals } from "./signals";
import type { Contribution } from "./types";
import { describeBridge } from "./vocabulary/expand";

/**
 * Explanations: each feature's share of a score (feature × weight), with what matched in words a
 * person can check. No contribution is shown by its internal feature name.
 */

const SIGNAL: Partial<Record<FileFeature | FunctionFeature, Contribution["signal"]>> = {
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
  peripheral: "structure",
  bridge: "vocabulary",
  tests: "tests",
  calls: "calls",
  embedding: "vocabulary",
};

/** What each share of the word match means, for a person reading an explanation. */
const FIELD_LABEL: Partial<Record<FileFeature | FunctionFeature, string>> = {
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
  peripheral: "not product code, and the report does not point at it",
  bridge: "code words that fixes of reports using these words often change",
  tests: "tests whose names and descriptions match the report exercise it",
  calls: "a function the report matches calls it, or is called by it",
  embedding: "the report's words are close to this code's in word vectors learned from fix history",
};

export function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function topTerms(list: { term: string; score: number }[]): string {
  return list
    .slice(0, 6)
    .map((t) => `${t.term.replace("_", " ")} (${t.score.toFixed(2)})`)
    .join(", ");
}

export function explainFile(
  index: SearchIndex,
  signals: QuerySignals,
  weights: RankerWeights,
  c: FileCandidate,
): Contribution[] {
  const out: Contribution[] = [];
  for (const name of FILE_FEATURES) {
    const v = (weights.file[name] ?? 0) * c.x[name];
    if (Math.abs(v) < 1e-4) continue;
    let detail = (c.notes[name] ?? []).join("; ");
    if (name === "lexical") {
      const f = index.files[c.id];
      detail = topTerms(
        index.fileCollection.explain(
          signals.terms,
          c.id,
          (field) => f?.fields[field as keyof typeof f.fields],
        ),
      );
    }
    if (name === "bridge" && signals.bridge) {
      const f = index.files[c.id];
      detail = describeBridge(
        index.fileCollection.explain(
          signals.bridge.terms,
          c.id,
          (field) => f?.fields[field as keyof typeof f.fields],
        ),
        signals.bridge,
      );
    }
    if (name === "embedding" && signals.wordVectors)
      detail = describeEmbedding(index, signals, signals.wordVectors, "file", c.id);
    if (name === "tests" && detail) detail = `${detail} matches the report and exercises this file`;
    if (name === "hub")
      detail = `imports or is imported by ${index.neighbours[c.id]?.size ?? 0} files`;
    if (name === "size") detail = `${index.files[c.id]?.record.lines ?? 0} lines`;
    out.push({
      signal: SIGNAL[name] ?? "lexical",
      detail: detail || FIELD_LABEL[name] || name,
      score: round(v),
    });
  }
  return out.sort((a, b) => b.score - a.score);
}

export function explainFunction(
  index: SearchIndex,
  signals: QuerySignals,
  weights: RankerWeights,
  c: ChunkCandidate,
): Contribution[] {
  const out: Contribution[] = [];
  for (const name of FUNCTION_FEATURES) {
    const v = (weights.function[name] ?? 0) * c.x[name];
    if (Math.abs(v) < 1e-4) continue;
    let detail = (c.notes[name] ?? []).join("; ");
    const ch = index.chunks[c.id]?.chunk;
    if (name === "lexical") {
      detail = topTerms(
        index.chunkCollection.explain(
          signals.terms,
          c.id,
          (field) => ch?.fields[field as keyof typeof ch.fields],
        ),
      );
    }
    if (name === "bridge" && signals.bridge) {
      detail = describeBridge(
        index.chunkCollection.explain(
          signals.bridge.terms,
          c.id,
          (field) => ch?.fields[field as keyof typeof ch.fields],
        ),
        signals.bridge,
      );
    }
    if (name === "embedding" && signals.wordVectors)
      detail = describeEmbedding(index, signals, signals.wordVectors, "chunk", c.id);
    if (name === "tests" && detail) detail = `${detail} matches the report and calls it`;
    const filePath = index.files[c.file]?.record.path ?? "";
    if (name === "file_score") detail = `score of its file, ${filePath}`;
    if (name === "file_top") detail = `its file, ${filePath}, ranks first`;
    if (name === "size") detail = ch ? `${ch.endLine - ch.startLine + 1} lines` : "";
    out.push({
      signal:
        name === "bridge" || name === "embedding"
          ? "vocabulary"
          : name === "tests" || name === "calls"
            ? name
            : name === "lexical" || name.startsWith("lex_")
              ? "function-lexical"
              : (SIGNAL[name] ?? "function-lexical"),
      detail: detail || FIELD_LABEL[name] || name,
      score: round(v),
    });
  }
  return out.sort((a, b) => b.score - a.score);
}
