/**
 * Owners per path for a repository without CODEOWNERS, synthesised from its recent history: each
 * commit of the last 365 days credits its author, and every `Co-authored-by:` co-author, with
 * weight `exp(-age_days / 180)` on every file it touched, so recent work counts most and a year-old
 * commit still counts a little. Bots (dependabot, renovate, GitHub Actions, any `[bot]` account)
 * are not owners and are left out. Pure: the job reads the commits through the GitHub App and
 * stores the result per repository.
 */

export const SYNTHESIS_WINDOW_DAYS = 365;
export const SYNTHESIS_DECAY_DAYS = 180;
const DAY_MS = 86_400_000;

export interface CommitPerson {
  name: string;
  email: string;
  /** GitHub login when GitHub linked the commit to an account. */
  login?: string | null;
}

export interface CommitRecord {
  sha: string;
  /** When the change was authored (ISO string or Date). */
  authoredAt: string | Date;
  author: CommitPerson;
  /** The full commit message (its trailers name co-authors). */
  message: string;
  /** Repository-relative paths the commit changed. */
  files: readonly string[];
}

export interface OwnerScore {
  /** Stable identity: `@login` when known, else the lower-cased email. */
  id: string;
  login: string | null;
  email: string;
  name: string;
  weight: number;
  commits: number;
}

export interface SynthesisOptions {
  now: Date;
  windowDays?: number;
  decayDays?: number;
}

export interface SynthesizedOwners {
  /** Path → owners, heaviest first. */
  byPath: Map<string, OwnerScore[]>;
  commitsConsidered: number;
  commitsSkipped: { tooOld: number; bot: number };
}

const BOT_NAMES = new Set([
  "dependabot",
  "renovate",
  "github-actions",
  "renovate-bot",
  "greenkeeper",
  "snyk-bot",
  "imgbot",
  "allcontributors",
  "pre-commit-ci",
]);

/** Whether a commit identity is a bot (GitHub's `[bot]` accounts and the well-known bots). */
export function isBot(person: Pick<CommitPerson, "name" | "email" | "login">): boolean {
  const login = person.login?.toLowerCase() ?? "";
  const name = person.name.toLowerCase().trim();
  const email = person.email.toLowerCase().trim();
  if (login.endsWith("[bot]") || name.endsWith("[bot]") || email.includes("[bot]@")) return true;
  const local = email.split("@")[0] ?? "";
  // GitHub noreply addresses are `<id>+<login>@users.noreply.github.com`
  const noreplyLogin = email.endsWith("@users.noreply.github.com")
    ? local.replace(/^\d+\+/, "")
    : "";
  return [login, name, noreplyLogin].some(
    (n) => n !== "" && BOT_NAMES.has(n.replace(/\[bot\]$/, "")),
  );
}

const TRAILER = /^co-authored-by:\s*(.+?)\s*<([^<>\s]+)>\s*$/gim;

/** The co-authors a commit message credits with `Co-authored-by: Name <email>` trailers. */
export function coAuthors(message: string): CommitPerson[] {
  const people: CommitPerson[] = [];
  for (const match of message.matchAll(TRAILER)) {
    people.push({ name: (match[1] as string).trim(), email: (match[2] as string).trim() });
  }
  return people;
}

/** The login a GitHub noreply address carries, if it is one. */
function noreplyLogin(email: string): string | null {
  const lower = email.toLowerCase();
  if (!lower.endsWith("@users.noreply.github.com")) return null;
  return lower.split("@")[0]?.replace(/^\d+\+/, "") || null;
}

function identity(person: CommitPerson): { id: string; login: string | null } {
  const login = person.login?.trim() || noreplyLogin(person.email);
  if (login) return { id: `@${login.toLowerCase()}`, login };
  return { id: person.email.trim().toLowerCase(), login: null };
}

/** `exp(-age_days / decay)`; a commit dated in the future counts as today's. */
export function commitWeight(
  authoredAt: Date,
  now: Date,
  decayDays = SYNTHESIS_DECAY_DAYS,
): number {
  const ageDays = Math.max(0, (now.getTime() - authoredAt.getTime()) / DAY_MS);
  return Math.exp(-ageDays / decayDays);
}

/** Synthesises owners per path from `commits` (any order). */
export function synthesizeOwners(
  commits: Iterable<CommitRecord>,
  options: SynthesisOptions,
): SynthesizedOwners {
  const windowDays = options.windowDays ?? SYNTHESIS_WINDOW_DAYS;
  const decayDays = options.decayDays ?? SYNTHESIS_DECAY_DAYS;
  const now = options.now;
  const scores = new Map<string, Map<string, OwnerScore>>();
  const skipped = { tooOld: 0, bot: 0 };
  let considered = 0;

  for (const commit of commits) {
    const at = new Date(commit.authoredAt);
    if (Number.isNaN(at.getTime())) continue;
    if ((now.getTime() - at.getTime()) / DAY_MS > windowDays) {
      skipped.tooOld++;
      continue;
    }
    // the author and each co-author, once each, bots left out
    const people = new Map<string, { person: CommitPerson; login: string | null }>();
    for (const person of [commit.author, ...coAuthors(commit.message)]) {
      if (isBot(person)) continue;
      const { id, login } = identity(person);
      if (!people.has(id)) people.set(id, { person, login });
    }
    if (people.size === 0) {
      skipped.bot++;
      continue;
    }
    considered++;
    const weight = commitWeight(at, now, decayDays);
    for (const path of new Set(commit.files)) {
      let perPath = scores.get(path);
      if (!perPath) {
        perPath = new Map();
        scores.set(path, perPath);
      }
      for (const [id, { person, login }] of people) {
        const score = perPath.get(id) ?? {
          id,
          login,
          email: person.email.trim().toLowerCase(),
          name: person.name.trim(),
          weight: 0,
          commits: 0,
        };
        score.weight += weight;
        score.commits += 1;
        score.login ??= login;
        perPath.set(id, score);
      }
    }
  }

  const byPath = new Map<string, OwnerScore[]>();
  for (const [path, perPath] of [...scores].sort(([a], [b]) => a.localeCompare(b))) {
    byPath.set(path, [...perPath.values()].sort(byWeight));
  }
  return { byPath, commitsConsidered: considered, commitsSkipped: skipped };
}

function byWeight(a: OwnerScore, b: OwnerScore): number {
  return b.weight - a.weight || a.id.localeCompare(b.id);
}

/**
 * Owners of a directory (or the whole repository with ""): the sum of its files' scores. Used for
 * a path with no history of its own (a new file) and to write a suggested CODEOWNERS.
 */
export function ownersUnder(result: SynthesizedOwners, directory: string): OwnerScore[] {
  const prefix = directory.replace(/^\/+|\/+$/g, "");
  const totals = new Map<string, OwnerScore>();
  for (const [path, owners] of result.byPath) {
    if (prefix && path !== prefix && !path.startsWith(`${prefix}/`)) continue;
    for (const owner of owners) {
      const total = totals.get(owner.id) ?? { ...owner, weight: 0, commits: 0 };
      total.weight += owner.weight;
      total.commits += owner.commits;
      totals.set(owner.id, total);
    }
  }
  return [...totals.values()].sort(byWeight);
}

/**
 * The owners to suggest for `path`: its own scores, else those of the nearest directory with
 * history, keeping owners with at least `minShare` of the top weight (at most `limit`).
 */
export function suggestedOwners(
  result: SynthesizedOwners,
  path: string,
  { limit = 3, minShare = 0.25 }: { limit?: number; minShare?: number } = {},
): OwnerScore[] {
  let owners = result.byPath.get(path) ?? [];
  let directory = path;
  while (owners.length === 0 && directory.includes("/")) {
    directory = directory.slice(0, directory.lastIndexOf("/"));
    owners = ownersUnder(result, directory);
  }
  if (owners.length === 0) owners = ownersUnder(result, "");
  const top = owners[0]?.weight ?? 0;
  return owners.filter((o) => o.weight >= top * minShare).slice(0, limit);
}
