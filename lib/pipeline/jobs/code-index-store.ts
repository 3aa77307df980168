import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";
import type { CodeIndexRow } from "@/lib/supabase/pipeline.types";
import { functionChunks } from "../code-index/builder";
import { deserializeIndex, serializeIndex } from "../code-index/serialize";
import type { CodeIndex } from "../code-index/types";

/**
 * The per-repository code index in public.code_indexes: status and progress for the Codebase
 * page, and the serialized derived index (names, spans, term counts, blob hashes; never source
 * text) that the mapping stage reads back. One row per selected repository; every query names
 * the organization.
 */

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

export interface IndexedRepository {
  repositoryId: string;
  fullName: string;
  commitSha: string;
  index: CodeIndex;
}

/** The selected repository a job works on (its row in integration_repositories). */
export async function loadRepository(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
) {
  const { data, error } = await admin
    .from("integration_repositories")
    .select("id, integration_id, full_name, default_branch, selected, head_sha")
    .eq("organization_id", organizationId)
    .eq("id", repositoryId)
    .maybeSingle();
  if (error) fail("read repository", error);
  return data;
}

/** The index row of a repository (without the serialized data), or null. */
export async function indexStatus(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
): Promise<Omit<CodeIndexRow, "index_data"> | null> {
  const { data, error } = await admin
    .from("code_indexes")
    .select(
      "id, organization_id, repository_id, repository_full_name, branch, commit_sha, target_sha, status, files_done, files_total, languages, files_count, functions_count, lines_count, skipped_count, last_error, index_bytes, started_at, indexed_at, created_at, updated_at",
    )
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (error) fail("read code index status", error);
  return data;
}

/** The stored index of one repository (to update it incrementally), or null. */
export async function loadIndex(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
): Promise<CodeIndex | null> {
  const { data, error } = await admin
    .from("code_indexes")
    .select("index_data")
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (error) fail("read code index", error);
  return data?.index_data ? deserializeIndex(data.index_data) : null;
}

/**
 * Parsed indexes kept between runs in this process, keyed by repository, commit and the time the
 * row was written: a ticket run re-reads only the small columns unless an index changed. Bounded
 * (least recently used out), since large repositories' indexes are tens of megabytes.
 */
const parsed = new Map<string, IndexedRepository>();
const MAX_CACHED = 16;

/** Every ready index of the workspace's selected repositories, for the mapping stage. */
export async function loadReadyIndexes(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<IndexedRepository[]> {
  const { data, error } = await admin
    .from("code_indexes")
    // a repository deselected in Settings keeps its index (re-selecting is instant) but no
    // longer takes part in mapping
    .select(
      "repository_id, repository_full_name, commit_sha, indexed_at, integration_repositories!inner(selected)",
    )
    .eq("organization_id", organizationId)
    .eq("status", "ready")
    .eq("integration_repositories.selected", true)
    .order("repository_full_name", { ascending: true });
  if (error) fail("read code indexes", error);
  const out: IndexedRepository[] = [];
  for (const r of data ?? []) {
    if (!r.commit_sha) continue;
    const key = `${organizationId}:${r.repository_id}:${r.commit_sha}:${r.indexed_at}`;
    let hit = parsed.get(key);
    if (hit) {
      parsed.delete(key);
    } else {
      // data and commit read together: a re-index finishing in between cannot mix them
      const { data: row, error: rowError } = await admin
        .from("code_indexes")
        .select("index_data, commit_sha")
        .eq("organization_id", organizationId)
        .eq("repository_id", r.repository_id)
        .eq("status", "ready")
        .maybeSingle();
      if (rowError) fail("read code index", rowError);
      if (!row?.index_data || !row.commit_sha) continue;
      hit = {
        repositoryId: r.repository_id,
        fullName: r.repository_full_name,
        commitSha: row.commit_sha,
        index: deserializeIndex(row.index_data),
      };
    }
    parsed.set(key, hit);
    out.push(hit);
  }
  while (parsed.size > MAX_CACHED) {
    const oldest = parsed.keys().next().value;
    if (oldest === undefined) break;
    parsed.delete(oldest);
  }
  return out;
}

/** Creates the row (queued) or marks an existing one as indexing `target` from now. */
export async function startIndexing(
  admin: AdminSupabaseClient,
  organizationId: string,
  repository: { id: string; fullName: string; branch: string },
  target: string,
  filesTotal: number,
): Promise<void> {
  const existing = await indexStatus(admin, organizationId, repository.id);
  const progress = {
    branch: repository.branch,
    target_sha: target,
    files_done: 0,
    files_total: filesTotal,
    last_error: null,
    started_at: new Date().toISOString(),
  };
  if (existing) {
    // a ready index stays ready (and readable by mapping) while its next commit is indexed
    const { error } = await admin
      .from("code_indexes")
      .update({
        ...progress,
        ...(existing.status === "ready" ? {} : { status: "indexing" as const }),
      })
      .eq("organization_id", organizationId)
      .eq("id", existing.id);
    if (error) fail("mark code index indexing", error);
    return;
  }
  const { error } = await admin.from("code_indexes").upsert(
    {
      organization_id: organizationId,
      repository_id: repository.id,
      repository_full_name: repository.fullName,
      status: "indexing",
      ...progress,
    },
    { onConflict: "repository_id" },
  );
  if (error) fail("create code index", error);
}

/** Progress while indexing (files done of total). */
export async function saveProgress(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
  done: number,
  total: number,
): Promise<void> {
  const { error } = await admin
    .from("code_indexes")
    .update({ files_done: done, files_total: total })
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId);
  if (error) fail("save indexing progress", error);
}

/** Counts shown on the Codebase page. */
export function indexSummary(index: CodeIndex) {
  const languages: Record<string, number> = {};
  let functions = 0;
  for (const file of index.files) {
    languages[file.language] = (languages[file.language] ?? 0) + 1;
    functions += functionChunks(file).length;
  }
  return {
    languages,
    files: index.files.length,
    functions,
    lines: index.stats.lines,
    skipped: index.skipped.length,
  };
}

/** Stores a finished index for `commit` and marks it ready. */
export async function saveIndex(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
  commit: string,
  index: CodeIndex,
): Promise<{ bytes: number }> {
  const data = serializeIndex(index);
  const summary = indexSummary(index);
  const { error } = await admin
    .from("code_indexes")
    .update({
      status: "ready",
      commit_sha: commit,
      target_sha: null,
      index_data: data,
      index_bytes: Buffer.byteLength(data),
      languages: summary.languages as Json,
      files_count: summary.files,
      functions_count: summary.functions,
      lines_count: summary.lines,
      skipped_count: summary.skipped,
      files_done: summary.files + summary.skipped,
      files_total: summary.files + summary.skipped,
      last_error: null,
      indexed_at: new Date().toISOString(),
    })
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId);
  if (error) fail("save code index", error);
  return { bytes: Buffer.byteLength(data) };
}

/** Records a failure people can read (no stack, no source). */
export async function saveIndexError(
  admin: AdminSupabaseClient,
  organizationId: string,
  repositoryId: string,
  message: string,
): Promise<void> {
  const current = await indexStatus(admin, organizationId, repositoryId);
  const { error } = await admin
    .from("code_indexes")
    .update({
      // a ready index keeps serving the mapping stage; only a first index is marked failed
      ...(current?.status === "ready" ? {} : { status: "error" as const }),
      target_sha: null,
      last_error: message.slice(0, 1000),
    })
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId);
  if (error) fail("save code index error", error);
}
