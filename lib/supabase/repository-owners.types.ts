/**
 * public.repository_owners (supabase/migrations/20261206300000_repository_owners.sql,
 * 20261207120000_repository_owners_progress.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts it into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

import type { Json } from "./database.types";

export type RepositoryOwnersStatus = "queued" | "running" | "done" | "failed";

export type RepositoryOwnersRow = {
  id: string;
  organization_id: string;
  repository_id: string;
  /** Null only while a person's request is queued before the job read the head. */
  commit_sha: string | null;
  status: RepositoryOwnersStatus;
  codeowners_path: ".github/CODEOWNERS" | "CODEOWNERS" | "docs/CODEOWNERS" | null;
  pages_read: number;
  commits_counted: number;
  owners: Json;
  commits_total: number | null;
  synthesized_sha: string | null;
  synthesized_at: string | null;
  history: Json;
  requested_by: string | null;
  codeowners_pr_number: number | null;
  codeowners_pr_url: string | null;
  codeowners_pr_branch: string | null;
  codeowners_pr_opened_at: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
};

export type RepositoryOwnersTables = {
  repository_owners: {
    Row: RepositoryOwnersRow;
    Insert: Pick<RepositoryOwnersRow, "organization_id" | "repository_id"> &
      Partial<RepositoryOwnersRow>;
    Update: Partial<Omit<RepositoryOwnersRow, "id" | "organization_id" | "repository_id">>;
    Relationships: Array<{
      foreignKeyName: string;
      columns: string[];
      isOneToOne: boolean;
      referencedRelation: string;
      referencedColumns: string[];
    }>;
  };
};
