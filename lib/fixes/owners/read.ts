import "server-only";
import { AppError } from "@/lib/errors";
import type { RepositoryOwnersStatus } from "@/lib/supabase/repository-owners.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import type { SynthesizedOwners } from "../owner-synthesis";
import { fromStoredOwners } from "./stored";

/** What the Codebase page shows of a repository's owner synthesis (RLS: bugs.read). */
export interface RepositoryOwnersView {
  status: RepositoryOwnersStatus;
  commitSha: string | null;
  pagesRead: number;
  commitsRead: number;
  commitsTotal: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  codeownersPath: string | null;
  synthesizedSha: string | null;
  synthesizedAt: string | null;
  owners: SynthesizedOwners | null;
  pullRequest: { number: number; url: string } | null;
}

/** Each repository's synthesis, by repository id (the history column is not read: it is big). */
export async function listRepositoryOwners(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<Map<string, RepositoryOwnersView>> {
  const { data, error } = await supabase
    .from("repository_owners")
    .select(
      "repository_id, status, commit_sha, pages_read, commits_counted, commits_total, started_at, finished_at, error, codeowners_path, synthesized_sha, synthesized_at, owners, codeowners_pr_number, codeowners_pr_url",
    )
    .eq("organization_id", organizationId);
  if (error) throw new AppError("internal", undefined, { cause: error });
  return new Map(
    (data ?? []).map((r) => [
      r.repository_id,
      {
        status: r.status,
        commitSha: r.commit_sha,
        pagesRead: r.pages_read,
        commitsRead: r.commits_counted,
        commitsTotal: r.commits_total,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        error: r.error,
        codeownersPath: r.codeowners_path,
        synthesizedSha: r.synthesized_sha,
        synthesizedAt: r.synthesized_at,
        owners: r.synthesized_sha ? fromStoredOwners(r.owners) : null,
        pullRequest:
          r.codeowners_pr_number && r.codeowners_pr_url
            ? { number: r.codeowners_pr_number, url: r.codeowners_pr_url }
            : null,
      },
    ]),
  );
}
