import type { Octokit } from "@octokit/rest";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { CodeIndex } from "../../code-index/types";
import { cleanMessage, skipCommit } from "../../mapping/vocabulary/commit-filter";
import { learnBridge } from "../../mapping/vocabulary/learn";
import type { FixPair } from "../../mapping/vocabulary/types";
import { loadIndex, loadRepository } from "../code-index-store";
import { splitFullName } from "../github-source";
import { type CommitWithPatches, commitPair, isPair } from "./commit-pairs";
import { bugText, mergedFixPair, mismappedPair } from "./corrections";
import { dampPairs, dampTable, type HubDamping, WORKSPACE_DAMPING } from "./hub-damping";
import { loadVocabulary, MAX_STORED_PAIRS, saveVocabulary } from "./store";

/**
 * Learning a workspace's own vocabulary (docs/code-map.md "Each workspace's vocabulary"): after
 * a repository is indexed, its recent commits are read through the installation's GitHub API
 * (the last `MAX_COMMITS` on a full index; on an incremental one only those since the commit
 * last read), each fix-like commit becomes a fix pair against the new index, and the table is
 * learned over the stored commit pairs and the workspace's corrections. A correction (a merged
 * fix, a mismapped mark) re-learns the table from the stored pairs without reading commits.
 */

/** Commits read at most per run. */
export const MAX_COMMITS = 300;
const PER_PAGE = 100;
/** Commit detail requests in flight at once. */
const CONCURRENCY = 6;
/** Corrections read at most per repository, newest first. */
const MAX_CORRECTIONS = 300;

export interface VocabularyOutcome {
  status: "learned" | "unchanged";
  commitsRead?: number;
  pairsFromCommits?: number;
  pairsFromCorrections?: number;
  words?: number;
}

/** Runs `fn` over `items`, `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * `minPairs` for a history of `n` pairs: a small repository's few fixes must still teach
 * something, a large one's association needs repeating to count.
 */
export function minPairsFor(n: number): number {
  return n < 60 ? 1 : n < 400 ? 2 : 3;
}

/**
 * The workspace's table from its commit pairs and its people's corrections, with hub files
 * damped as `damping` says (`WORKSPACE_DAMPING` in the job; corrections are never damped).
 */
export function learnWorkspaceTable(
  fullName: string,
  commitPairs: readonly FixPair[],
  corrections: readonly FixPair[],
  damping: HubDamping = WORKSPACE_DAMPING,
) {
  const table = learnBridge([...dampPairs(commitPairs, damping), ...corrections], {
    minPairs: minPairsFor(commitPairs.length + corrections.length),
    source: fullName,
  });
  return dampTable(table, damping);
}

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

/** A commit as the listing gives it, before its files are asked for. */
export type ListedCommit = Omit<CommitWithPatches, "files">;

/**
 * The listed commits whose files are worth asking for: merges, bots, bumps, releases, chores and
 * one-word messages are left out by their message alone (one request per commit is the cost of
 * this job).
 */
export function worthReading<C extends ListedCommit>(listed: readonly C[]): C[] {
  return listed.filter(
    (c) =>
      skipCommit({ parents: c.parents, author: c.author, text: cleanMessage(c.message) }) ===
      undefined,
  );
}

/**
 * The fix pairs of `listed` (newest first), each commit's files fetched by `filesOf` (`limit`
 * requests in flight) and turned into its pair as soon as they arrive: a commit's patches are
 * dropped once its pair is made, so the step holds at most `limit` commits' patches beside the
 * index, never the whole history's. Pairs come out in listing order, whatever order the
 * requests finish in: the same pairs, in the same order, as pairing the fetched commits after
 * reading them all.
 */
export async function fixPairsAsRead(
  listed: readonly ListedCommit[],
  filesOf: (c: ListedCommit) => Promise<CommitWithPatches["files"]>,
  index: CodeIndex,
  limit = CONCURRENCY,
): Promise<FixPair[]> {
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const results = await mapLimited(listed, limit, async (c) =>
    commitPair({ ...c, files: await filesOf(c) }, index, byPath),
  );
  return results.filter(isPair);
}

/**
 * The fix pairs of the commits listed from `head` back (to `until`, exclusive, when given), at
 * most `max` read, made against `index` as each commit's files arrive.
 */
async function readFixPairs(
  octokit: Octokit,
  fullName: string,
  head: string,
  until: string | null,
  index: CodeIndex,
  max = MAX_COMMITS,
): Promise<{ read: number; pairs: FixPair[] }> {
  const r = splitFullName(fullName);
  const listed: ListedCommit[] = [];
  const listing = octokit.paginate.iterator(octokit.rest.repos.listCommits, {
    ...r,
    sha: head,
    per_page: PER_PAGE,
  });
  let reachedKnown = false;
  for await (const { data } of listing) {
    for (const c of data) {
      if (c.sha === until) {
        reachedKnown = true;
        break;
      }
      listed.push({
        sha: c.sha,
        message: c.commit.message,
        parents: c.parents.length,
        author: {
          name: c.commit.author?.name ?? "",
          email: c.commit.author?.email ?? "",
          login: c.author?.login ?? null,
        },
      });
      if (listed.length >= max) break;
    }
    if (reachedKnown || listed.length >= max || data.length < PER_PAGE) break;
  }
  const pairs = await fixPairsAsRead(
    worthReading(listed),
    async (c) => {
      const { data } = await octokit.rest.repos.getCommit({ ...r, ref: c.sha });
      return (data.files ?? []).map((f) => ({
        filename: f.filename,
        status: f.status,
        patch: f.patch ?? null,
      }));
    },
    index,
  );
  return { read: listed.length, pairs };
}

/**
 * The corrections people made on bugs mapped into this repository: merged fixes (the merge
 * commit's files, read through GitHub) and locations marked mismapped.
 */
export async function loadCorrections(
  admin: AdminSupabaseClient,
  octokit: Octokit | null,
  organizationId: string,
  repository: { id: string; fullName: string },
  index: CodeIndex,
): Promise<FixPair[]> {
  const [merged, marked] = await Promise.all([
    admin
      .from("pull_requests")
      .select("bug_id, merge_sha, merged_at")
      .eq("organization_id", organizationId)
      .eq("repository_id", repository.id)
      .eq("state", "merged")
      .order("merged_at", { ascending: false })
      .limit(MAX_CORRECTIONS),
    admin
      .from("bug_locations")
      .select("bug_id, path, function_name, mismapped_at")
      .eq("organization_id", organizationId)
      .eq("repository_id", repository.id)
      .eq("mismapped", true)
      .order("mismapped_at", { ascending: false })
      .limit(MAX_CORRECTIONS),
  ]);
  if (merged.error) fail("read merged fixes", merged.error);
  if (marked.error) fail("read mismapped locations", marked.error);
  const bugIds = [
    ...new Set([...(merged.data ?? []), ...(marked.data ?? [])].map((r) => r.bug_id)),
  ].sort();
  if (bugIds.length === 0) return [];
  const { data: bugs, error } = await admin
    .from("bugs")
    .select("id, title, impact, actual, expected, steps, error_messages")
    .eq("organization_id", organizationId)
    .in("id", bugIds);
  if (error) fail("read corrected bugs", error);
  const texts = new Map((bugs ?? []).map((b) => [b.id, bugText(b)]));

  const pairs: FixPair[] = [];
  const r = splitFullName(repository.fullName);
  const fixes = await mapLimited(merged.data ?? [], CONCURRENCY, async (pr) => {
    const text = texts.get(pr.bug_id);
    if (!octokit || !pr.merge_sha || !text) return null;
    try {
      // the merge commit against its first parent is the pull request's change
      const { data } = await octokit.rest.repos.getCommit({ ...r, ref: pr.merge_sha });
      return mergedFixPair(pr.bug_id, text, data.files ?? [], index);
    } catch {
      return null; // a merge commit GitHub no longer has teaches nothing
    }
  });
  for (const p of fixes) if (p) pairs.push(p);
  for (const m of marked.data ?? []) {
    const text = texts.get(m.bug_id);
    if (!text) continue;
    const p = mismappedPair(m.bug_id, text, { path: m.path, functionName: m.function_name }, index);
    if (p) pairs.push(p);
  }
  return pairs;
}

/** After indexing `repository` at `commit`: read its new commits and learn its table. */
export async function learnFromHistory(
  admin: AdminSupabaseClient,
  octokit: Octokit,
  organizationId: string,
  repository: { id: string; fullName: string },
  index: CodeIndex,
  commit: string,
  mode: "full" | "incremental",
): Promise<VocabularyOutcome> {
  const stored = await loadVocabulary(admin, organizationId, repository.id);
  if (stored?.commitLearnedAt === commit) return { status: "unchanged" };
  const since = mode === "incremental" ? (stored?.commitLearnedAt ?? null) : null;
  const { read, pairs: fresh } = await readFixPairs(
    octokit,
    repository.fullName,
    commit,
    since,
    index,
  );
  const known = new Set(fresh.map((p) => p.source));
  const prior = since ? (stored?.commitPairs ?? []).filter((p) => !known.has(p.source)) : [];
  const commitPairs = [...fresh, ...prior].slice(0, MAX_STORED_PAIRS);
  const corrections = await loadCorrections(admin, octokit, organizationId, repository, index);
  const table = learnWorkspaceTable(repository.fullName, commitPairs, corrections);
  const commitsRead = read + (since ? (stored?.commitsRead ?? 0) : 0);
  await saveVocabulary(admin, organizationId, repository.id, {
    table,
    commitPairs,
    commitsRead,
    commit,
    pairsFromCorrections: corrections.length,
  });
  return {
    status: "learned",
    commitsRead,
    pairsFromCommits: commitPairs.length,
    pairsFromCorrections: corrections.length,
    words: table.words.size,
  };
}

/**
 * A correction was made in the workspace: each of its learned repositories' tables again, over
 * the stored commit pairs and the corrections as they are now.
 */
export async function relearnCorrections(
  admin: AdminSupabaseClient,
  octokitFor: (integrationId: string) => Promise<Octokit>,
  organizationId: string,
): Promise<{ repositories: number; corrections: number }> {
  const { data, error } = await admin
    .from("code_vocabularies")
    .select("repository_id")
    .eq("organization_id", organizationId)
    .order("repository_id", { ascending: true });
  if (error) fail("read code vocabularies", error);
  let repositories = 0;
  let total = 0;
  for (const { repository_id: repositoryId } of data ?? []) {
    const [repo, index, stored] = await Promise.all([
      loadRepository(admin, organizationId, repositoryId),
      loadIndex(admin, organizationId, repositoryId),
      loadVocabulary(admin, organizationId, repositoryId),
    ]);
    if (!repo?.selected || !index || !stored) continue;
    const octokit = await octokitFor(repo.integration_id).catch(() => null);
    const repository = { id: repositoryId, fullName: repo.full_name };
    const corrections = await loadCorrections(admin, octokit, organizationId, repository, index);
    const table = learnWorkspaceTable(repo.full_name, stored.commitPairs, corrections);
    await saveVocabulary(admin, organizationId, repositoryId, {
      table,
      commitPairs: stored.commitPairs,
      commitsRead: stored.commitsRead,
      commit: stored.commitLearnedAt,
      pairsFromCorrections: corrections.length,
    });
    repositories++;
    total += corrections.length;
  }
  return { repositories, corrections: total };
}

/**
 * The indexing job's second step: the repository's ready index (as just saved) and its commits
 * since the last run. Apart from the index step, so a GitHub failure here retries only this.
 */
export async function learnRepositoryVocabulary(
  admin: AdminSupabaseClient,
  octokitFor: (integrationId: string) => Promise<Octokit>,
  organizationId: string,
  repositoryId: string,
  mode: "full" | "incremental",
): Promise<VocabularyOutcome | { status: "not-indexed" }> {
  const repo = await loadRepository(admin, organizationId, repositoryId);
  if (!repo?.selected) return { status: "not-indexed" };
  const { data: row, error } = await admin
    .from("code_indexes")
    .select("commit_sha")
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .eq("status", "ready")
    .maybeSingle();
  if (error) fail("read code index", error);
  const index = row?.commit_sha ? await loadIndex(admin, organizationId, repositoryId) : null;
  if (!row?.commit_sha || !index) return { status: "not-indexed" };
  const octokit = await octokitFor(repo.integration_id);
  return learnFromHistory(
    admin,
    octokit,
    organizationId,
    { id: repositoryId, fullName: repo.full_name },
    index,
    row.commit_sha,
    mode,
  );
}
