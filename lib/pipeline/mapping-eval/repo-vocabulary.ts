import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CodeIndex } from "../code-index/types";
import { type CommitWithPatches, commitPair, isPair } from "../jobs/vocabulary/commit-pairs";
import { type HubDamping, WORKSPACE_DAMPING } from "../jobs/vocabulary/hub-damping";
import { learnWorkspaceTable, MAX_COMMITS } from "../jobs/vocabulary/learn-workspace";
import { MAX_STORED_PAIRS } from "../jobs/vocabulary/store";
import { mergeBridges } from "../mapping/vocabulary/table";
import type { BridgeTable, FixPair } from "../mapping/vocabulary/types";
import { ancestorWindow, readCommits } from "./git-commits";

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
  damping: HubDamping = WORKSPACE_DAMPING,
): RepoVocabulary {
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const pairs: FixPair[] = commits
    .map((c) => commitPair(c, index, byPath))
    .filter(isPair)
    .slice(0, MAX_STORED_PAIRS);
  const table = learnWorkspaceTable(index.repo, pairs, [], damping);
  return {
    bridge: mergeBridges(global, table),
    commitsRead: commits.length,
    pairs: pairs.length,
    words: table.words.size,
  };
}

export const DEFAULT_REPO_VOCABULARY_COMMITS = MAX_COMMITS;
