import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The git plumbing the GitHub sandbox serves repositories with: real `git` on real repositories,
 * so contents, trees, tarballs, commits and merges are exactly what git says they are.
 */

export class GitError extends Error {}

const FIXED_ENV = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_CONFIG_NOSYSTEM: "1",
  LC_ALL: "C",
};

export function git(
  gitDir: string,
  args: string[],
  opts: { input?: Buffer | string; env?: Record<string, string>; maxBuffer?: number } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [`--git-dir=${gitDir}`, ...args],
      {
        encoding: "buffer",
        maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024,
        env: { ...process.env, ...FIXED_ENV, ...opts.env },
      },
      (err, stdout, stderr) => {
        if (err) reject(new GitError(`git ${args[0]}: ${stderr.toString().trim() || err.message}`));
        else resolve(stdout);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

const text = async (gitDir: string, args: string[]) =>
  (await git(gitDir, args)).toString("utf8").trim();

/** The commit sha a ref (branch, tag, sha) names, or undefined. */
export async function resolveCommit(gitDir: string, ref: string): Promise<string | undefined> {
  if (!/^[\w./-]+$/.test(ref) || ref.startsWith("-")) return undefined;
  try {
    return await text(gitDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    return undefined;
  }
}

/** The tree sha of a commit or tree-ish. */
export async function resolveTree(gitDir: string, ref: string): Promise<string | undefined> {
  if (!/^[\w./-]+$/.test(ref) || ref.startsWith("-")) return undefined;
  try {
    return await text(gitDir, ["rev-parse", "--verify", "--quiet", `${ref}^{tree}`]);
  } catch {
    return undefined;
  }
}

export async function branches(gitDir: string): Promise<Array<{ name: string; sha: string }>> {
  const out = await text(gitDir, [
    "for-each-ref",
    "--format=%(refname:short)%00%(objectname)",
    "refs/heads",
  ]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [name, sha] = l.split("\0");
      return { name: name!, sha: sha! };
    });
}

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
  path: string;
}

/** `git ls-tree -l` of a tree-ish, optionally recursive, optionally under a path. */
export async function lsTree(
  gitDir: string,
  treeish: string,
  opts: { recursive?: boolean; path?: string } = {},
): Promise<TreeEntry[]> {
  const args = ["ls-tree", "-l", "-z", ...(opts.recursive ? ["-r", "-t"] : []), treeish];
  if (opts.path) args.push("--", opts.path);
  const out = (await git(gitDir, args)).toString("utf8");
  return out
    .split("\0")
    .filter(Boolean)
    .map((l) => {
      const tab = l.indexOf("\t");
      const [mode, type, sha, size] = l.slice(0, tab).split(/\s+/);
      return {
        mode: mode!,
        type: type as TreeEntry["type"],
        sha: sha!,
        size: size === "-" ? undefined : Number(size),
        path: l.slice(tab + 1),
      };
    });
}

/** The entry at `path` in a commit (file or directory), or undefined. */
export async function entryAt(
  gitDir: string,
  commit: string,
  p: string,
): Promise<TreeEntry | undefined> {
  if (p === "")
    return { mode: "040000", type: "tree", sha: (await resolveTree(gitDir, commit))!, path: "" };
  const [entry] = await lsTree(gitDir, commit, { path: p });
  return entry && entry.path === p ? entry : undefined;
}

export const readBlob = (gitDir: string, sha: string) => git(gitDir, ["cat-file", "blob", sha]);

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

/** Commits reachable from `ref`, newest first (`git log`), optionally touching `path`. */
export async function log(
  gitDir: string,
  ref: string,
  opts: { max?: number; skip?: number; path?: string; since?: string } = {},
): Promise<CommitInfo[]> {
  const args = [
    "log",
    "-z",
    "--format=%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%B",
    `--max-count=${opts.max ?? 30}`,
    `--skip=${opts.skip ?? 0}`,
    ...(opts.since ? [`--since=${opts.since}`] : []),
    ref,
  ];
  if (opts.path) args.push("--", opts.path);
  const out = (await git(gitDir, args)).toString("utf8");
  return out
    .split("\0")
    .filter((r) => r.trim())
    .map((r) => {
      const [sha, tree, parents, an, ae, ad, cn, ce, cd, message] = r.split("\x1f");
      return {
        sha: sha!.trim(),
        tree: tree!,
        parents: parents ? parents.split(" ").filter(Boolean) : [],
        author: { name: an!, email: ae!, date: ad! },
        committer: { name: cn!, email: ce!, date: cd! },
        message: (message ?? "").replace(/\n+$/, ""),
      };
    });
}

/** How many commits `log` would list for `ref` with these filters (GitHub's `rel="last"`). */
export async function countCommits(
  gitDir: string,
  ref: string,
  opts: { path?: string; since?: string } = {},
): Promise<number> {
  const args = ["rev-list", "--count", ...(opts.since ? [`--since=${opts.since}`] : []), ref];
  if (opts.path) args.push("--", opts.path);
  return Number((await git(gitDir, args)).toString("utf8").trim());
}

export async function commitInfo(gitDir: string, sha: string): Promise<CommitInfo> {
  const [c] = await log(gitDir, sha, { max: 1 });
  if (!c) throw new GitError(`no commit ${sha}`);
  return c;
}

/** Files a commit changed against its first parent: `added`, `modified`, `removed`, `renamed`. */
export async function changedFiles(
  gitDir: string,
  sha: string,
  base?: string,
): Promise<Array<{ filename: string; status: string }>> {
  const args = base
    ? ["diff-tree", "-r", "-z", "--name-status", base, sha]
    : ["diff-tree", "-r", "-z", "--root", "--no-commit-id", "--name-status", sha];
  const parts = (await git(gitDir, args)).toString("utf8").split("\0").filter(Boolean);
  const out: Array<{ filename: string; status: string }> = [];
  const names: Record<string, string> = { A: "added", M: "modified", D: "removed", T: "changed" };
  for (let i = 0; i < parts.length; i += 2) {
    out.push({ status: names[parts[i]!.charAt(0)] ?? "modified", filename: parts[i + 1]! });
  }
  return out;
}

/** GitHub leaves `patch` out of a commit's file above this size (its diff is "too large"). */
const MAX_PATCH_BYTES = 1_000_000;

export interface FilePatch {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  changes: number;
  /** The unified diff's hunks (from the first `@@`), as GitHub gives it; absent for binaries. */
  patch?: string;
}

/**
 * A commit's files against its first parent (a root commit against nothing) with their patches
 * and line counts, as `GET /repos/{o}/{r}/commits/{ref}` lists them. One `git diff` for the
 * names (NUL-separated, so any path is exact) and one for the hunks, in the same path order.
 */
export async function commitPatches(gitDir: string, sha: string): Promise<FilePatch[]> {
  const info = await commitInfo(gitDir, sha);
  const base = info.parents[0];
  const files = await changedFiles(gitDir, sha, base);
  const args = base
    ? ["diff-tree", "-r", "-p", "--no-renames", "--no-color", "--no-ext-diff", "-U3", base, sha]
    : ["diff-tree", "-r", "-p", "--root", "--no-commit-id", "--no-renames", "--no-color", sha];
  const out = (await git(gitDir, args)).toString("utf8");
  const blocks = out.split(/^diff --git /m).slice(1);
  return files.map((f, i) => {
    const block = blocks[i] ?? "";
    const at = block.search(/^@@ /m);
    const patch = at >= 0 ? block.slice(at).replace(/\n$/, "") : undefined;
    let additions = 0;
    let deletions = 0;
    for (const line of patch?.split("\n") ?? []) {
      if (line.startsWith("+")) additions++;
      else if (line.startsWith("-")) deletions++;
    }
    const kept = patch !== undefined && Buffer.byteLength(patch) <= MAX_PATCH_BYTES;
    return {
      ...f,
      additions,
      deletions,
      changes: additions + deletions,
      ...(kept ? { patch } : {}),
    };
  });
}

export async function isAncestor(gitDir: string, older: string, newer: string): Promise<boolean> {
  try {
    await git(gitDir, ["merge-base", "--is-ancestor", older, newer]);
    return true;
  } catch {
    return false;
  }
}

export const updateRef = (gitDir: string, ref: string, sha: string) =>
  git(gitDir, ["update-ref", ref, sha]);
export const deleteRef = (gitDir: string, ref: string) => git(gitDir, ["update-ref", "-d", ref]);

export interface Person {
  name: string;
  email: string;
}

/**
 * A new commit on top of `parent` changing `files` (content, or null to delete), without a work
 * tree: a private index, `hash-object`, `write-tree`, `commit-tree`.
 */
export async function commitFiles(
  gitDir: string,
  opts: { parent: string; files: Record<string, Buffer | null>; message: string; author: Person },
): Promise<string> {
  const tmp = await mkdtemp(path.join(tmpdir(), "sbx-index-"));
  const env = { GIT_INDEX_FILE: path.join(tmp, "index") };
  try {
    await git(gitDir, ["read-tree", opts.parent], { env });
    for (const [file, content] of Object.entries(opts.files)) {
      if (content === null) {
        await git(gitDir, ["update-index", "--force-remove", "--", file], { env });
      } else {
        const blob = (await git(gitDir, ["hash-object", "-w", "--stdin"], { input: content }))
          .toString()
          .trim();
        await git(gitDir, ["update-index", "--add", "--cacheinfo", `100644,${blob},${file}`], {
          env,
        });
      }
    }
    const tree = (await git(gitDir, ["write-tree"], { env })).toString().trim();
    return await commitTree(gitDir, tree, [opts.parent], opts.message, opts.author);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export async function commitTree(
  gitDir: string,
  tree: string,
  parents: string[],
  message: string,
  who: Person,
): Promise<string> {
  const args = ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p])];
  const env = {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
  };
  return (await git(gitDir, args, { input: message, env })).toString().trim();
}

/** A merge commit of `head` into `base` (`git merge-tree --write-tree`), or undefined on conflict. */
export async function mergeCommit(
  gitDir: string,
  base: string,
  head: string,
  message: string,
  who: Person,
): Promise<string | undefined> {
  let tree: string;
  try {
    tree = (await git(gitDir, ["merge-tree", "--write-tree", base, head]))
      .toString()
      .split("\n")[0]!
      .trim();
  } catch {
    return undefined;
  }
  return commitTree(gitDir, tree, [base, head], message, who);
}

/** `git archive` as a gzipped tarball with GitHub's `owner-repo-shortsha/` prefix. */
export const tarball = (gitDir: string, sha: string, prefix: string) =>
  git(gitDir, ["archive", "--format=tar.gz", `--prefix=${prefix}/`, sha], {
    maxBuffer: 512 * 1024 * 1024,
  });

/** The git directory of a path (a work tree or a bare repository). */
export async function gitDirOf(p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-C", p, "rev-parse", "--absolute-git-dir"],
      { env: { ...process.env, ...FIXED_ENV } },
      (err, stdout, stderr) => {
        if (err) reject(new GitError(`${p} is not a git repository: ${stderr.trim()}`));
        else resolve(stdout.trim());
      },
    );
  });
}

/** A bare copy the sandbox owns, so pushes and merges never write to the developer's repository. */
export async function cloneBare(source: string, dest: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(
      "git",
      ["clone", "--bare", "--quiet", "--no-hardlinks", source, dest],
      { env: { ...process.env, ...FIXED_ENV } },
      (err, _o, stderr) => {
        if (err) reject(new GitError(`cannot clone ${source}: ${stderr.trim()}`));
        else resolve();
      },
    );
  });
}

/** Fetches every branch of the source into the sandbox's copy; returns the refs that moved. */
export async function fetchBranches(
  gitDir: string,
  source: string,
): Promise<Array<{ name: string; before: string | undefined; after: string }>> {
  const before = new Map((await branches(gitDir)).map((b) => [b.name, b.sha]));
  await git(gitDir, ["fetch", "--quiet", "--force", source, "+refs/heads/*:refs/heads/*"]);
  return (await branches(gitDir))
    .filter((b) => before.get(b.name) !== b.sha)
    .map((b) => ({ name: b.name, before: before.get(b.name), after: b.sha }));
}
