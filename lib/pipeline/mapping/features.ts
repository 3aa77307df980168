import weights from "./ranker-weights.json";

/**
 * The ranking model's features: named, repository- and language-independent evidence for a file
 * or a function. A candidate carries them as a record (`FileFeatures`, `FunctionFeatures`); the
 * lists below fix one order, used only where a vector is needed (fitting, and the order in which
 * a score is summed, so scores do not depend on how a record was filled).
 */
export const FILE_FEATURES = [
  "lexical",
  "lex_path",
  "lex_name",
  "lex_sig",
  "lex_doc",
  "lex_id",
  "lex_str",
  "lex_sbi",
  "best_function",
  "function_sum",
  "lex_title",
  "lex_code",
  "neighbour",
  "message",
  "path",
  "stack_frame",
  "symbol",
  "basename",
  "size",
  "hub",
  "name_cover",
  "peripheral",
  "bridge",
  "tests",
  "calls",
  "embedding",
] as const;

export const FUNCTION_FEATURES = [
  "lexical",
  "lex_name",
  "lex_sig",
  "lex_doc",
  "lex_id",
  "lex_str",
  "lex_sbi",
  "lex_title",
  "lex_code",
  "symbol",
  "stack_frame",
  "message",
  "file_score",
  "file_top",
  "within_file",
  "file_chunk",
  "container",
  "size",
  "coverage",
  "bridge",
  "tests",
  "calls",
  "embedding",
] as const;

export type FileFeature = (typeof FILE_FEATURES)[number];
export type FunctionFeature = (typeof FUNCTION_FEATURES)[number];

/** A file candidate's evidence, one value per named feature. */
export type FileFeatures = Record<FileFeature, number>;
/** A function (or other chunk) candidate's evidence, one value per named feature. */
export type FunctionFeatures = Record<FunctionFeature, number>;

/** Features whose value is the share of a BM25F score from one field (`lex_<field>`). */
export type FieldFeature = `lex_${"path" | "name" | "sig" | "doc" | "id" | "str" | "sbi"}`;

/**
 * Weights of the linear score. Fitted by pairwise logistic regression (the right file should
 * outscore each wrong candidate) with a ridge penalty, offline (`lib/pipeline/mapping-eval/`,
 * `npm run eval:mapping -- --fit`), and shipped in `ranker-weights.json`.
 */
export interface RankerWeights {
  file: Record<FileFeature, number>;
  function: Record<FunctionFeature, number>;
}

export const RANKER_WEIGHTS: RankerWeights = weights as RankerWeights;

// Written out rather than built from the lists: a literal gives every candidate the same
// object shape, which keeps reading and writing features fast (thousands of candidates a query).
export function emptyFileFeatures(): FileFeatures {
  return {
    lexical: 0,
    lex_path: 0,
    lex_name: 0,
    lex_sig: 0,
    lex_doc: 0,
    lex_id: 0,
    lex_str: 0,
    lex_sbi: 0,
    best_function: 0,
    function_sum: 0,
    lex_title: 0,
    lex_code: 0,
    neighbour: 0,
    message: 0,
    path: 0,
    stack_frame: 0,
    symbol: 0,
    basename: 0,
    size: 0,
    hub: 0,
    name_cover: 0,
    peripheral: 0,
    bridge: 0,
    tests: 0,
    calls: 0,
    embedding: 0,
  };
}

export function emptyFunctionFeatures(): FunctionFeatures {
  return {
    lexical: 0,
    lex_name: 0,
    lex_sig: 0,
    lex_doc: 0,
    lex_id: 0,
    lex_str: 0,
    lex_sbi: 0,
    lex_title: 0,
    lex_code: 0,
    symbol: 0,
    stack_frame: 0,
    message: 0,
    file_score: 0,
    file_top: 0,
    within_file: 0,
    file_chunk: 0,
    container: 0,
    size: 0,
    coverage: 0,
    bridge: 0,
    tests: 0,
    calls: 0,
    embedding: 0,
  };
}

/**
 * Weighted sum of named features. Summed in the order of `names` (the feature lists above) so
 * the same evidence gives bit-for-bit the same score wherever it is computed.
 */
export function linearScore<T extends string>(
  names: readonly T[],
  w: Partial<Record<T, number>>,
  x: Readonly<Record<T, number>>,
): number {
  let s = 0;
  for (const name of names) s += (w[name] ?? 0) * x[name];
  return s;
}

export function fileScore(w: RankerWeights, x: Readonly<FileFeatures>): number {
  return linearScore(FILE_FEATURES, w.file, x);
}

export function functionScore(w: RankerWeights, x: Readonly<FunctionFeatures>): number {
  return linearScore(FUNCTION_FEATURES, w.function, x);
}

/** Features as a vector in the given order, for numerical fitting. */
export function toVector<T extends string>(
  names: readonly T[],
  x: Readonly<Record<T, number>>,
): number[] {
  return names.map((n) => x[n]);
}
