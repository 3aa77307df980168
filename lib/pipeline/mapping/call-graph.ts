import type { Chunk } from "../code-index/types";
import type { ImportsOf } from "./import-graph";

/**
 * The call graph of a search index: which functions each function calls, by name. A chunk keeps
 * the names its call sites call (`Chunk.calls`, from the syntax tree); here each name is resolved
 * to functions defined in the index, the way a reader would guess without types: a definition in
 * the same file first, then in the files the caller's file imports, then the one definition of
 * that name in the repository. A name defined several times and in neither place (`new`,
 * `close`, `String`) is dropped: guessing among them would link every caller to every
 * definition. Names shorter than three letters are dropped too.
 *
 * Each edge has a weight: 1 shared among the definitions a name resolves to (overloads in one
 * file), divided by the callee's fan-in (how many functions call it): a logger or a string
 * helper that many functions call says little about any one caller's report. Stored as
 * compressed rows (typed arrays), built on first use: a query that does not use the graph pays
 * nothing.
 */

/** What the graph needs of the search index. */
export interface CallGraphSource {
  readonly files: readonly { repo: string; record: { path: string; imports: string[] } }[];
  readonly chunks: readonly { file: number; chunk: Chunk }[];
  /** Lower-case simple name → chunk ids that define it. */
  readonly definitions: ReadonlyMap<string, readonly number[]>;
}

/** Most definitions of one name in a file or in the imported files that are still followed. */
const MAX_TARGETS = 3;
const MIN_NAME = 3;
const CALLABLE = new Set(["function", "method"]);

/** Edges of one direction as compressed rows: the edges of chunk `c` are `start[c]..start[c+1]`. */
export interface EdgeRows {
  start: Int32Array;
  to: Int32Array;
  weight: Float32Array;
}

export interface CallGraph {
  /** Caller → the functions it calls. */
  callees: EdgeRows;
  /** Number of resolved edges. */
  edges: number;
}

/** The edges leaving chunk `id`: `[to, weight]` pairs, in id order. */
export function* edgesOf(rows: EdgeRows, id: number): Generator<[number, number]> {
  const end = rows.start[id + 1] ?? 0;
  for (let k = rows.start[id] ?? 0; k < end; k++) {
    yield [rows.to[k] as number, rows.weight[k] as number];
  }
}

/**
 * Resolve one chunk's called name to the functions it most likely calls (see above); empty when
 * the name is ambiguous or unknown. `importedFiles` are the files the caller's file imports.
 */
export function resolveCall(
  source: CallGraphSource,
  caller: number,
  name: string,
  importedFiles: ReadonlySet<number>,
): number[] {
  if (name.length < MIN_NAME) return [];
  const from = source.chunks[caller];
  if (!from) return [];
  const repo = source.files[from.file]?.repo;
  const defs = (source.definitions.get(name.toLowerCase()) ?? []).filter((d) => {
    const c = source.chunks[d];
    return (
      d !== caller &&
      c !== undefined &&
      c.chunk.name === name &&
      CALLABLE.has(c.chunk.kind) &&
      source.files[c.file]?.repo === repo
    );
  });
  if (defs.length === 0) return [];
  const sameFile = defs.filter((d) => source.chunks[d]?.file === from.file);
  if (sameFile.length > 0) return sameFile.length <= MAX_TARGETS ? sameFile : [];
  const imported = defs.filter((d) => importedFiles.has(source.chunks[d]?.file ?? -1));
  if (imported.length > 0) return imported.length <= MAX_TARGETS ? imported : [];
  return defs.length === 1 ? defs : [];
}

/** Build the call graph of the indexed chunks. */
export function buildCallGraph(source: CallGraphSource, importsOf: ImportsOf): CallGraph {
  const from: number[] = [];
  const to: number[] = [];
  const share: number[] = [];
  const importsCache = new Map<number, Set<number>>();
  source.chunks.forEach((c, id) => {
    const names = c.chunk.calls;
    if (!names || names.length === 0) return;
    let imported = importsCache.get(c.file);
    if (!imported) {
      const f = source.files[c.file];
      imported = new Set(f ? importsOf(f.repo, f.record.path, f.record.imports) : []);
      importsCache.set(c.file, imported);
    }
    const seen = new Set<number>();
    for (const name of names) {
      const targets = resolveCall(source, id, name, imported).filter((t) => !seen.has(t));
      for (const t of targets) {
        seen.add(t);
        from.push(id);
        to.push(t);
        share.push(1 / targets.length);
      }
    }
  });
  const n = source.chunks.length;
  const fanIn = new Int32Array(n);
  for (const b of to) fanIn[b] = (fanIn[b] as number) + 1;
  const rows = (keys: number[], values: number[], weightOf: (k: number) => number): EdgeRows => {
    const start = new Int32Array(n + 1);
    for (const key of keys) start[key + 1] = (start[key + 1] as number) + 1;
    for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
    const fill = start.slice(0, n);
    const target = new Int32Array(keys.length);
    const weight = new Float32Array(keys.length);
    // edges were pushed in caller order, so each row stays in a fixed order
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as number;
      const at = fill[key] as number;
      fill[key] = at + 1;
      target[at] = values[k] as number;
      weight[at] = weightOf(k);
    }
    return { start, to: target, weight };
  };
  return {
    callees: rows(
      from,
      to,
      (k) => (share[k] as number) / Math.max(1, fanIn[to[k] as number] as number),
    ),
    edges: from.length,
  };
}
