import type { CodeIndex, FileRecord, TermField } from "../../code-index/types";
import type { FixCode, FixPair } from "../../mapping/vocabulary/types";

/**
 * A repository's own commits as fix pairs (docs/code-map.md "Each workspace's vocabulary"): what
 * the commit message says → the functions of the new index whose line spans hold the lines the
 * commit's patch changed, with those functions' terms as the index counted them. Pure: the job
 * (`learn-workspace.ts`) reads the commits through the GitHub API and calls this.
 *
 * The filters are the offline corpus's: no merges, no bots, no dependency bumps or releases, no
 * commit that touches more than `MAX_SOURCE_FILES` indexed files (a refactor, not a fix), and no
 * commit whose changed lines fall in no indexed function (docs, tests, CI: the index skips them).
 */

/** A commit as the job hands it over: the REST answers' fields it needs, nothing else. */
export interface CommitWithPatches {
  sha: string;
  message: string;
  parents: number;
  author: { name: string; email: string; login?: string | null };
  /** `files[]` of `GET /repos/{o}/{r}/commits/{ref}`; `patch` is absent for binary or huge diffs. */
  files: Array<{ filename: string; status?: string; patch?: string | null }>;
}

export const MAX_SOURCE_FILES = 15;
/** Terms kept per changed place (the learner drops pairs over its own cap). */
const MAX_TERMS_PER_PLACE = 200;
/** Fields whose terms describe a function: its name, signature, identifiers and strings. */
const CODE_FIELDS: readonly TermField[] = ["name", "sig", "id", "str"];

const BOT_NAMES = new Set([
  "dependabot",
  "renovate",
  "github-actions",
  "renovate-bot",
  "greenkeeper",
  "snyk-bot",
  "imgbot",
  "pre-commit-ci",
]);

export function isBotAuthor(a: CommitWithPatches["author"]): boolean {
  const names = [a.login ?? "", a.name, a.email.split("@")[0] ?? ""].map((n) =>
    n.toLowerCase().trim(),
  );
  if (names.some((n) => n.endsWith("[bot]")) || a.email.toLowerCase().includes("[bot]@"))
    return true;
  return names.some((n) => BOT_NAMES.has(n.replace(/^\d+\+/, "")));
}

/** Subjects of commits that change versions, not behaviour. */
const NOT_A_FIX =
  /^(?:(?:chore|build|ci)\(deps(?:-dev)?\)|bump\b|update dependenc|upgrade dependenc|release\b|prepare release|v?\d+\.\d+\.\d+(?:[-+.\w]*)?\s*$|merge (?:pull request|branch|remote-tracking)|revert ")/i;

/** `Signed-off-by:`-style trailers, URLs and `#123` references: not words about the fix. */
export function cleanMessage(message: string): string {
  const lines = message.replace(/\r\n?/g, "\n").split("\n");
  const kept = lines.filter((l) => !/^[A-Za-z][A-Za-z0-9-]*-by:\s|^Change-Id:\s/i.test(l.trim()));
  return kept
    .join("\n")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/(?:^|\s)(?:[\w.-]+\/[\w.-]+)?#\d+\b/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

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

export type SkipReason = "merge" | "bot" | "bump" | "refactor" | "no-code" | "no-text";

/** The commit as a fix pair, or why it is not one. */
export function commitPair(
  commit: CommitWithPatches,
  index: CodeIndex,
  byPath: ReadonlyMap<string, FileRecord> = new Map(index.files.map((f) => [f.path, f])),
): FixPair | { skipped: SkipReason } {
  if (commit.parents > 1) return { skipped: "merge" };
  if (isBotAuthor(commit.author)) return { skipped: "bot" };
  const text = cleanMessage(commit.message);
  const subject = text.split("\n")[0] ?? "";
  if (NOT_A_FIX.test(subject)) return { skipped: "bump" };
  if (!/[A-Za-z]{3}/.test(text)) return { skipped: "no-text" };
  const indexed = commit.files.filter((f) => f.status !== "removed" && byPath.has(f.filename));
  if (indexed.length > MAX_SOURCE_FILES) return { skipped: "refactor" };
  const code: FixCode[] = [];
  for (const f of indexed) {
    const file = byPath.get(f.filename);
    if (!file || !f.patch) continue;
    code.push(...placesOf(file, changedLines(f.patch)));
  }
  if (code.length === 0) return { skipped: "no-code" };
  return { source: `${index.repo}@${commit.sha}`, text, code };
}

export function isPair(x: FixPair | { skipped: SkipReason }): x is FixPair {
  return !("skipped" in x);
}
