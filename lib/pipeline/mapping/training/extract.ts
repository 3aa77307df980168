import { chunkSource } from "../../code-index/chunker";
import { isComponentPath } from "../../code-index/component";
import { readBlobs } from "../../code-index/git-source";
import { LANGUAGES, languageOf, refineHeaderLanguage } from "../../code-index/languages";
import {
  DEFAULT_SKIP_RULES,
  type SkipRules,
  skipByContent,
  skipByPath,
} from "../../code-index/skip-rules";
import { pathTerms } from "../../code-index/tokenize";
import type { Chunk, LanguageId, TermField } from "../../code-index/types";
import { innermostChunk } from "../../mapping-eval/instances";
import {
  type CommitSkip,
  cleanMessage,
  type FilesSkip,
  filesToPair,
  MAX_LINES_PER_FILE,
  MAX_PLACES,
  MAX_SOURCE_FILES,
  skipCommit,
} from "../vocabulary/commit-filter";
import type { FixCode, FixPair } from "../vocabulary/types";
import { type CommitRecord, commitHunks, type FileHunks, git, recentCommits } from "./git-history";

/**
 * Fix pairs from a repository's own history: for each recent commit that reads like a fix, the
 * cleaned message, and each changed place as the function our chunker gives it (innermost chunk
 * holding a changed line of the parent version, like the evaluation's gold functions) with its
 * index terms. Parent versions, because a report is mapped against the code before its fix.
 */

export interface ExtractOptions {
  /** Recent non-merge commits changing source files to read. */
  maxCommits?: number;
  /** Commits changing more source files than this are refactors or sweeps, not fixes. */
  maxSourceFiles?: number;
  /** Commit (or ref) to walk back from. */
  rev?: string;
  /**
   * Parent files larger than this are not chunked (their places are left out). The index's own
   * limit by default; a lower one trades a repository's largest files for throughput.
   */
  maxFileBytes?: number;
}

/** Why a commit gave no pair: the shared filter's reasons (`vocabulary/commit-filter.ts`) and ours. */
export type PairSkip =
  | CommitSkip
  | FilesSkip
  | "root"
  | "no-code"
  | "too-many-places"
  | "unreadable";

export interface ExtractStats {
  head: string;
  commitsRead: number;
  pairs: number;
  skipped: Partial<Record<PairSkip, number>>;
  /** Files chunked (each parent version once). */
  filesChunked: number;
  /** Changed files left out for their size (`maxFileBytes`). */
  filesTooLarge: number;
  /** Source-file counts of the written pairs' languages, for the repository's language. */
  languages: Partial<Record<LanguageId, number>>;
}

const DEFAULTS = {
  maxCommits: 1500,
  maxSourceFiles: MAX_SOURCE_FILES,
  rev: "HEAD",
  maxFileBytes: DEFAULT_SKIP_RULES.maxBytes,
} as const;
/** Fields whose words are a chunk's terms (word pairs `sbi` never meet a report's words). */
const TERM_FIELDS: readonly TermField[] = ["name", "sig", "doc", "id", "str"];
/**
 * Test code inside a source file (Rust's `mod tests`, a `tests` namespace): the index keeps it,
 * but what a fix's message says is about the code under test.
 */
const TEST_CHUNK = /(^|::|\.)tests?(::|\.|$)/;

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Git pathspecs of every file our chunker parses with a grammar. */
export function sourcePathspecs(): string[] {
  const exts = new Set(Object.values(LANGUAGES).flatMap((l) => [...l.extensions]));
  return [...exts].sort().map((e) => `:(glob)**/*.${e}`);
}

/** Source files of a commit that the index would hold (not tests, vendored or generated). */
export function indexedFiles(
  commit: CommitRecord,
  rules: SkipRules = DEFAULT_SKIP_RULES,
): CommitRecord["files"] {
  return commit.files.filter((f) => {
    const lang = languageOf(f.path);
    return lang !== undefined && lang !== "text" && skipByPath(f.path, 0, rules) === undefined;
  });
}

/** Terms of one chunk as the index counts them, plus its path's words; sorted. */
export function chunkTerms(chunk: Chunk, path: string): string[] {
  const terms = new Set<string>();
  for (const f of TERM_FIELDS) for (const t of Object.keys(chunk.fields[f] ?? {})) terms.add(t);
  for (const t of pathTerms(path)) terms.add(t);
  return [...terms].sort();
}

/**
 * The changed places of one parent file: one entry per distinct innermost chunk, in file order.
 * An insertion between functions lands in the file-level chunk, whose words (imports, a licence
 * header) say nothing about the new code: insertions count only inside a function, class or type.
 */
export function placesOf(path: string, chunks: readonly Chunk[], hunks: FileHunks): FixCode[] {
  const file = { chunks } as Parameters<typeof innermostChunk>[0];
  const picked = new Set<number>();
  for (const line of hunks.removed) {
    const i = innermostChunk(file, line);
    if (i >= 0) picked.add(i);
  }
  for (const line of hunks.inserted) {
    const i = innermostChunk(file, line);
    if (i >= 0 && chunks[i]?.kind !== "file") picked.add(i);
  }
  return [...picked]
    .sort((a, b) => a - b)
    .map((i) => chunks[i] as Chunk)
    .filter((c) => !TEST_CHUNK.test(c.qname))
    .map((c) => ({ path, name: c.kind === "file" ? null : c.qname, terms: chunkTerms(c, path) }));
}

interface Chunked {
  chunks: Chunk[];
  language: LanguageId;
}

async function chunkBlob(path: string, bytes: Uint8Array): Promise<Chunked | undefined> {
  const language = languageOf(path);
  if (!language || language === "text" || isComponentPath(path)) return undefined;
  if (bytes.length > DEFAULT_SKIP_RULES.maxBytes) return undefined;
  const text = decoder.decode(bytes);
  if (skipByContent(path, bytes, text, DEFAULT_SKIP_RULES)) return undefined;
  const lang = language === "c" ? (refineHeaderLanguage(path, text) ?? language) : language;
  const chunked = await chunkSource(text, lang);
  return { chunks: chunked.chunks, language: lang };
}

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/**
 * Extract fix pairs from `gitDir` (`repo` is `owner/name`, for `source`). Deterministic: the same
 * history gives the same pairs in the same order (newest commit first).
 */
export async function extractFixPairs(
  gitDir: string,
  repo: string,
  options: ExtractOptions = {},
): Promise<{ pairs: FixPair[]; stats: ExtractStats }> {
  const o = { ...DEFAULTS, ...options };
  const head = git(gitDir, ["rev-parse", `${o.rev}^{commit}`])
    .toString("utf8")
    .trim();
  const commits = recentCommits(gitDir, head, o.maxCommits, sourcePathspecs());
  const stats: ExtractStats = {
    head,
    commitsRead: commits.length,
    pairs: 0,
    skipped: {},
    filesChunked: 0,
    filesTooLarge: 0,
    languages: {},
  };

  // Pass 1: which commits qualify, by message, author and files, before any blob is read.
  const kept: { commit: CommitRecord; text: string; files: CommitRecord["files"] }[] = [];
  for (const commit of commits) {
    const text = cleanMessage(commit.message);
    const why = skipCommit({
      parents: commit.parents.length,
      author: { name: commit.authorName, email: commit.authorEmail },
      text,
    });
    if (why) {
      bump(stats.skipped, why);
      continue;
    }
    if (commit.parents.length === 0) {
      bump(stats.skipped, "root");
      continue;
    }
    // Places are read from the parent version: only files the commit modified have one to read.
    const chosen = filesToPair(indexedFiles(commit), (f) => f.status === "M", o.maxSourceFiles);
    if ("skipped" in chosen) {
      bump(stats.skipped, chosen.skipped);
      continue;
    }
    kept.push({ commit, text, files: chosen.files });
  }

  // Pass 2: hunks and parent blobs, in batches so memory stays flat on large histories.
  const cache = new Map<string, Chunked | null>();
  const pairs: FixPair[] = [];
  const BATCH = 100;
  for (let start = 0; start < kept.length; start += BATCH) {
    const batch = kept.slice(start, start + BATCH);
    const want = [
      ...new Set(batch.flatMap((k) => k.files.map((f) => f.oldBlob)).filter((b) => !cache.has(b))),
    ];
    const blobs = readBlobs(gitDir, want);
    for (const { commit, text, files } of batch) {
      let hunks: Map<string, FileHunks>;
      try {
        hunks = commitHunks(
          gitDir,
          commit.sha,
          commit.parents[0] as string,
          files.map((f) => f.path),
        );
      } catch {
        // A snapshot may lack its largest blobs (listed, not stored): git cannot diff them.
        bump(stats.skipped, "unreadable");
        continue;
      }
      const code: FixCode[] = [];
      for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
        const fh = hunks.get(f.path);
        const touched = fh ? fh.removed.length + fh.inserted.length : 0;
        if (!fh || touched === 0 || touched > MAX_LINES_PER_FILE) continue;
        let chunked = cache.get(f.oldBlob);
        if (chunked === undefined) {
          const bytes = blobs.get(f.oldBlob);
          if (bytes && bytes.length > o.maxFileBytes) stats.filesTooLarge++;
          chunked =
            bytes && bytes.length <= o.maxFileBytes
              ? ((await chunkBlob(f.path, bytes)) ?? null)
              : null;
          cache.set(f.oldBlob, chunked);
          if (chunked) stats.filesChunked++;
        }
        if (!chunked) continue;
        const places = placesOf(f.path, chunked.chunks, fh);
        if (places.length > 0) bump(stats.languages, chunked.language);
        code.push(...places);
      }
      if (code.length === 0) {
        bump(stats.skipped, "no-code");
        continue;
      }
      if (code.length > MAX_PLACES) {
        bump(stats.skipped, "too-many-places");
        continue;
      }
      pairs.push({ source: `${repo}@${commit.sha}`, text, code });
    }
    // Parent versions are rarely shared across batches far apart: keep the cache bounded.
    if (cache.size > 4000) cache.clear();
  }
  stats.pairs = pairs.length;
  return { pairs, stats };
}
