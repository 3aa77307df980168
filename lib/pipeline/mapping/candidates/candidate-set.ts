import {
  emptyFileFeatures,
  emptyFunctionFeatures,
  type FileFeature,
  type FileFeatures,
  type FunctionFeature,
  type FunctionFeatures,
} from "../features";
import type { SearchIndex } from "../search-index";

/**
 * Evidence for every file and chunk a bug report touches: named features (features.ts) plus
 * notes saying what matched, for explanations.
 */
export interface FileCandidate {
  id: number;
  x: FileFeatures;
  notes: Partial<Record<FileFeature, string[]>>;
}

export interface ChunkCandidate {
  id: number;
  file: number;
  /** `file_score` and `file_top` are filled in once files are scored (ranker.ts). */
  x: FunctionFeatures;
  notes: Partial<Record<FunctionFeature, string[]>>;
}

export interface Candidates {
  files: FileCandidate[];
  chunks: ChunkCandidate[];
}

/** Caps of the file features that add up evidence from several mentions. */
const FILE_CAPS: Partial<Record<FileFeature, number>> = {
  path: 1.5,
  stack_frame: 2,
  symbol: 2.5,
  basename: 1.5,
  message: 2,
};
const CHUNK_CAP = 2.5;

function note<K extends string>(notes: Partial<Record<K, string[]>>, key: K, text: string): void {
  const list = notes[key] ?? [];
  if (list.length < 6 && !list.includes(text)) list.push(text);
  notes[key] = list;
}

/** The candidates of one query as each kind of evidence adds to them. */
export class CandidateSet {
  private readonly files = new Map<number, FileCandidate>();
  private readonly chunks = new Map<number, ChunkCandidate>();

  constructor(readonly index: SearchIndex) {}

  /** The candidate for a file, created with its query-independent features. */
  file(id: number): FileCandidate {
    let c = this.files.get(id);
    if (!c) {
      c = { id, x: emptyFileFeatures(), notes: {} };
      const lines = this.index.files[id]?.record.lines ?? 1;
      c.x.size = Math.log1p(lines) / Math.log1p(this.index.maxLines);
      c.x.hub =
        Math.log1p(this.index.neighbours[id]?.size ?? 0) / Math.log1p(this.index.maxNeighbours);
      this.files.set(id, c);
    }
    return c;
  }

  /** The candidate for a chunk, created with its query-independent features. */
  chunk(id: number): ChunkCandidate {
    let c = this.chunks.get(id);
    if (!c) {
      const ic = this.index.chunks[id];
      c = { id, file: ic?.file ?? -1, x: emptyFunctionFeatures(), notes: {} };
      const kind = ic?.chunk.kind;
      c.x.file_chunk = kind === "file" ? 1 : 0;
      c.x.container =
        kind === "class" || kind === "impl" || kind === "module" || kind === "type" ? 1 : 0;
      c.x.size = Math.log1p(ic?.ownLines ?? 1) / Math.log1p(1000);
      this.chunks.set(id, c);
    }
    return c;
  }

  /** Add evidence to a file feature (capped), with what matched. */
  addFile(id: number, f: FileFeature, v: number, text?: string): void {
    const c = this.file(id);
    const cap = FILE_CAPS[f] ?? Number.POSITIVE_INFINITY;
    c.x[f] = Math.min(cap, c.x[f] + v);
    if (text) note(c.notes, f, text);
  }

  /** Add evidence to a chunk feature (capped), with what matched. */
  addChunk(id: number, f: FunctionFeature, v: number, text?: string): void {
    const c = this.chunk(id);
    c.x[f] = Math.min(CHUNK_CAP, c.x[f] + v);
    if (text) note(c.notes, f, text);
  }

  fileCandidates(): IterableIterator<FileCandidate> {
    return this.files.values();
  }

  chunkCandidates(): IterableIterator<ChunkCandidate> {
    return this.chunks.values();
  }

  result(): Candidates {
    return { files: [...this.files.values()], chunks: [...this.chunks.values()] };
  }
}
