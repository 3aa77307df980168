import { spawnSync } from "node:child_process";

/**
 * A repository's history read from a bare git directory with plain git commands: it is never
 * checked out or modified. Renames are not followed (`--no-renames`): a renamed file shows as a
 * deletion and an addition, which the extractor does not learn from.
 */

const MAX_BUFFER = 1 << 30;

export function git(gitDir: string, args: string[], input?: string): Buffer {
  const res = spawnSync("git", [`--git-dir=${gitDir}`, ...args], {
    input: input === undefined ? undefined : Buffer.from(input, "utf8"),
    maxBuffer: MAX_BUFFER,
  });
  if (res.status !== 0) {
    throw new Error(`git ${args[0]} failed: ${res.stderr?.toString().slice(0, 300)}`);
  }
  return res.stdout;
}

/** One file a commit changed: its status (`M`, `A`, `D`, `T`) and the blob before and after. */
export interface ChangedFile {
  path: string;
  status: string;
  oldBlob: string;
  newBlob: string;
}

export interface CommitRecord {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** The whole message (subject, blank line, body). */
  message: string;
  files: ChangedFile[];
}

const RS = "\x1e";
const US = "\x1f";

/** Parse `git log --raw --no-abbrev --format=<RS>%H<US>%P<US>%an<US>%ae<US>%B<US>` output. */
export function parseLog(text: string): CommitRecord[] {
  const out: CommitRecord[] = [];
  for (const record of text.split(RS)) {
    if (!record.trim()) continue;
    const [sha, parents, authorName, authorEmail, message, raw] = record.split(US);
    if (!sha || raw === undefined) continue;
    const files: ChangedFile[] = [];
    for (const line of raw.split("\n")) {
      // `:100644 100644 <old> <new> M\tpath`; quoted paths (unusual bytes) are left out.
      const m = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*\t(.+)$/.exec(line);
      if (!m || m[4]?.startsWith('"')) continue;
      files.push({
        oldBlob: m[1] as string,
        newBlob: m[2] as string,
        status: m[3] as string,
        path: m[4] as string,
      });
    }
    out.push({
      sha,
      parents: parents ? parents.split(" ").filter(Boolean) : [],
      authorName: authorName ?? "",
      authorEmail: authorEmail ?? "",
      message: message ?? "",
      files,
    });
  }
  return out;
}

/**
 * The most recent non-merge commits (first-parent order of `rev`) that change a file matching one
 * of `pathspecs`, each with the matching files it changed.
 */
export function recentCommits(
  gitDir: string,
  rev: string,
  max: number,
  pathspecs: readonly string[],
): CommitRecord[] {
  const out = git(gitDir, [
    "log",
    "--no-merges",
    "--no-renames",
    "--raw",
    "--no-abbrev",
    "--no-color",
    `-n${max}`,
    `--format=${RS}%H${US}%P${US}%an${US}%ae${US}%B${US}`,
    rev,
    "--",
    ...pathspecs,
  ]);
  return parseLog(out.toString("utf8"));
}

/** Lines of the parent version a file's hunks touch. */
export interface FileHunks {
  /** Removed (or replaced) lines. */
  removed: number[];
  /** For each pure addition, the line after which it was inserted (1 at the top of a file). */
  inserted: number[];
}

/**
 * Lines of the parent version each hunk of a `-U0` patch touches, per path: the removed lines, and
 * for a pure addition the line after which it was inserted — the same convention as the
 * evaluation's gold lines, kept apart so a caller can weigh them differently.
 */
export function parseHunks(patch: string): Map<string, FileHunks> {
  const out = new Map<string, FileHunks>();
  let current: FileHunks | undefined;
  // A removed line can itself start with `-- `: file headers are read only before the first hunk.
  let inHeader = false;
  for (const line of patch.split("\n")) {
    if (line.startsWith("diff --git ")) {
      current = undefined;
      inHeader = true;
      continue;
    }
    if (inHeader && line.startsWith("--- ")) {
      const p = line.slice(4);
      if (p.startsWith("a/")) {
        const path = p.slice(2);
        current = out.get(path) ?? { removed: [], inserted: [] };
        out.set(path, current);
      } else current = undefined;
      continue;
    }
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (m) inHeader = false;
    if (m && current) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count === 0) current.inserted.push(Math.max(1, start));
      else for (let i = 0; i < count; i++) current.removed.push(start + i);
    }
  }
  return out;
}

/** The hunks of a commit against its first parent, for the given paths only. */
export function commitHunks(
  gitDir: string,
  sha: string,
  parent: string,
  paths: readonly string[],
): Map<string, FileHunks> {
  if (paths.length === 0) return new Map();
  const patch = git(gitDir, [
    "diff",
    "--no-renames",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "-U0",
    parent,
    sha,
    "--",
    ...paths.map((p) => `:(literal)${p}`),
  ]);
  return parseHunks(patch.toString("utf8"));
}
