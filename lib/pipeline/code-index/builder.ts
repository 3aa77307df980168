import { chunkComponent, chunkSource } from "./chunker";
import { isComponentPath } from "./component";
import { blobHash } from "./hash";
import { languageOf, refineHeaderLanguage } from "./languages";
import { isTestCode, type SkipRules, skipByContent, skipByPath, skipRules } from "./skip-rules";
import { countInto, countOf, pathTerms } from "./tokenize";
import {
  type Chunk,
  type CodeIndex,
  type FieldStats,
  type FileRecord,
  type IndexProgress,
  type IndexStats,
  type SkippedFile,
  TERM_FIELDS,
  type TermField,
  type TestFileRecord,
} from "./types";

export const INDEX_FORMAT_VERSION = 1;

/** One file of a source tree: its path, size, and a way to read its bytes. */
export interface SourceFile {
  path: string;
  size: number;
  /** Git blob id when the source already knows it (saves hashing). */
  hash?: string;
  read(): Promise<Uint8Array> | Uint8Array;
}

/** Per-file results keyed by content hash, reusable across commits of one repository. */
export type FileCache = Map<string, Omit<FileRecord, "path" | "pathTerms">>;

export interface BuildOptions {
  repo: string;
  rules?: Partial<SkipRules>;
  onProgress?: (progress: IndexProgress) => void;
  cache?: FileCache;
  /**
   * Also read the files the skip rules leave out as tests, for their words only
   * (`CodeIndex.tests`): the mapper's test evidence. They stay listed in `skipped`.
   */
  tests?: boolean;
  /**
   * Keep the names each chunk calls (`Chunk.calls`), for the call graph (`rules.calls` of
   * `mapBug`). Off by default: measured and not shipped (docs/code-map.md, "The call graph"),
   * so a product index does not carry them.
   */
  calls?: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

async function indexFile(
  file: SourceFile,
  rules: SkipRules,
  cache: FileCache | undefined,
  keepCalls: boolean,
): Promise<FileRecord | SkippedFile> {
  const language = languageOf(file.path);
  if (!language) return { path: file.path, reason: "unsupported" };
  const byPath = skipByPath(file.path, file.size, rules);
  if (byPath) return { path: file.path, reason: byPath };
  const cacheKey = file.hash
    ? `${file.hash}:${file.path.endsWith(".h") ? "h" : language}`
    : undefined;
  const cached = cacheKey ? cache?.get(cacheKey) : undefined;
  if (cached) return { ...cached, path: file.path, pathTerms: termsOfPath(file.path) };
  const bytes = await file.read();
  if (bytes.length > rules.maxBytes) return { path: file.path, reason: "too-large" };
  const text = decoder.decode(bytes);
  const byContent = skipByContent(file.path, bytes, text, rules);
  if (byContent) return { path: file.path, reason: byContent };
  const component = isComponentPath(file.path) ? await chunkComponent(text) : undefined;
  const lang =
    component?.language ??
    (language === "c" ? (refineHeaderLanguage(file.path, text) ?? language) : language);
  const chunked = component ?? (await chunkSource(text, lang));
  const record: FileRecord = {
    path: file.path,
    language: lang,
    hash: file.hash ?? blobHash(bytes),
    lines: chunked.chunks[0]?.endLine ?? 1,
    bytes: bytes.length,
    status: chunked.status,
    imports: chunked.imports,
    ...(chunked.exports ? { exports: chunked.exports } : {}),
    pathTerms: termsOfPath(file.path),
    chunks: keepCalls ? chunked.chunks : chunked.chunks.map(withoutCalls),
  };
  if (cacheKey && cache) {
    const { path: _p, pathTerms: _t, ...rest } = record;
    cache.set(cacheKey, rest);
  }
  return record;
}

function withoutCalls(chunk: Chunk): Chunk {
  if (!chunk.calls) return chunk;
  const { calls: _calls, ...rest } = chunk;
  return rest;
}

/** Fields of a test chunk worth keeping: what it is called, says and uses. */
const TEST_FIELDS = ["name", "doc", "str", "id"] as const;

/** A test file's words (`BuildOptions.tests`), or undefined when its bytes say to skip it. */
async function indexTestFile(
  file: SourceFile,
  rules: SkipRules,
  cache: FileCache | undefined,
): Promise<TestFileRecord | undefined> {
  const language = languageOf(file.path);
  if (!language || file.size > rules.maxBytes) return undefined;
  const cacheKey = file.hash ? `test:${file.hash}:${language}` : undefined;
  let entry = cacheKey ? cache?.get(cacheKey) : undefined;
  if (!entry) {
    const bytes = await file.read();
    if (bytes.length > rules.maxBytes) return undefined;
    const text = decoder.decode(bytes);
    if (skipByContent(file.path, bytes, text, rules)) return undefined;
    const component = isComponentPath(file.path) ? await chunkComponent(text) : undefined;
    const lang = component?.language ?? language;
    const chunked = component ?? (await chunkSource(text, lang));
    const chunks = chunked.chunks.map((c) => {
      const fields: Chunk["fields"] = {};
      for (const f of TEST_FIELDS) if (c.fields[f]) fields[f] = c.fields[f];
      return { ...withoutCalls(c), fields };
    });
    entry = {
      language: lang,
      hash: file.hash ?? blobHash(bytes),
      lines: chunks[0]?.endLine ?? 1,
      bytes: bytes.length,
      status: chunked.status,
      imports: chunked.imports,
      chunks,
    };
    if (cacheKey && cache) cache.set(cacheKey, entry);
  }
  return {
    path: file.path,
    language: entry.language,
    hash: entry.hash,
    imports: entry.imports,
    chunks: entry.chunks,
  };
}

function termsOfPath(path: string): Record<string, number> {
  const counts: Record<string, number> = {};
  countInto(counts, pathTerms(path));
  return counts;
}

function emptyField(): FieldStats {
  return { df: {}, totalLength: 0 };
}

function addDoc(stats: FieldStats, counts: Record<string, number> | undefined): void {
  if (!counts) return;
  for (const [term, n] of Object.entries(counts)) {
    stats.df[term] = countOf(stats.df, term) + 1;
    stats.totalLength += n;
  }
}

/** Corpus statistics, computed from the file records alone (so an update can recompute them). */
export function computeStats(files: readonly FileRecord[]): IndexStats {
  const chunkFields = Object.fromEntries(TERM_FIELDS.map((f) => [f, emptyField()])) as Record<
    TermField,
    FieldStats
  >;
  const path = emptyField();
  let chunks = 0;
  let lines = 0;
  for (const file of files) {
    addDoc(path, file.pathTerms);
    lines += file.lines;
    for (const chunk of file.chunks) {
      chunks++;
      for (const f of TERM_FIELDS) addDoc(chunkFields[f], chunk.fields[f]);
    }
  }
  return { files: files.length, chunks, lines, chunkFields, path };
}

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

async function indexAll(
  files: readonly SourceFile[],
  options: BuildOptions,
): Promise<{ records: FileRecord[]; skipped: SkippedFile[]; tests: TestFileRecord[] }> {
  const rules = skipRules(options.rules);
  const records: FileRecord[] = [];
  const skipped: SkippedFile[] = [];
  const tests: TestFileRecord[] = [];
  const sorted = [...files].sort(byPath);
  let done = 0;
  for (const file of sorted) {
    const result = await indexFile(file, rules, options.cache, options.calls === true);
    if ("reason" in result) {
      skipped.push(result);
      if (options.tests && result.reason === "test" && isTestCode(file.path)) {
        const test = await indexTestFile(file, rules, options.cache);
        if (test) tests.push(test);
      }
    } else records.push(result);
    done++;
    options.onProgress?.({ done, total: sorted.length, path: file.path });
  }
  return { records, skipped, tests };
}

/**
 * Index a whole source tree. Files are visited in path order and every collection is sorted, so
 * the same tree gives the same index (and, through `serializeIndex`, the same bytes).
 */
export async function buildIndex(
  files: readonly SourceFile[],
  options: BuildOptions,
): Promise<CodeIndex> {
  const { records, skipped, tests } = await indexAll(files, options);
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    repo: options.repo,
    files: records,
    skipped,
    stats: computeStats(records),
    ...(options.tests ? { tests } : {}),
  };
}

/**
 * Re-index only the changed paths of a push: `changed` are added or modified files with their new
 * content, `removed` are deleted paths. Statistics are recomputed from the file records, so the
 * result equals a full rebuild of the new tree.
 */
export async function updateIndex(
  index: CodeIndex,
  changed: readonly SourceFile[],
  removed: readonly string[],
  options: BuildOptions,
): Promise<CodeIndex> {
  const touched = new Set([...removed, ...changed.map((f) => f.path)]);
  const { records, skipped, tests } = await indexAll(changed, options);
  const files = [...index.files.filter((f) => !touched.has(f.path)), ...records].sort(byPath);
  const skips = [...index.skipped.filter((s) => !touched.has(s.path)), ...skipped].sort(byPath);
  const kept = (index.tests ?? []).filter((t) => !touched.has(t.path));
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    repo: options.repo,
    files,
    skipped: skips,
    stats: computeStats(files),
    ...(options.tests ? { tests: [...kept, ...tests].sort(byPath) } : {}),
  };
}

/** Number of chunks of a file that are functions or methods. */
export function functionChunks(file: FileRecord): Chunk[] {
  return file.chunks.filter((c) => c.kind === "function" || c.kind === "method");
}
