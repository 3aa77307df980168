/**
 * CODEOWNERS, read the way GitHub reads it, so the reviewers Patchline requests on a draft pull
 * request are the ones GitHub itself would request.
 *
 * GitHub's documented rules (docs.github.com, "About code owners"):
 * - one rule per line: a gitignore-style pattern, then zero or more owners; `#` starts a comment
 *   (a whole line, or after whitespace at the end of a line);
 * - the LAST matching pattern wins (its owners alone, even when it lists none);
 * - `*` matches within one path segment, `**` across segments, a leading `/` anchors the pattern
 *   at the repository root (so does a `/` in the middle), a trailing `/` means "everything under
 *   this directory", a pattern naming a directory owns everything under it, and `docs/*` owns the
 *   files directly in `docs/` but not `docs/build-app/troubleshooting.md`;
 * - owners are `@user`, `@org/team` or an email address;
 * - paths are case-sensitive;
 * - not supported by GitHub, so a line using them is reported and skipped: `!` negation, `[ ]`
 *   character ranges, and `\#` to start a pattern with `#`. A backslash elsewhere escapes the next
 *   character (`my\ file.txt`, `\*`).
 */

/** Where GitHub looks for the file, in its order: the first one found is used. */
export const CODEOWNERS_LOCATIONS = [
  ".github/CODEOWNERS",
  "CODEOWNERS",
  "docs/CODEOWNERS",
] as const;

/** GitHub ignores a CODEOWNERS file over 3 MB. */
export const CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;

export type CodeOwner =
  | { kind: "user"; login: string }
  | { kind: "team"; org: string; slug: string }
  | { kind: "email"; email: string };

export interface CodeOwnersRule {
  /** 1-based line number in the file. */
  line: number;
  pattern: string;
  owners: CodeOwner[];
  /** Compiled matcher for repository-relative paths (no leading slash). */
  matcher: RegExp;
}

export interface CodeOwnersError {
  line: number;
  message: string;
}

export interface CodeOwners {
  rules: CodeOwnersRule[];
  /** Lines GitHub would skip, with why (shown to the team next to the suggested reviewers). */
  errors: CodeOwnersError[];
}

const USER = /^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$/;
const TEAM = /^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9_.-]{1,100})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Splits a line into tokens on unescaped whitespace, keeping escapes, dropping a `#` comment. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "\\" && i + 1 < line.length) {
      current += ch + line[i + 1];
      i++;
    } else if (ch === " " || ch === "\t") {
      if (current) tokens.push(current);
      current = "";
    } else if (ch === "#" && current === "") {
      break; // a comment: the whole line, or after whitespace
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

function parseOwner(token: string): CodeOwner | null {
  const team = TEAM.exec(token);
  if (team) return { kind: "team", org: team[1] as string, slug: team[2] as string };
  const user = USER.exec(token);
  if (user) return { kind: "user", login: user[1] as string };
  if (EMAIL.test(token)) return { kind: "email", email: token };
  return null;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** One path segment's glob (`*`, `?`, `\x`, literals) as a regular expression. */
function segmentSource(segment: string): string {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === "\\" && i + 1 < segment.length) {
      out += escapeRegex(segment[i + 1] as string);
      i++;
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += escapeRegex(ch);
  }
  return out;
}

/** Compiles one pattern, or says why GitHub would not accept it. */
export function compilePattern(pattern: string): RegExp | string {
  if (pattern.startsWith("!")) return "negation (!) is not supported in CODEOWNERS";
  if (pattern.startsWith("\\#")) return "a pattern cannot start with an escaped #";
  if (/(^|[^\\])\[/.test(pattern)) return "character ranges ([ ]) are not supported in CODEOWNERS";
  const directoryOnly = pattern.endsWith("/") && !pattern.endsWith("\\/");
  let body = directoryOnly ? pattern.slice(0, -1) : pattern;
  // gitignore: a slash at the start or in the middle anchors the pattern at the root
  const anchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\/+/, "");
  if (!body) return "empty pattern";
  const segments = body.split("/");
  if (segments.some((s) => s === "")) return "empty path segment";
  let source = "";
  segments.forEach((segment, i) => {
    const first = i === 0;
    const last = i === segments.length - 1;
    if (segment === "**") {
      if (first && last) source += ".*";
      else if (first) source += "(?:.*/)?";
      else if (last) source += "/.*";
      else source += "(?:/.*)?/";
      return;
    }
    if (!first && segments[i - 1] !== "**") source += "/";
    source += segmentSource(segment);
  });
  const lastSegment = segments[segments.length - 1];
  let suffix: string;
  if (lastSegment === "**") suffix = "";
  // GitHub: `docs/*` and `/*` own the files directly there, not those in subdirectories
  else if (lastSegment === "*" && anchored) suffix = "";
  else if (directoryOnly) suffix = "/.+";
  // a name that matches a directory owns everything under it
  else suffix = "(?:/.*)?";
  const prefix = anchored ? "" : "(?:.*/)?";
  return new RegExp(`^${prefix}${source}${suffix}$`);
}

/** Parses a CODEOWNERS file. Invalid lines are skipped (as GitHub does) and listed in `errors`. */
export function parseCodeOwners(text: string): CodeOwners {
  const rules: CodeOwnersRule[] = [];
  const errors: CodeOwnersError[] = [];
  if (Buffer.byteLength(text, "utf8") > CODEOWNERS_MAX_BYTES) {
    return { rules, errors: [{ line: 0, message: "CODEOWNERS is larger than 3 MB" }] };
  }
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const tokens = tokenize(raw);
    const [pattern, ...ownerTokens] = tokens;
    if (!pattern) return;
    const matcher = compilePattern(pattern);
    if (typeof matcher === "string") {
      errors.push({ line, message: matcher });
      return;
    }
    const owners: CodeOwner[] = [];
    for (const token of ownerTokens) {
      const owner = parseOwner(token);
      if (!owner) {
        errors.push({ line, message: `"${token.slice(0, 100)}" is not a user, team or email` });
        return;
      }
      owners.push(owner);
    }
    rules.push({ line, pattern, owners, matcher });
  });
  return { rules, errors };
}

/** The rule that decides a path's owners (the last one matching), or null when none matches. */
export function matchingRule(codeowners: CodeOwners, path: string): CodeOwnersRule | null {
  const normalized = path.replace(/^\/+/, "");
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i] as CodeOwnersRule;
    if (rule.matcher.test(normalized)) return rule;
  }
  return null;
}

/** A path's owners: the last matching rule's (possibly none). */
export function ownersOf(codeowners: CodeOwners, path: string): CodeOwner[] {
  return matchingRule(codeowners, path)?.owners ?? [];
}

export interface ReviewRequest {
  /** GitHub logins for `reviewers`. */
  users: string[];
  /** Team slugs for `team_reviewers` (GitHub requests teams of the repository's organization). */
  teams: string[];
  /** Owners named by email: GitHub resolves them to accounts; shown, not requested. */
  emails: string[];
}

/**
 * The reviewers to request on a pull request touching `paths`: every owner of every path, once,
 * in first-seen order, without the PR's author (GitHub refuses to request the author).
 */
export function reviewersFor(
  codeowners: CodeOwners,
  paths: readonly string[],
  author?: string | null,
): ReviewRequest {
  const users = new Set<string>();
  const teams = new Set<string>();
  const emails = new Set<string>();
  for (const path of paths) {
    for (const owner of ownersOf(codeowners, path)) {
      if (owner.kind === "user") {
        if (!author || owner.login.toLowerCase() !== author.toLowerCase()) users.add(owner.login);
      } else if (owner.kind === "team") teams.add(owner.slug);
      else emails.add(owner.email);
    }
  }
  return { users: [...users], teams: [...teams], emails: [...emails] };
}

/** `@user`, `@org/team` or the email, as written in a CODEOWNERS file. */
export function formatOwner(owner: CodeOwner): string {
  if (owner.kind === "user") return `@${owner.login}`;
  if (owner.kind === "team") return `@${owner.org}/${owner.slug}`;
  return owner.email;
}
