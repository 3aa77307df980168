import { countOf } from "../code-index/tokenize";
import type { Chunk, CodeIndex, FileRecord, TermCounts, TermField } from "../code-index/types";
import { TERM_FIELDS } from "../code-index/types";
import { Bm25fCollection, type FieldParams } from "./bm25f";

/**
 * The in-memory search structures of a workspace: one or more repository indexes, searchable
 * together. Built from persisted indexes (derived data only) in one pass.
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

export interface WorkspaceFile {
  repo: string;
  record: FileRecord;
  /** Global ids of the file's chunks, in file order. */
  chunkIds: number[];
  fields: Partial<Record<TermField | "path", TermCounts>>;
}

export interface WorkspaceChunk {
  file: number;
  chunk: Chunk;
}

const SUFFIX_DEPTH = 4;

function mergeCounts(into: TermCounts, from: TermCounts | undefined): void {
  if (!from) return;
  for (const [t, n] of Object.entries(from)) into[t] = countOf(into, t) + n;
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/_/g, "");
}

export class Workspace {
  readonly files: WorkspaceFile[] = [];
  readonly chunks: WorkspaceChunk[] = [];
  readonly fileCollection = new Bm25fCollection(FILE_FIELDS);
  readonly chunkCollection = new Bm25fCollection(CHUNK_FIELDS);
  /** Lower-case simple name → chunk ids that define it. */
  readonly definitions = new Map<string, number[]>();
  /** Base name without extension, lower case, no underscores → file ids. */
  readonly basenames = new Map<string, number[]>();
  /** Last 1..4 path segments → file ids. */
  readonly suffixes = new Map<string, number[]>();
  /** Line count of the longest file, to scale the size feature. */
  maxLines = 1;

  constructor(indexes: readonly CodeIndex[]) {
    for (const index of indexes) {
      for (const record of index.files) this.addFile(index.repo, record);
    }
    this.fileCollection.finish();
    this.chunkCollection.finish();
  }

  private addFile(repo: string, record: FileRecord): void {
    const fileId = this.files.length;
    const fields: WorkspaceFile["fields"] = { path: record.pathTerms };
    const chunkIds: number[] = [];
    for (const f of TERM_FIELDS) fields[f] = {};
    for (const chunk of record.chunks) {
      const id = this.chunks.push({ file: fileId, chunk }) - 1;
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
    const base = (segs[segs.length - 1] ?? "").replace(/\.[^.]+$/, "");
    push(this.basenames, normaliseName(base), fileId);
    for (let k = 1; k <= Math.min(SUFFIX_DEPTH, segs.length); k++) {
      push(this.suffixes, segs.slice(-k).join("/").toLowerCase(), fileId);
    }
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

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
