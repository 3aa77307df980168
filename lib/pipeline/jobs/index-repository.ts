import type { Octokit } from "@octokit/rest";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { buildIndex, type SourceFile, updateIndex } from "../code-index/builder";
import type { CodeIndex, IndexProgress } from "../code-index/types";
import {
  indexStatus,
  loadIndex,
  loadRepository,
  saveIndex,
  saveIndexError,
  saveProgress,
  startIndexing,
} from "./code-index-store";
import {
  listTree,
  repositoryHead,
  sourceFiles,
  splitFullName,
  type TreeEntry,
} from "./github-source";

/**
 * Indexes one selected repository at the head of its default branch (or at a pushed commit):
 * the first time in full, afterwards only the files whose blob id changed since the stored
 * index's commit (added or modified) and without the deleted ones. Progress is written while it
 * runs; a failure is recorded on the row for people to read and rethrown for the job's retry.
 */

export interface IndexOutcome {
  status: "indexed" | "unchanged" | "not-selected";
  mode?: "full" | "incremental";
  commit?: string;
  files?: number;
  changed?: number;
  removed?: number;
  bytes?: number;
  ms?: number;
  /** Where the time went (ms): read the stored row, list the tree, download + parse, write. */
  phases?: Record<string, number>;
}

/** Which paths a new tree changes relative to a stored index (blob ids are the file hashes). */
export function treeChanges(
  index: CodeIndex,
  tree: readonly TreeEntry[],
): { changed: TreeEntry[]; removed: string[] } {
  const known = new Map(index.files.map((f) => [f.path, f.hash]));
  const skipped = new Set(index.skipped.map((s) => s.path));
  const inTree = new Set(tree.map((e) => e.path));
  // a skipped path whose blob we never hashed is re-evaluated only when it is new
  const changed = tree.filter((e) =>
    known.has(e.path) ? known.get(e.path) !== e.sha : !skipped.has(e.path),
  );
  const removed = [...known.keys(), ...skipped].filter((p) => !inTree.has(p));
  return { changed, removed };
}

/** Writes progress at most every `everyMs` (and at the end). */
function throttledProgress(write: (p: IndexProgress) => Promise<void>, everyMs = 500) {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  return {
    onProgress(p: IndexProgress) {
      const now = Date.now();
      if (now - last < everyMs && p.done !== p.total) return;
      last = now;
      pending = pending.then(() => write(p)).catch(() => {});
    },
    flush: () => pending,
  };
}

export async function indexRepository(
  admin: AdminSupabaseClient,
  /** An Octokit acting as the repository's installation (its integration id). */
  octokitFor: (integrationId: string) => Promise<Octokit>,
  organizationId: string,
  repositoryId: string,
  pushedCommit?: string,
): Promise<IndexOutcome> {
  const started = Date.now();
  const phases: Record<string, number> = {};
  let mark = started;
  const lap = (name: string) => {
    const now = Date.now();
    phases[name] = now - mark;
    mark = now;
  };
  const repository = await loadRepository(admin, organizationId, repositoryId);
  if (!repository?.selected) return { status: "not-selected" };
  try {
    const octokit = await octokitFor(repository.integration_id);
    lap("token");
    // a push names its commit and the row its default branch: no need to ask GitHub for either
    const head =
      pushedCommit && repository.default_branch
        ? {
            ...splitFullName(repository.full_name),
            branch: repository.default_branch,
            sha: pushedCommit,
          }
        : await repositoryHead(octokit, repository.full_name, repository.default_branch);
    const commit = pushedCommit ?? head.sha;
    const at = { ...head, sha: commit };
    lap("head");
    // the small columns first: an index already at this commit is never read or parsed
    const current = await indexStatus(admin, organizationId, repositoryId);
    if (current?.status === "ready" && current.commit_sha === commit) {
      return { status: "unchanged", commit };
    }
    const stored =
      current?.status === "ready" ? await loadIndex(admin, organizationId, repositoryId) : null;
    lap("load");
    const tree = await listTree(octokit, at);
    lap("tree");
    const incremental = stored ? treeChanges(stored, tree) : null;
    const files: SourceFile[] = sourceFiles(octokit, at, incremental ? incremental.changed : tree);
    await startIndexing(
      admin,
      organizationId,
      { id: repositoryId, fullName: repository.full_name, branch: head.branch },
      commit,
      files.length,
    );
    const progress = throttledProgress((p) =>
      saveProgress(admin, organizationId, repositoryId, p.done, p.total),
    );
    const options = { repo: repository.full_name, onProgress: progress.onProgress };
    const index =
      incremental && stored
        ? await updateIndex(stored, files, incremental.removed, options)
        : await buildIndex(files, options);
    await progress.flush();
    lap("index");
    const { bytes } = await saveIndex(admin, organizationId, repositoryId, commit, index);
    await admin
      .from("integration_repositories")
      .update({ head_sha: commit })
      .eq("organization_id", organizationId)
      .eq("id", repositoryId);
    lap("save");
    return {
      status: "indexed",
      mode: incremental ? "incremental" : "full",
      commit,
      files: index.files.length,
      changed: incremental?.changed.length,
      removed: incremental?.removed.length,
      bytes,
      ms: Date.now() - started,
      phases,
    };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const message =
      status !== undefined
        ? `GitHub answered HTTP ${status} while reading the repository.`
        : error instanceof Error
          ? error.message
          : "Indexing failed.";
    await saveIndexError(admin, organizationId, repositoryId, message).catch(() => {});
    throw error;
  }
}
