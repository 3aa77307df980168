/**
 * public.repository_owners (supabase/migrations/20261206300000_repository_owners.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts it into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

import type { Json } from "./database.types";

export type RepositoryOwnersStatus = "queued" | "running" | "done" | "failed";

export type RepositoryOwnersRow = {
  id: string;
  organization_id: string;
  repository_id: string;
  commit_sha: string;
  status: RepositoryOwnersStatus;
  codeowners_path: ".github/CODEOWNERS" | "CODEOWNERS" | "docs/CODEOWNERS" | null;
  pages_read: number;
  commits_counted: number;
  owners: Json;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
};

export type RepositoryOwnersTables = {
  repository_owners: {
    Row: RepositoryOwnersRow;
    Insert: Pick<RepositoryOwnersRow, "organization_id" | "repository_id" | "commit_sha"> &
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
