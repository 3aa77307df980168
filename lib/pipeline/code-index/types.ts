/**
 * Types of the code index: derived data only. Nothing here holds source text: chunks keep names,
 * spans and term frequencies per field; files keep content hashes and import edges.
 */

import type { ParsedLanguageId } from "./languages";

/** Languages with a grammar (see `languages/`), and `text` for files indexed at file level. */
export type LanguageId = ParsedLanguageId | "text";

export type ChunkKind = "file" | "function" | "method" | "class" | "type" | "impl" | "module";

/** Fields a chunk's terms are counted in; each gets its own weight when ranking. */
export type TermField = "name" | "sig" | "doc" | "id" | "str" | "sbi";

export const TERM_FIELDS: readonly TermField[] = ["name", "sig", "doc", "id", "str", "sbi"];

/** Term → frequency. Serialised with sorted keys. */
export type TermCounts = Record<string, number>;

export interface Chunk {
  /** Simple name, e.g. `Close`; `<file>` for the file-level chunk. */
  name: string;
  /** Qualified name as the language names it: `Class.method`, `Type::fn`, `Receiver.Method`. */
  qname: string;
  kind: ChunkKind;
  /** 1-based inclusive line span. */
  startLine: number;
  endLine: number;
  /** Index of the enclosing chunk in the file's chunk list; -1 for the file chunk. */
  parent: number;
  fields: Partial<Record<TermField, TermCounts>>;
  /**
   * Names the chunk calls (the last identifier of each call site's callee: `a.b.parse(x)` →
   * `parse`), sorted and unique; absent when it calls none. Not nested chunks' calls.
   */
  calls?: string[];
}

export type ParseStatus = "parsed" | "syntax-errors" | "file-level";

export interface FileRecord {
  path: string;
  language: LanguageId;
  /** Git blob id of the content (sha1 of `blob <len>\0<bytes>`). */
  hash: string;
  lines: number;
  bytes: number;
  status: ParseStatus;
  /** Import targets as written (module paths, include paths), sorted and unique. */
  imports: string[];
  /** Top-level names a JavaScript or TypeScript module exports, sorted (absent elsewhere). */
  exports?: string[];
  /** Path terms (directories, base name, split identifiers). */
  pathTerms: TermCounts;
  /** Chunk 0 is always the file-level chunk. */
  chunks: Chunk[];
}

export type SkipReason =
  | "vendored"
  | "generated"
  | "minified"
  | "binary"
  | "test"
  | "too-large"
  | "unsupported"
  | "excluded";

export interface SkippedFile {
  path: string;
  reason: SkipReason;
}

export interface FieldStats {
  /** Number of documents (files or chunks) with the term in this field. */
  df: Record<string, number>;
  /** Total term count of the field over all documents, for average length. */
  totalLength: number;
}

export interface IndexStats {
  files: number;
  chunks: number;
  lines: number;
  /** Document frequency over chunks, per field, and over files for `path`. */
  chunkFields: Record<TermField, FieldStats>;
  path: FieldStats;
}

/**
 * A test file, kept only for the words it describes behaviour in (`BuildOptions.tests`): its
 * test cases' names, comments, description strings and the identifiers they use, and its
 * imports, so the mapper can carry a report that matches a test over to the code it exercises.
 * Its chunks keep the `name`, `doc`, `str` and `id` fields only. Not part of `files` or `stats`.
 */
export interface TestFileRecord {
  path: string;
  language: LanguageId;
  hash: string;
  /** Import targets as written, sorted and unique. */
  imports: string[];
  /** Chunk 0 is the file-level chunk (a JavaScript `it("…")` block stays in it). */
  chunks: Chunk[];
}

export interface CodeIndex {
  formatVersion: number;
  repo: string;
  /** Sorted by path. */
  files: FileRecord[];
  /** Sorted by path. */
  skipped: SkippedFile[];
  stats: IndexStats;
  /** Test files, sorted by path; present only when built with `tests: true`. */
  tests?: TestFileRecord[];
}

export interface IndexProgress {
  done: number;
  total: number;
  path: string;
}
