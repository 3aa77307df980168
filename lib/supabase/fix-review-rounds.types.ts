/**
 * public.fix_review_rounds (supabase/migrations/20261207130000_fix_review_rounds.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts it into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

import type { Json } from "./database.types";
import type { FixAttemptFailureKind } from "./fix-attempts.types";

export type FixReviewRoundStatus = "running" | "pushed" | "shown" | "failed";
export type FixReviewRoundReason = "limit_reached" | "no_provider";
export type FixReviewRoundFailureKind = Exclude<
  FixAttemptFailureKind,
  "no_provider" | "no_locations"
>;

export type FixReviewRoundRow = {
  id: string;
  organization_id: string;
  bug_id: string;
  pull_request_id: string;
  github_review_id: number;
  reviewer: string;
  status: FixReviewRoundStatus;
  round: number | null;
  reason: FixReviewRoundReason | null;
  failure_kind: FixReviewRoundFailureKind | null;
  failure_detail: string | null;
  commit_sha: string | null;
  llm_call: Json | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
};

export type FixReviewRoundTables = {
  fix_review_rounds: {
    Row: FixReviewRoundRow;
    Insert: Pick<
      FixReviewRoundRow,
      "organization_id" | "bug_id" | "pull_request_id" | "github_review_id" | "reviewer"
    > &
      Partial<FixReviewRoundRow>;
    Update: Partial<
      Pick<
        FixReviewRoundRow,
        | "status"
        | "round"
        | "reason"
        | "failure_kind"
        | "failure_detail"
        | "commit_sha"
        | "llm_call"
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
