import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * The times the Codebase page needs to tell a moving index from a stalled one (RLS: bugs.read):
 * when each selected repository was last changed (selected, for one with no index row yet) and
 * when its index row was created and last written.
 */
export interface RepositoryTimes {
  selectedAt: string;
  indexCreatedAt: string | null;
  indexUpdatedAt: string | null;
}

export async function repositoryTimes(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Map<string, RepositoryTimes>> {
  const [repos, indexes] = await Promise.all([
    supabase
      .from("integration_repositories")
      .select("id, updated_at")
      .eq("organization_id", organizationId)
      .eq("selected", true),
    supabase
      .from("code_indexes")
      .select("repository_id, created_at, updated_at")
      .eq("organization_id", organizationId),
  ]);
  const byRepo = new Map(dataOrThrow(indexes).map((i) => [i.repository_id, i]));
  return new Map(
    dataOrThrow(repos).map((r) => {
      const i = byRepo.get(r.id);
      return [
        r.id,
        {
          selectedAt: r.updated_at,
          indexCreatedAt: i?.created_at ?? null,
          indexUpdatedAt: i?.updated_at ?? null,
        },
      ];
    }),
  );
}
