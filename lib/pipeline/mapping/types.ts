import type { ChunkKind } from "../code-index/types";

/** A structured bug, as extraction produces it. Every field but the title is optional. */
export interface BugReport {
  title: string;
  description?: string;
  stepsToReproduce?: string;
  expected?: string;
  actual?: string;
  errorMessages?: string[];
  stackTraces?: string[];
  featureArea?: string;
}

/** One reason a result ranks where it does, and how much it added to the score. */
export interface Contribution {
  signal:
    | "lexical"
    | "function-lexical"
    | "path"
    | "stack-frame"
    | "symbol"
    | "string"
    | "neighbour"
    | "structure"
    | "file"
    | "vocabulary"
    | "tests"
    | "calls";
  /** What matched, in words a person can check: a term list, a path, a frame, a symbol. */
  detail: string;
  score: number;
}

export interface FunctionResult {
  repo: string;
  path: string;
  name: string;
  qname: string;
  kind: ChunkKind;
  startLine: number;
  endLine: number;
  score: number;
  confidence: number;
  explanation: Contribution[];
}

export interface FileResult {
  repo: string;
  path: string;
  score: number;
  confidence: number;
  explanation: Contribution[];
  functions: FunctionResult[];
}

export interface MappingResult {
  files: FileResult[];
  /** Functions across all files, best first. */
  functions: FunctionResult[];
  /** Calibrated probability that the top file is right; compare with the workspace's gate. */
  confidence: number;
  features: ConfidenceFeatures;
}

/** What the confidence model reads. Documented in docs/code-map.md. */
export interface ConfidenceFeatures {
  /** (top − second) / top of the file scores. */
  margin: number;
  /** Structural evidence on the top file (path, frame, symbol), 0 when it rests on words alone. */
  evidence: number;
  /** Share of the query's weighted terms that the top file contains. */
  coverage: number;
}
