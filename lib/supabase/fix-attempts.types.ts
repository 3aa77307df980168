/**
 * public.fix_attempts (supabase/migrations/20261206260000_fix_attempts.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts it into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

import type { Json } from "./database.types";

export type FixAttemptStatus = "queued" | "running" | "opened" | "failed";
export type FixAttemptFailureKind =
  | "no_provider"
  | "no_locations"
  | "llm_refused"
  | "llm_failed"
  | "llm_malformed"
  | "no_fix"
  | "patch_unparsable"
  | "patch_outside_repository"
  | "patch_does_not_apply"
  | "github_error";

export type FixAttemptRow = {
  id: string;
  organization_id: string;
  bug_id: string;
  status: FixAttemptStatus;
  trigger: "manual" | "auto";
  failure_kind: FixAttemptFailureKind | null;
  failure_detail: string | null;
  llm_call: Json | null;
  progress: string | null;
  requested_by: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
};

export type FixAttemptTables = {
  fix_attempts: {
    Row: FixAttemptRow;
    Insert: Pick<FixAttemptRow, "organization_id" | "bug_id"> & Partial<FixAttemptRow>;
    Update: Partial<
      Pick<
        FixAttemptRow,
        | "status"
        | "failure_kind"
        | "failure_detail"
        | "llm_call"
        | "progress"
        | "started_at"
        | "finished_at"
      >
    >;
    Relationships: Array<{
      foreignKeyName: string;
      columns: string[];
      isOneToOne: boolean;
      referencedRelation: string;
      referencedColumns: string[];
    }>;
  };
};
