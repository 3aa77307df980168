import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { languageOf } from "../code-index/languages";
import type { CodeIndex } from "../code-index/types";
import { type CommitWithPatches, commitPair, isPair } from "../jobs/vocabulary/commit-pairs";
import { learnWorkspaceTable, MAX_COMMITS } from "../jobs/vocabulary/learn-workspace";
import { MAX_STORED_PAIRS } from "../jobs/vocabulary/store";
import { mergeBridges } from "../mapping/vocabulary/table";
import type { BridgeTable, FixPair } from "../mapping/vocabulary/types";

/**
 * The per-repository vocabulary in the evaluation (`eval:mapping --repo-vocabulary <N>`): what
 * production does for a workspace (docs/code-map.md "Each workspace's vocabulary"), replayed at
 * each instance's commit. The instance's commit stands for the workspace's indexed head: the
 * last N commits reachable from it (merges included, as GitHub lists them; default 300, the
 * first index's read) become fix pairs against the instance's own index with the job's
 * `commitPair`, the job's learner learns the table (`learnWorkspaceTable`, no corrections), and
 * it is merged over the shipped table with `mergeBridges`, as `bridge-cache.ts` does.
 *
 * No leakage: only ancestors of the instance's commit are read (`git rev-list <commit>`), so the
 * fix, which is a descendant, and anything after it are never seen.
 *
 * Shared work: a repository's commits (message, author, parents and the patches of files a
 * language is known for) are read once with one `git log` call over the union of the instances'
 * windows, and cached as JSON (`<cacheDir>/<owner>+<name>.json`); each instance then picks its
 * window from the cache by ancestry. The pairs themselves depend on the instance's index (spans
 * at that commit, like production's at its head), so they are made per instance, which is cheap.
 */

/** A patch larger than this is left out, as GitHub's commit API leaves out "too large" diffs. */
const MAX_PATCH_BYTES = 1 << 20;
const RS = "\x1e";
const US = "\x1f";
const MAX_BUFFER = 1 << 30;

function git(gitDir: string, args: string[], input?: string): string {
  const res = spawnSync("git", [`--git-dir=${gitDir}`, ...args], {
    input: input === undefined ? undefined : Buffer.from(input, "utf8"),
    maxBuffer: MAX_BUFFER,
  });
  if (res.status !== 0) {
    throw new Error(`git ${args[0]} failed: ${res.stderr?.toString().slice(0, 300)}`);
  }
  return res.stdout.toString("utf8");
}

/**
 * The last `n` commits reachable from `commit` (it included), newest first, in `git log`'s
 * order: the history a workspace indexed at `commit` would read. Only ancestors, by
 * construction: a commit made after `commit` (the fix of its report) is never among them.
 */
export function ancestorWindow(gitDir: string, commit: string, n: number): string[] {
  if (n <= 0) return [];
  return git(gitDir, ["rev-list", `--max-count=${n}`, commit, "--"])
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A path from a `--- a/x` / `+++ b/x` line (null for `/dev/null`; quoted paths are skipped). */
function sidePath(line: string, prefix: "a/" | "b/"): string | null | undefined {
  const p = line.slice(4).replace(/\t.*$/, "");
  if (p === "/dev/null") return null;
  if (p.startsWith(prefix)) return p.slice(2);
  return undefined;
}

/**
 * Parse `git log -p -M --format=<RS>%H<US>%P<US>%an<US>%ae<US>%B<US>` output into commits as the
 * vocabulary job receives them from the REST API: per file its name, status (`added`,
 * `removed`, `modified`, `renamed`) and the patch from its first `@@`. Files no language is
 * known for are dropped here (the index never holds them, so `commitPair` would not look).
 */
export function parseLogPatches(text: string): CommitWithPatches[] {
  const out: CommitWithPatches[] = [];
  for (const record of text.split(RS)) {
    if (!record.trim()) continue;
    const parts = record.split(US);
    const [sha, parents, authorName, authorEmail, message] = parts;
    if (!sha || parts.length < 6) continue;
    const diff = parts.slice(5).join(US);
    const files: CommitWithPatches["files"] = [];
    for (const block of diff.split(/^diff --git /m).slice(1)) {
      const lines = block.split("\n");
      let status = "modified";
      let name: string | undefined;
      let hunkAt = -1;
      for (let i = 1; i < lines.length; i++) {
        const l = lines[i] as string;
        if (l.startsWith("@@ ")) {
          hunkAt = i;
          break;
        }
        if (l.startsWith("new file mode")) status = "added";
        else if (l.startsWith("deleted file mode")) status = "removed";
        else if (l.startsWith("rename to ")) {
          status = "renamed";
          name = l.slice("rename to ".length);
        } else if (l.startsWith("+++ ")) {
          const p = sidePath(l, "b/");
          if (p) name = p;
        } else if (l.startsWith("--- ") && status === "removed") {
          const p = sidePath(l, "a/");
          if (p) name = p;
        }
      }
      if (!name) {
        // No ---/+++ lines (a mode change, a rename without edits): `a/x b/x` names it.
        const m = /^a\/(\S+) b\/(\S+)$/.exec(lines[0] ?? "");
        name = m?.[2];
      }
      if (!name || name.startsWith('"') || languageOf(name) === undefined) continue;
      let patch: string | null = null;
      if (hunkAt >= 0) {
        const p = lines.slice(hunkAt).join("\n").replace(/\n+$/, "");
        if (Buffer.byteLength(p) <= MAX_PATCH_BYTES) patch = p;
      }
      files.push({ filename: name, status, patch });
    }
    out.push({
      sha: sha.trim(),
      message: (message ?? "").replace(/\n+$/, ""),
      parents: parents ? parents.split(" ").filter(Boolean).length : 0,
      author: { name: authorName ?? "", email: authorEmail ?? "" },
      files,
    });
  }
  return out;
}

const LOG_ARGS = [
  "log",
  "--no-walk=unsorted",
  "-p",
  "-U3",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  `--format=${RS}%H${US}%P${US}%an${US}%ae${US}%B${US}`,
];

/**
 * Read `shas` with their patches, in one git call when it can. A snapshot may lack its largest
 * blobs (listed, not stored), and git then fails the whole call: the batch is halved until the
 * commit is found, whose files are read one by one, a file git cannot diff left without a patch
 * (as GitHub leaves out a "too large" one). Merges have no diff: their files are empty.
 */
export function readCommits(gitDir: string, shas: readonly string[]): CommitWithPatches[] {
  if (shas.length === 0) return [];
  try {
    return parseLogPatches(git(gitDir, [...LOG_ARGS, "-M", "--stdin"], `${shas.join("\n")}\n`));
  } catch (e) {
    if (shas.length === 1) return [readCommitByFile(gitDir, shas[0] as string, e as Error)];
    const half = Math.ceil(shas.length / 2);
    return [...readCommits(gitDir, shas.slice(0, half)), ...readCommits(gitDir, shas.slice(half))];
  }
}

/** One commit whose patch git cannot produce whole: its files one at a time, without renames. */
function readCommitByFile(gitDir: string, sha: string, cause: Error): CommitWithPatches {
  // no diff option at all: `-U3` alone asks for a patch, and git 2.39 still reads the blobs
  // with `-p --no-patch`
  const head = parseLogPatches(
    git(gitDir, LOG_ARGS.filter((a) => a !== "-p" && a !== "-U3").concat(sha)),
  )[0];
  if (!head) throw cause;
  const listed = git(gitDir, [
    "diff-tree",
    "-r",
    "--root",
    "--no-renames",
    "--name-status",
    "-z",
    sha,
  ])
    .split("\0")
    .filter(Boolean);
  // `-z`: the commit id, then status and path alternate
  const files: CommitWithPatches["files"] = [];
  for (let i = listed[0] === sha ? 1 : 0; i + 1 < listed.length; i += 2) {
    const letter = listed[i] as string;
    const name = listed[i + 1] as string;
    if (languageOf(name) === undefined) continue;
    let parsed: CommitWithPatches | undefined;
    try {
      parsed = parseLogPatches(
        git(gitDir, [...LOG_ARGS, "--no-renames", sha, "--", `:(literal)${name}`]),
      )[0];
    } catch {
      // this file's blob is absent from the snapshot
    }
    const status = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
    files.push(parsed?.files[0] ?? { filename: name, status, patch: null });
  }
  return { ...head, files };
}

/**
 * One repository's history as the evaluation reads it: commits read once (and cached on disk),
 * each instance's window picked by ancestry.
 */
export class RepoHistory {
  private readonly commits = new Map<string, CommitWithPatches>();
  private readonly cacheFile: string | undefined;

  constructor(
    private readonly gitDir: string,
    repo: string,
    cacheDir?: string,
  ) {
    this.cacheFile = cacheDir ? path.join(cacheDir, `${repo.replace("/", "+")}.json`) : undefined;
    if (this.cacheFile && existsSync(this.cacheFile)) {
      try {
        const cached = JSON.parse(readFileSync(this.cacheFile, "utf8")) as CommitWithPatches[];
        for (const c of cached) this.commits.set(c.sha, c);
      } catch {
        // an unreadable cache is read again from git
      }
    }
  }

  /** Read (once) every commit of the windows of `heads`, and save the cache if it grew. */
  prefetch(heads: readonly string[], n: number): void {
    const wanted = new Set<string>();
    for (const h of heads) {
      let shas: string[] = [];
      try {
        shas = ancestorWindow(this.gitDir, h, n);
      } catch {
        // a commit the snapshot lacks: its instance is reported as not evaluated
      }
      for (const s of shas) wanted.add(s);
    }
    const missing = [...wanted].filter((s) => !this.commits.has(s)).sort();
    if (missing.length === 0) return;
    for (const c of readCommits(this.gitDir, missing)) this.commits.set(c.sha, c);
    if (this.cacheFile) {
      mkdirSync(path.dirname(this.cacheFile), { recursive: true });
      const tmp = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify([...this.commits.values()]));
      renameSync(tmp, this.cacheFile);
    }
  }

  /** Commits held (read or from the cache file). */
  cachedShas(): string[] {
    return [...this.commits.keys()];
  }

  /** The last `n` commits reachable from `commit`, newest first, as the job would read them. */
  window(commit: string, n: number): CommitWithPatches[] {
    const shas = ancestorWindow(this.gitDir, commit, n);
    const missing = shas.filter((s) => !this.commits.has(s));
    if (missing.length > 0)
      for (const c of readCommits(this.gitDir, missing)) this.commits.set(c.sha, c);
    return shas.flatMap((s) => {
      const c = this.commits.get(s);
      return c ? [c] : [];
    });
  }
}

export interface RepoVocabulary {
  /** The shipped table with the repository's own merged over it (`global` when it learned none). */
  bridge: BridgeTable;
  commitsRead: number;
  pairs: number;
  words: number;
}

/**
 * The workspace table production would hold for `index` after reading `commits` (newest
 * first), merged over `global` as the mapping reads it.
 */
export function repoVocabulary(
  index: CodeIndex,
  commits: readonly CommitWithPatches[],
  global: BridgeTable,
): RepoVocabulary {
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const pairs: FixPair[] = commits
    .map((c) => commitPair(c, index, byPath))
    .filter(isPair)
    .slice(0, MAX_STORED_PAIRS);
  const table = learnWorkspaceTable(index.repo, pairs, []);
  return {
    bridge: mergeBridges(global, table),
    commitsRead: commits.length,
    pairs: pairs.length,
    words: table.words.size,
  };
}

export const DEFAULT_REPO_VOCABULARY_COMMITS = MAX_COMMITS;
