import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/**
 * What each repository's own vocabulary was learned from (RLS: bugs.read), for the Codebase
 * page's line "Vocabulary: learned from N commits and M corrections". The table itself is not
 * read here: it is big and says nothing a person reads.
 */
export interface RepositoryVocabulary {
  /** Fix commits that became pairs (merges, bots, bumps and refactors are left out). */
  commits: number;
  /** Commits read from the repository's history, fix-like or not. */
  commitsRead: number;
  corrections: number;
  learnedAt: string;
}

export async function repositoryVocabularies(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Map<string, RepositoryVocabulary>> {
  const result = await supabase
    .from("code_vocabularies")
    .select("repository_id, commits_read, pairs_from_commits, pairs_from_corrections, learned_at")
    .eq("organization_id", organizationId);
  return new Map(
    dataOrThrow(result).map((v) => [
      v.repository_id,
      {
        commits: v.pairs_from_commits,
        commitsRead: v.commits_read,
        corrections: v.pairs_from_corrections,
        learnedAt: v.learned_at,
      },
    ]),
  );
}
