import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * Reads for the Codebase page (RLS: bugs.read): each selected repository and its code index.
 * The serialized index itself is never read here (members may not select it).
 */

export type IndexStatus = "queued" | "indexing" | "ready" | "error" | "not_indexed";

export interface RepositoryIndex {
  repositoryId: string;
  fullName: string;
  defaultBranch: string | null;
  private: boolean;
  status: IndexStatus;
  branch: string | null;
  commitSha: string | null;
  targetSha: string | null;
  filesDone: number;
  filesTotal: number;
  languages: Record<string, number>;
  filesCount: number;
  functionsCount: number;
  linesCount: number;
  skippedCount: number;
  lastError: string | null;
  startedAt: string | null;
  indexedAt: string | null;
}

export async function listRepositoryIndexes(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<RepositoryIndex[]> {
  const [repos, indexes] = await Promise.all([
    supabase
      .from("integration_repositories")
      .select("id, full_name, default_branch, private")
      .eq("organization_id", organizationId)
      .eq("selected", true)
      .order("full_name"),
    supabase
      .from("code_indexes")
      .select(
        "repository_id, repository_full_name, branch, commit_sha, target_sha, status, files_done, files_total, languages, files_count, functions_count, lines_count, skipped_count, last_error, started_at, indexed_at",
      )
      .eq("organization_id", organizationId),
  ]);
  const byRepo = new Map(dataOrThrow(indexes).map((i) => [i.repository_id, i]));
  return dataOrThrow(repos).map((r) => {
    const i = byRepo.get(r.id);
    return {
      repositoryId: r.id,
      fullName: r.full_name,
      defaultBranch: r.default_branch,
      private: r.private,
      status: (i?.status as IndexStatus | undefined) ?? "not_indexed",
      branch: i?.branch ?? null,
      commitSha: i?.commit_sha ?? null,
      targetSha: i?.target_sha ?? null,
      filesDone: i?.files_done ?? 0,
      filesTotal: i?.files_total ?? 0,
      languages: (i?.languages as Record<string, number> | undefined) ?? {},
      filesCount: i?.files_count ?? 0,
      functionsCount: i?.functions_count ?? 0,
      linesCount: Number(i?.lines_count ?? 0),
      skippedCount: i?.skipped_count ?? 0,
      lastError: i?.last_error ?? null,
      startedAt: i?.started_at ?? null,
      indexedAt: i?.indexed_at ?? null,
    };
  });
}
