/**
 * Commit messages as training text, and which commits are not fixes at all. A commit's message is
 * what people wrote about a change; its trailers, links and bot boilerplate are not, and a
 * dependency bump, a release or a reformat says nothing about where a bug lives.
 */

/** `Key: value` trailer lines git and forges append (`Signed-off-by:`, `PR-URL:`, `Change-Id:`). */
const TRAILER_KEYS =
  /^\s*(signed-off-by|co-authored-by|reviewed-by|acked-by|tested-by|reported-by|suggested-by|helped-by|requested-by|approved-by|cc|change-id|reviewed-on|pr-url|backport-pr-url|differential revision|git-svn-id|bug|refs?|closes|fixes|resolves|see|link|issue|jira|ticket|original-commit|cherry-picked-from)\s*:/i;
/** Any `Word-by:` / `Word-url:` / `Word-id:` trailer we did not list by name. */
const TRAILER_SHAPE = /^\s*[A-Za-z][A-Za-z0-9-]*-(by|url|id|on)\s*:/i;
const URL = /\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gi;
const EMAIL = /<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?/g;
const NOISE_LINE =
  /^\s*((?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|refs?|see|related(?: to)?)\s*:?\s*(?:[\w.-]+\/[\w.-]+)?#\d+(?:\s*(?:,|and)?\s*#\d+)*\.?|\(cherry picked from commit [0-9a-f]+\)|this reverts commit [0-9a-f]+\.?|\[(skip ci|ci skip)\]|-{3,}|\*{3,}|={3,})\s*$/i;

/** Subject and body of a commit message, with trailers, URLs and e-mail addresses removed. */
export function cleanMessage(message: string): string {
  const lines = message.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const raw of lines) {
    if (TRAILER_KEYS.test(raw) || TRAILER_SHAPE.test(raw) || NOISE_LINE.test(raw)) continue;
    const line = raw
      .replace(URL, " ")
      .replace(EMAIL, " ")
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

export interface CommitInfo {
  subject: string;
  authorName: string;
  authorEmail: string;
}

export type CommitSkip = "bot" | "dependencies" | "release" | "formatting" | "revert" | "chore";

const BOT =
  /\[bot\]|\bbot@|dependabot|renovate|greenkeeper|snyk-bot|github-actions|pre-commit-ci|allcontributors|mergify|imgbot|semantic-release|web-flow-bot|pyup-bot|deepsource-autofix/i;

const DEPENDENCIES =
  /^(?:(?:chore|build|fix|ci)\((?:deps|deps-dev|dependencies|deps-[\w-]+)\)|bump\b|update (?:dependency|dependencies|deps)\b|upgrade (?:dependency|dependencies|deps)\b|\[?deps?\]?:|(?:update|upgrade|bump) [\w@/.-]+ (?:from [\w.-]+ )?to v?\d)/i;

const RELEASE =
  /^(?:release\b|releasing\b|prepare (?:for )?(?:the )?(?:release|v?\d)|preparing release|(?:chore|build)\(release\)|chore: release|bump (?:the )?version|version bump|update version|set version|v?\d+\.\d+(?:\.\d+)*(?:[-+][\w.]+)?\s*$|changelog\b|update changelog)/i;

const FORMATTING =
  /^(?:style(?:\(.*?\))?:|(?:chore|refactor)\((?:fmt|format|lint|style)\)|(?:run|apply|ran|applied) (?:cargo fmt|rustfmt|gofmt|goimports|prettier|black|isort|clang-format|eslint --fix|biome)|(?:re)?format(?:ted|ting)?\b|(?:fix|fixed) (?:formatting|whitespace|indentation|lint(?:ing)?(?: errors| warnings)?|clippy(?: warnings)?|typos?)\s*$|cargo fmt|rustfmt|gofmt|clang-format|whitespace\b|lint\b|typos?\b)/i;

const CHORE = /^(?:docs?|ci|test|tests|chore|build)(?:\(.*?\))?!?:/i;

/** Why a commit is not a fix to learn from, judged by its author and subject; undefined to keep. */
export function skipCommit(c: CommitInfo): CommitSkip | undefined {
  if (BOT.test(c.authorName) || BOT.test(c.authorEmail)) return "bot";
  const s = c.subject.trim();
  if (/^revert\b/i.test(s)) return "revert";
  if (DEPENDENCIES.test(s)) return "dependencies";
  if (RELEASE.test(s)) return "release";
  if (FORMATTING.test(s)) return "formatting";
  if (CHORE.test(s)) return "chore";
  return undefined;
}
