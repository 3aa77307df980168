import { mergeCounts } from "../code-index/tokenize";
import type { Chunk, CodeIndex, FileRecord, TermCounts, TermField } from "../code-index/types";
import { TERM_FIELDS } from "../code-index/types";
import { Bm25fCollection, type FieldParams } from "./bm25f";
import { buildCallGraph, type CallGraph } from "./call-graph";
import { type ImportsOf, linkImports } from "./import-graph";
import { type Peripheral, peripheralFiles } from "./product-code";
import {
  callableNames,
  linkTestFile,
  newTestCollection,
  proseFields,
  type TestCase,
} from "./test-links";

/**
 * The in-memory search structures over one or more repository indexes (an organization's
 * repositories), searchable together. Built from persisted indexes (derived data only) in one
 * pass; build it once and map many reports against it.
 */

/** Field weights for whole files. Names of what a file defines and its path count most. */
export const FILE_FIELDS: Record<string, FieldParams> = {
  path: { weight: 3, b: 0.3 },
  name: { weight: 2.5, b: 0.5 },
  sig: { weight: 1.2, b: 0.5 },
  doc: { weight: 0.6, b: 0.6 },
  id: { weight: 1, b: 0.75 },
  str: { weight: 1.2, b: 0.6 },
  sbi: { weight: 2, b: 0.5 },
};

/** Field weights for functions and other chunks. */
export const CHUNK_FIELDS: Record<string, FieldParams> = {
  name: { weight: 3, b: 0.3 },
  sig: { weight: 1.5, b: 0.5 },
  doc: { weight: 0.8, b: 0.6 },
  id: { weight: 1, b: 0.75 },
  str: { weight: 1.2, b: 0.6 },
  sbi: { weight: 2, b: 0.5 },
};

export interface IndexedFile {
  repo: string;
  record: FileRecord;
  /** Global ids of the file's chunks, in file order. */
  chunkIds: number[];
  fields: Partial<Record<TermField | "path", TermCounts>>;
}

export interface IndexedChunk {
  file: number;
  chunk: Chunk;
  /** Lines of the chunk not inside a nested chunk (a file chunk's module-level lines). */
  ownLines: number;
}

const SUFFIX_DEPTH = 4;

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/_/g, "");
}

export class SearchIndex {
  readonly files: IndexedFile[] = [];
  readonly chunks: IndexedChunk[] = [];
  readonly fileCollection = new Bm25fCollection(FILE_FIELDS);
  readonly chunkCollection = new Bm25fCollection(CHUNK_FIELDS);
  /** Lower-case simple name → chunk ids that define it. */
  readonly definitions = new Map<string, number[]>();
  /** Base name without extension, lower case, no underscores → file ids. */
  readonly basenames = new Map<string, number[]>();
  /** Last 1..4 path segments → file ids. */
  readonly suffixes = new Map<string, number[]>();
  /** Files each file imports or is imported by (resolved import edges, both directions). */
  readonly neighbours: Set<number>[] = [];
  /** Path without extension, last 1..3 segments → file ids; directory, last 1..3 → file ids. */
  private readonly stems = new Map<string, number[]>();
  private readonly dirs = new Map<string, number[]>();
  /** Files that are not product code (bundled library, build script, tooling, declarations). */
  readonly peripheral: (Peripheral | undefined)[] = [];
  /** Prose of the repositories' test cases (indexes built with `tests: true`), one per case. */
  readonly testCollection = newTestCollection();
  /** The test cases, by document id of `testCollection`, with the code each exercises. */
  readonly testCases: TestCase[] = [];
  /** Most import edges of any file, to scale the hub feature. */
  maxNeighbours = 1;
  /** Line count of the longest file, to scale the size feature. */
  maxLines = 1;
  /** Each file's imports resolved to files (module rules or path suffix). */
  private readonly importsOf: ImportsOf;
  private calls: CallGraph | undefined;

  constructor(indexes: readonly CodeIndex[]) {
    for (const index of indexes) {
      const roles = peripheralFiles(
        index.files.map((f) => f.path),
        index.skipped.map((f) => f.path),
      );
      for (const record of index.files) {
        this.peripheral.push(roles.get(record.path));
        this.addFile(index.repo, record);
      }
    }
    this.fileCollection.finish();
    this.chunkCollection.finish();
    for (const f of this.files) {
      const segs = f.record.path
        .toLowerCase()
        .replace(/\.[^./]+$/, "")
        .split("/");
      const dir = segs.slice(0, -1);
      for (let k = 1; k <= 3; k++) {
        if (segs.length >= k) push(this.stems, segs.slice(-k).join("/"), this.neighbours.length);
        if (dir.length >= k) push(this.dirs, dir.slice(-k).join("/"), this.neighbours.length);
      }
      this.neighbours.push(new Set());
    }
    const importsOf = linkImports(this, (target) => this.resolveImport(target));
    this.importsOf = importsOf;
    for (const n of this.neighbours) this.maxNeighbours = Math.max(this.maxNeighbours, n.size);
    if (indexes.some((index) => (index.tests?.length ?? 0) > 0)) {
      const ctx = {
        files: this.files,
        chunks: this.chunks,
        filesNamed: (name: string) => this.filesNamed(name),
        importsOf,
      };
      const callable = callableNames(ctx);
      for (const index of indexes) {
        for (const test of index.tests ?? []) {
          for (const c of linkTestFile(ctx, callable, index.repo, test)) {
            this.testCollection.add(proseFields(c.chunk));
            this.testCases.push(c);
          }
        }
      }
    }
    this.testCollection.finish();
  }

  /**
   * Files an import names, language-neutrally: the module path is split on `.`, `/` and `::`
   * and its longest prefix that ends a file path (`a/b/c.py`, `a/b/C.java`, `b/mod.rs`) or a
   * directory (Go packages) is taken. Imports matching many files are ignored.
   */
  resolveImport(target: string): number[] {
    const hadExtension = /\.[a-z]{1,4}$/i.test(target) && !target.includes("::");
    const clean = target
      .toLowerCase()
      .replace(/\.(h|hpp|hh|hxx|c|cc|cpp|rs|py|go|js|ts|tsx|jsx|mjs)$/, "");
    const segs = clean
      .split(/::|[./\\]+/)
      .filter(
        (s) => s !== "" && s !== "crate" && s !== "self" && s !== "super" && s !== "*" && s !== "{",
      );
    for (let k = segs.length; k >= 1; k--) {
      // Windows of up to three segments ending at k; a single segment only for the last one.
      for (let w = Math.min(3, k); w >= (k === segs.length ? 1 : 2); w--) {
        const key = segs.slice(k - w, k).join("/");
        // A bare one-word import (`errors`, `os`) is a library unless it names a file (`jv.h`).
        if (w === 1 && segs.length === 1 && !hadExtension && !target.startsWith(".")) continue;
        const hits = this.stems.get(key) ?? this.dirs.get(key);
        if (hits && hits.length > 0) return hits.length <= 30 ? hits : [];
      }
    }
    return [];
  }

  private addFile(repo: string, record: FileRecord): void {
    const fileId = this.files.length;
    const fields: IndexedFile["fields"] = { path: record.pathTerms };
    const chunkIds: number[] = [];
    for (const f of TERM_FIELDS) fields[f] = {};
    const nested = record.chunks.map(() => 0);
    for (const c of record.chunks) {
      if (c.parent >= 0) nested[c.parent] = (nested[c.parent] ?? 0) + (c.endLine - c.startLine + 1);
    }
    for (const [k, chunk] of record.chunks.entries()) {
      const ownLines = Math.max(1, chunk.endLine - chunk.startLine + 1 - (nested[k] ?? 0));
      const id = this.chunks.push({ file: fileId, chunk, ownLines }) - 1;
      chunkIds.push(id);
      for (const f of TERM_FIELDS) mergeCounts(fields[f] as TermCounts, chunk.fields[f]);
      this.chunkCollection.add(chunk.fields);
      if (chunk.kind !== "file") {
        const key = chunk.name.toLowerCase();
        const list = this.definitions.get(key);
        if (list) list.push(id);
        else this.definitions.set(key, [id]);
      }
    }
    this.files.push({ repo, record, chunkIds, fields });
    this.maxLines = Math.max(this.maxLines, record.lines);
    this.fileCollection.add(fields);
    const segs = record.path.split("/");
    push(this.basenames, normaliseName(moduleName(record.path)), fileId);
    for (let k = 1; k <= Math.min(SUFFIX_DEPTH, segs.length); k++) {
      push(this.suffixes, segs.slice(-k).join("/").toLowerCase(), fileId);
    }
  }

  /** The call graph (`call-graph.ts`), built on first use: only the `calls` rule reads it. */
  callGraph(): CallGraph {
    this.calls ??= buildCallGraph(this, this.importsOf);
    return this.calls;
  }

  /** Files whose path ends with the given path, matching as many trailing segments as possible. */
  matchPath(path: string): { files: number[]; segments: number } {
    const segs = path
      .toLowerCase()
      .split("/")
      .filter((s) => s !== "" && s !== "." && s !== "..");
    for (let k = segs.length; k >= 1; k--) {
      const suffix = segs.slice(-k).join("/");
      let files: number[] | undefined;
      if (k <= SUFFIX_DEPTH) files = this.suffixes.get(suffix);
      else
        files = this.files.flatMap((f, i) =>
          f.record.path.toLowerCase().endsWith(`/${suffix}`) ||
          f.record.path.toLowerCase() === suffix
            ? [i]
            : [],
        );
      if (files && files.length > 0) return { files, segments: k };
    }
    return { files: [], segments: 0 };
  }

  /** Files whose base name is the given identifier (`JsonParser` → `JsonParser.java`, `json_parser.py`). */
  filesNamed(identifier: string): number[] {
    return this.basenames.get(normaliseName(identifier)) ?? [];
  }
}

/** File names that stand for their directory: the module is named by the folder they sit in. */
const DIRECTORY_MODULE = new Set(["index", "mod", "__init__"]);

/**
 * The name a file's module goes by: its base name without extension (`json_parser.py` →
 * `json_parser`), or its directory's name for `index.ts`, `mod.rs` and `__init__.py`
 * (`plugin/customParseFormat/index.js` → `customParseFormat`).
 */
export function moduleName(path: string): string {
  const segs = path.split("/");
  const base = (segs[segs.length - 1] ?? "").replace(/\.d\.ts$/, "").replace(/\.[^.]+$/, "");
  if (DIRECTORY_MODULE.has(base) && segs.length > 1) return segs[segs.length - 2] ?? base;
  return base;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
