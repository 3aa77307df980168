/**
 * The fix tables (supabase/migrations/20261206200000_fix_tables.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts them into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

import type { Json } from "./database.types";

type Rel = {
  foreignKeyName: string;
  columns: string[];
  isOneToOne: boolean;
  referencedRelation: string;
  referencedColumns: string[];
};

/** Required keys of `Row` stay required in `Insert` unless listed as defaulted. */
type InsertOf<Row, Defaulted extends keyof Row> = Omit<Row, Defaulted> &
  Partial<Pick<Row, Defaulted>>;

export type FixSettingsRow = {
  organization_id: string;
  auto_fix_threshold: number;
  rca_approval_required: boolean;
  rca_min_cluster_size: number;
  review_rounds_max: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
};

export type PullRequestState = "draft" | "open" | "merged" | "closed";
export type ChecksState = "none" | "pending" | "passing" | "failing";
export type ReviewState = "none" | "review_requested" | "changes_requested" | "approved";
export type DeployState = "not_yet" | "shipped" | "rolled_back";

export type PullRequestRow = {
  id: string;
  organization_id: string;
  bug_id: string;
  repository_id: string;
  repository_full_name: string;
  number: number;
  url: string;
  origin: "drafted" | "linked";
  title: string | null;
  head_branch: string | null;
  head_sha: string | null;
  state: PullRequestState;
  checks_state: ChecksState;
  checks: Json;
  review_state: ReviewState;
  merge_sha: string | null;
  merged_at: string | null;
  deploy_state: DeployState;
  deployed_sha: string | null;
  shipped_at: string | null;
  deploy_checked_at: string | null;
  linked_by: string | null;
  created_at: string;
  updated_at: string;
  state_at: string | null;
  closed_at: string | null;
  reviews: Json;
  comments: Json;
};

export type DeploymentState =
  | "queued"
  | "pending"
  | "in_progress"
  | "success"
  | "failure"
  | "error"
  | "inactive";

export type DeploymentRow = {
  id: string;
  organization_id: string;
  repository_id: string;
  github_deployment_id: number;
  environment: string;
  sha: string;
  state: DeploymentState;
  state_at: string;
  created_at: string;
  updated_at: string;
};

export type RcaStatus = "draft" | "approved" | "published" | "parked";

export type RcaRow = {
  id: string;
  organization_id: string;
  bug_id: string;
  sections: Json;
  status: RcaStatus;
  version: number;
  parked_reason: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approved_version: number | null;
  published_version: number | null;
  published_at: string | null;
  edited_by: string | null;
  edited_at: string | null;
  draft_source: RcaDraftSource;
  draft_note: string | null;
  created_at: string;
  updated_at: string;
};

/** How an RCA's draft was written (migration 20261207130000). */
export type RcaDraftSource = "offline" | "llm" | "offline_fallback";

export type RcaPublicationRow = {
  id: string;
  organization_id: string;
  rca_id: string;
  ticket_id: string;
  version: number;
  version_hash: string;
  language: string;
  status: "sending" | "sent" | "failed";
  external_id: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
};

export type FixTables = {
  fix_settings: {
    Row: FixSettingsRow;
    Insert: InsertOf<
      FixSettingsRow,
      | "auto_fix_threshold"
      | "rca_approval_required"
      | "rca_min_cluster_size"
      | "review_rounds_max"
      | "updated_by"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<
      Pick<
        FixSettingsRow,
        | "auto_fix_threshold"
        | "rca_approval_required"
        | "rca_min_cluster_size"
        | "review_rounds_max"
      >
    >;
    Relationships: Rel[];
  };
  pull_requests: {
    Row: PullRequestRow;
    Insert: InsertOf<
      PullRequestRow,
      | "id"
      | "repository_full_name"
      | "origin"
      | "title"
      | "head_branch"
      | "head_sha"
      | "state"
      | "checks_state"
      | "checks"
      | "review_state"
      | "merge_sha"
      | "merged_at"
      | "deploy_state"
      | "deployed_sha"
      | "shipped_at"
      | "deploy_checked_at"
      | "linked_by"
      | "created_at"
      | "updated_at"
      | "state_at"
      | "closed_at"
      | "reviews"
      | "comments"
    >;
    Update: Partial<
      Omit<
        PullRequestRow,
        "id" | "organization_id" | "bug_id" | "repository_id" | "number" | "origin" | "created_at"
      >
    >;
    Relationships: Rel[];
  };
  deployments: {
    Row: DeploymentRow;
    Insert: InsertOf<DeploymentRow, "id" | "created_at" | "updated_at">;
    Update: Partial<Pick<DeploymentRow, "environment" | "sha" | "state" | "state_at">>;
    Relationships: Rel[];
  };
  rcas: {
    Row: RcaRow;
    Insert: InsertOf<
      RcaRow,
      | "id"
      | "status"
      | "version"
      | "parked_reason"
      | "approved_by"
      | "approved_at"
      | "approved_version"
      | "published_version"
      | "published_at"
      | "edited_by"
      | "edited_at"
      | "draft_source"
      | "draft_note"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<
      Pick<RcaRow, "sections" | "status" | "parked_reason" | "draft_source" | "draft_note">
    >;
    Relationships: Rel[];
  };
  rca_publications: {
    Row: RcaPublicationRow;
    Insert: InsertOf<
      RcaPublicationRow,
      "id" | "status" | "external_id" | "last_error" | "created_at" | "sent_at"
    >;
    Update: Partial<Pick<RcaPublicationRow, "status" | "external_id" | "last_error" | "sent_at">>;
    Relationships: Rel[];
  };
};
