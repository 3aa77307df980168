import { tokenize } from "../../code-index/tokenize";

/**
 * Which commits are fixes to learn the vocabulary bridge from, and their messages as text: the
 * one filter of both learners, the offline corpus (`training/extract.ts`, commits read from a
 * mirror with git) and each workspace's own history (`jobs/vocabulary/commit-pairs.ts`, commits
 * read through the GitHub API). A commit's message is what people wrote about a change; its
 * trailers, links and bot boilerplate are not, and a merge, a dependency bump, a release, a
 * revert or a reformat says nothing about where a bug lives. Runtime code (the workspace job
 * uses it), so it lives beside the learner and not under `training/`.
 */

/** `Key: value` trailer lines git and forges append (`Signed-off-by:`, `PR-URL:`, `Change-Id:`). */
const TRAILER_KEYS =
  /^\s*(signed-off-by|co-authored-by|reviewed-by|acked-by|tested-by|reported-by|suggested-by|helped-by|requested-by|approved-by|cc|change-id|reviewed-on|pr-url|backport-pr-url|differential revision|git-svn-id|bug|refs?|closes|fixes|resolves|see|link|issue|jira|ticket|original-commit|cherry-picked-from)\s*:/i;
/** Any `Word-by:` / `Word-url:` / `Word-id:` trailer we did not list by name. */
const TRAILER_SHAPE = /^\s*[A-Za-z][A-Za-z0-9-]*-(by|url|id|on)\s*:/i;
const URL = /\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gi;
const EMAIL = /<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?/g;
/** A line that only references issues, a cherry-pick, a reverted commit or a separator. */
const NOISE_LINE =
  /^\s*((?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|refs?|see|related(?: to)?)\s*:?\s*(?:[\w.-]+\/[\w.-]+)?#\d+(?:\s*(?:,|and)?\s*#\d+)*\.?|\(cherry picked from commit [0-9a-f]+\)|this reverts commit [0-9a-f]+\.?|\[(skip ci|ci skip)\]|-{3,}|\*{3,}|={3,})\s*$/i;
/** `#123` or `owner/repo#123` standing as a word inside a sentence ("and #12"). */
const ISSUE_REFERENCE = /(^|\s)(?:[\w.-]+\/[\w.-]+)?#\d+\b/g;

/**
 * Subject and body of a commit message: trailers, issue-reference lines, URLs, e-mail addresses,
 * `#123` references and `[skip ci]` removed, white space folded, blank-line runs collapsed.
 */
export function cleanMessage(message: string): string {
  const lines = message.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const raw of lines) {
    if (TRAILER_KEYS.test(raw) || TRAILER_SHAPE.test(raw) || NOISE_LINE.test(raw)) continue;
    const line = raw
      .replace(URL, " ")
      .replace(EMAIL, " ")
      .replace(ISSUE_REFERENCE, "$1")
      .replace(/\[(skip ci|ci skip)\]/gi, " ")
      .replace(/[ \t]+/g, " ")
      .trim();
    kept.push(line);
  }
  // Collapse runs of blank lines left by removed trailers, and trim both ends.
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Who wrote a commit: git's name and address, and the forge's login when the API gives one. */
export interface CommitAuthor {
  name: string;
  email: string;
  login?: string | null;
}

/** Bot accounts by a part of their name, login or address (`dependabot[bot]`, `bot@renovateapp.com`). */
const BOT =
  /\[bot\]|\bbot@|dependabot|renovate|greenkeeper|snyk-bot|github-actions|pre-commit-ci|allcontributors|mergify|imgbot|semantic-release|web-flow-bot|pyup-bot|deepsource-autofix/i;

/** Whether a bot wrote the commit (its name, login or address says so). */
export function isBotAuthor(author: CommitAuthor): boolean {
  return [author.name, author.email, author.login ?? ""].some((n) => BOT.test(n));
}

/** A subject a merge gives a commit (a squash keeps it even with one parent). */
const MERGE = /^merge (?:pull request|branch|remote-tracking|tag)\b/i;

const DEPENDENCIES =
  /^(?:(?:chore|build|fix|ci)\((?:deps|deps-dev|dependencies|deps-[\w-]+)\)|bump\b|update (?:dependency|dependencies|deps)\b|upgrade (?:dependency|dependencies|deps)\b|\[?deps?\]?:|(?:update|upgrade|bump) [\w@/.-]+ (?:from [\w.-]+ )?to v?\d)/i;

const RELEASE =
  /^(?:release\b|releasing\b|prepare (?:for )?(?:the )?(?:release|v?\d)|preparing release|(?:chore|build)\(release\)|chore: release|bump (?:the )?version|version bump|update version|set version|v?\d+\.\d+(?:\.\d+)*(?:[-+][\w.]+)?\s*$|changelog\b|update changelog)/i;

const FORMATTING =
  /^(?:style(?:\(.*?\))?:|(?:chore|refactor)\((?:fmt|format|lint|style)\)|(?:run|apply|ran|applied) (?:cargo fmt|rustfmt|gofmt|goimports|prettier|black|isort|clang-format|eslint --fix|biome)|(?:re)?format(?:ted|ting)?\b|(?:fix|fixed) (?:formatting|whitespace|indentation|lint(?:ing)?(?: errors| warnings)?|clippy(?: warnings)?|typos?)\s*$|cargo fmt|rustfmt|gofmt|clang-format|whitespace\b|lint\b|typos?\b)/i;

/** Conventional-commit kinds that change no product behaviour. */
const CHORE = /^(?:docs?|ci|test|tests|chore|build)(?:\(.*?\))?!?:/i;

export type CommitSkip =
  | "merge"
  | "bot"
  | "revert"
  | "dependencies"
  | "release"
  | "formatting"
  | "chore"
  | "short-message";

/**
 * Why a commit is not a fix to learn from, judged by its parents, author and cleaned message
 * (`cleanMessage`); undefined to keep it. Cheap: callers ask before reading a commit's files.
 */
export function skipCommit(c: {
  parents: number;
  author: CommitAuthor;
  text: string;
}): CommitSkip | undefined {
  if (c.parents > 1) return "merge";
  if (isBotAuthor(c.author)) return "bot";
  const subject = (c.text.split("\n", 1)[0] ?? "").trim();
  if (MERGE.test(subject)) return "merge";
  if (/^revert\b/i.test(subject)) return "revert";
  if (DEPENDENCIES.test(subject)) return "dependencies";
  if (RELEASE.test(subject)) return "release";
  if (FORMATTING.test(subject)) return "formatting";
  if (CHORE.test(subject)) return "chore";
  // One word (or none, or only numbers and symbols) says nothing to associate with code.
  if (!/[A-Za-z]{3}/.test(c.text) || new Set(tokenize(c.text)).size < 2) return "short-message";
  return undefined;
}

/** Commits changing more indexed source files than this are refactors or sweeps, not fixes. */
export const MAX_SOURCE_FILES = 15;
/** A changed file whose hunks touch more lines than this is a sweep inside that file: left out. */
export const MAX_LINES_PER_FILE = 400;
/** A commit changing more functions than this renames or reshapes; it does not fix one thing. */
export const MAX_PLACES = 24;

export type FilesSkip = "no-source" | "too-many-files" | "only-new-files";

/**
 * The changed files to read a fix's places from, given the commit's files that the index holds:
 * those `changedInPlace` (there before the commit and after it; a file it added is a feature, and
 * holds no code a report was ever mapped against), or why the commit is no fix (no indexed file;
 * more than `maxSourceFiles`; only new files).
 */
export function filesToPair<F>(
  indexed: readonly F[],
  changedInPlace: (file: F) => boolean,
  maxSourceFiles: number = MAX_SOURCE_FILES,
): { files: F[] } | { skipped: FilesSkip } {
  if (indexed.length === 0) return { skipped: "no-source" };
  if (indexed.length > maxSourceFiles) return { skipped: "too-many-files" };
  const files = indexed.filter(changedInPlace);
  if (files.length === 0) return { skipped: "only-new-files" };
  return { files };
}
