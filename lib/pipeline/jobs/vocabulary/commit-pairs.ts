import type { CodeIndex, FileRecord, TermField } from "../../code-index/types";
import {
  type CommitAuthor,
  type CommitSkip,
  cleanMessage,
  type FilesSkip,
  filesToPair,
  MAX_LINES_PER_FILE,
  MAX_PLACES,
  skipCommit,
} from "../../mapping/vocabulary/commit-filter";
import type { FixCode, FixPair } from "../../mapping/vocabulary/types";

/**
 * A repository's own commits as fix pairs (docs/code-map.md "Each workspace's vocabulary"): what
 * the commit message says → the functions of the new index whose line spans hold the lines the
 * commit's patch changed, with those functions' terms as the index counted them. Pure: the job
 * (`learn-workspace.ts`) reads the commits through the GitHub API and calls this.
 *
 * The filters are the offline corpus's, from the one module both use
 * (`mapping/vocabulary/commit-filter.ts`): no merges, bots, dependency bumps, releases, reverts,
 * formatting or `docs:`/`ci:`/`test:`/`chore:`/`build:` commits, no one-word messages, no commit
 * that touches more than 15 indexed files or 24 functions (a refactor, not a fix) or only adds
 * files; and no commit whose changed lines fall in no indexed function (docs, tests, CI: the index
 * skips them). A file whose patch touches more than 400 lines is a sweep and gives no place.
 */

/** A commit as the job hands it over: the REST answers' fields it needs, nothing else. */
export interface CommitWithPatches {
  sha: string;
  message: string;
  parents: number;
  author: CommitAuthor;
  /** `files[]` of `GET /repos/{o}/{r}/commits/{ref}`; `patch` is absent for binary or huge diffs. */
  files: Array<{ filename: string; status?: string; patch?: string | null }>;
}

/** Terms kept per changed place (the learner drops pairs over its own cap). */
const MAX_TERMS_PER_PLACE = 200;
/** Fields whose terms describe a function: its name, signature, identifiers and strings. */
const CODE_FIELDS: readonly TermField[] = ["name", "sig", "id", "str"];

/**
 * The new-side line numbers a unified diff's hunks touch: each added line, and for a pure
 * deletion the line now at that place (the code around what was removed changed meaning).
 */
export function changedLines(patch: string): number[] {
  const out = new Set<number>();
  let line = 0;
  let inHunk = false;
  for (const raw of patch.split("\n")) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (header) {
      line = Number(header[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const mark = raw.charAt(0);
    if (mark === "+") {
      out.add(line);
      line++;
    } else if (mark === "-") {
      out.add(Math.max(1, line));
    } else if (mark === "\\") {
      // "\ No newline at end of file"
    } else {
      line++;
    }
  }
  return [...out].sort((a, b) => a - b);
}

function termsOf(file: FileRecord, chunkIndex: number): string[] {
  const chunk = file.chunks[chunkIndex];
  if (!chunk) return [];
  const seen = new Set<string>();
  for (const field of CODE_FIELDS) {
    const counts = chunk.fields[field];
    if (!counts) continue;
    for (const t of Object.keys(counts)) seen.add(t);
  }
  for (const t of Object.keys(file.pathTerms)) seen.add(t);
  return [...seen].sort().slice(0, MAX_TERMS_PER_PLACE);
}

/**
 * The innermost chunk of `file` holding each line (a method over its class; the file-level
 * chunk, named null, for top-level code), once each, in span order.
 */
export function placesOf(file: FileRecord, lines: readonly number[]): FixCode[] {
  const hit = new Map<number, true>();
  for (const line of lines) {
    let best = -1;
    let bestSpan = Number.POSITIVE_INFINITY;
    file.chunks.forEach((c, i) => {
      if (i === 0 || line < c.startLine || line > c.endLine) return;
      const span = c.endLine - c.startLine;
      if (span < bestSpan) {
        best = i;
        bestSpan = span;
      }
    });
    hit.set(best === -1 ? 0 : best, true);
  }
  return [...hit.keys()]
    .sort((a, b) => (file.chunks[a]?.startLine ?? 0) - (file.chunks[b]?.startLine ?? 0) || a - b)
    .map((i) => codeOfChunk(file, i))
    .filter((c) => c.terms.length > 0);
}

/** One chunk of a file as a changed place: its qualified name (null for the file chunk), terms. */
export function codeOfChunk(file: FileRecord, chunkIndex: number): FixCode {
  return {
    path: file.path,
    name: chunkIndex === 0 ? null : (file.chunks[chunkIndex]?.qname ?? null),
    terms: termsOf(file, chunkIndex),
  };
}

export type SkipReason = CommitSkip | FilesSkip | "no-code" | "too-many-places";

/** The commit as a fix pair, or why it is not one. */
export function commitPair(
  commit: CommitWithPatches,
  index: CodeIndex,
  byPath: ReadonlyMap<string, FileRecord> = new Map(index.files.map((f) => [f.path, f])),
): FixPair | { skipped: SkipReason } {
  const text = cleanMessage(commit.message);
  const why = skipCommit({ parents: commit.parents, author: commit.author, text });
  if (why) return { skipped: why };
  const indexed = commit.files.filter((f) => f.status !== "removed" && byPath.has(f.filename));
  // Places are read against today's index: an added file is there, but it was no fix.
  const chosen = filesToPair(indexed, (f) => f.status !== "added");
  if ("skipped" in chosen) return chosen;
  const code: FixCode[] = [];
  for (const f of chosen.files) {
    const file = byPath.get(f.filename);
    if (!file || !f.patch) continue;
    const lines = changedLines(f.patch);
    if (lines.length > MAX_LINES_PER_FILE) continue;
    code.push(...placesOf(file, lines));
  }
  if (code.length === 0) return { skipped: "no-code" };
  if (code.length > MAX_PLACES) return { skipped: "too-many-places" };
  return { source: `${index.repo}@${commit.sha}`, text, code };
}

export function isPair(x: FixPair | { skipped: SkipReason }): x is FixPair {
  return !("skipped" in x);
}
