import { spawnSync } from "node:child_process";
import { languageOf } from "../code-index/languages";
import type { CommitWithPatches } from "../jobs/vocabulary/commit-pairs";
import type { ListedCommit } from "../jobs/vocabulary/learn-workspace";

/**
 * The one git reader of commits and their patches for offline work (docs/code-map.md "Each
 * workspace's vocabulary", "Evaluation"): it gives commits in the shape the vocabulary job gets
 * them from GitHub's REST API (`CommitWithPatches`: message, parents, author, and per file its
 * name, status and patch from the first `@@`), so the evaluation's replay of a workspace
 * (`repo-vocabulary.ts`) and `bench:pipeline --vocabulary` pair commits exactly as the job does.
 * Bare directories are read with `git log`/`rev-list`/`diff-tree`, never modified. Offline only:
 * the runtime reads history through the GitHub API.
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

const HEAD_ARGS = ["log", "--no-color", `--format=${RS}%H${US}%P${US}%an${US}%ae${US}%B${US}`];

/**
 * The last `n` commits reachable from `head`, newest first, without their files: what the
 * job's listing (`GET /repos/{o}/{r}/commits`) gives before it asks for each commit's files.
 */
export function listCommits(gitDir: string, head: string, n: number): ListedCommit[] {
  if (n <= 0) return [];
  return parseLogPatches(git(gitDir, [...HEAD_ARGS, `--max-count=${n}`, head, "--"])).map(
    ({ files: _files, ...c }) => c,
  );
}

/** Commits read per git call by `streamCommits`. */
export const STREAM_BATCH = 16;

/**
 * `shas` with their patches, in order, read `batch` at a time: at most one batch's patches are
 * held, so a caller that turns each commit into its pair and drops it keeps memory bounded (the
 * vocabulary job's step does the same with GitHub's answers). The same commits as `readCommits`.
 */
export function* streamCommits(
  gitDir: string,
  shas: readonly string[],
  batch = STREAM_BATCH,
): Generator<CommitWithPatches> {
  for (let i = 0; i < shas.length; i += batch) {
    const read = readCommits(gitDir, shas.slice(i, i + batch));
    for (let k = 0; k < read.length; k++) {
      const c = read[k] as CommitWithPatches;
      // drop the batch's hold on a commit once it is handed over
      (read as Array<CommitWithPatches | undefined>)[k] = undefined;
      yield c;
    }
  }
}
