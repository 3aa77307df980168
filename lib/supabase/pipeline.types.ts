/**
 * The pipeline's tables (supabase/migrations/20261206120000_pipeline_tables.sql) in the shape
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

export type TicketStatus = "received" | "processing" | "skipped" | "bug" | "review" | "error";
export type TicketClassification =
  | "bug"
  | "billing"
  | "account_access"
  | "how_to"
  | "feature_request"
  | "spam"
  | "thanks_closing";

export type TicketRow = {
  id: string;
  organization_id: string;
  integration_id: string | null;
  provider: "zendesk" | "intercom";
  external_id: string;
  subject: string;
  requester_name: string | null;
  requester_external_id: string | null;
  channel: string | null;
  tags: string[];
  assigned_team: string | null;
  status: TicketStatus;
  classification: TicketClassification | null;
  skip_reason: string | null;
  language: string | null;
  dropped_internal_notes: number;
  truncation_note: string | null;
  last_error: string | null;
  provider_created_at: string;
  provider_updated_at: string | null;
  received_at: string;
  processed_at: string | null;
  created_at: string;
  updated_at: string;
};

export type TicketMessageRow = {
  id: string;
  organization_id: string;
  ticket_id: string;
  external_id: string;
  author_role: "customer" | "agent" | "bot";
  origin: "person" | "macro" | "automation" | "survey";
  position: number;
  body: string;
  attachments: Json;
  created_at: string;
  inserted_at: string;
};

export type BugStatus = "mapped" | "held" | "review" | "dismissed";
export type BugSeverity = "critical" | "high" | "medium" | "low";

export type BugRow = {
  id: string;
  organization_id: string;
  title: string;
  severity: BugSeverity;
  severity_cue: string | null;
  steps: string[];
  expected: string | null;
  actual: string | null;
  feature: string | null;
  impact: string | null;
  error_messages: string[];
  stack_traces: string[];
  verbatim: string;
  verbatim_language: string | null;
  extraction_confidence: number;
  extraction_reasons: string[];
  mapping_confidence: number | null;
  status: BugStatus;
  billed_at: string | null;
  source_ticket_id: string | null;
  edited_at: string | null;
  edited_by: string | null;
  /** offline: the deterministic extraction alone; llm: the workspace's model filled gaps. */
  extraction_source: "offline" | "llm";
  /** LlmCallRecord metadata per call (model, token counts, outcome, PII-risk tags); never text. */
  llm_calls: Json;
  /** The edited_at the current locations were re-mapped from (public.replace_bug_locations). */
  remapped_edit_at: string | null;
  /** When the meter held it over the allowance (status held); null otherwise. */
  held_at: string | null;
  /** The edit whose re-map failed after every retry (remap-bug's failure handler), and why. */
  remap_failed_edit_at: string | null;
  remap_error: string | null;
  created_at: string;
  updated_at: string;
};

export type BugTicketRow = {
  organization_id: string;
  bug_id: string;
  ticket_id: string;
  link_reason: "created" | "duplicate";
  linked_at: string;
};

export type BugLocationRow = {
  id: string;
  organization_id: string;
  bug_id: string;
  repository_id: string | null;
  repository_full_name: string;
  commit_sha: string;
  path: string;
  function_name: string | null;
  start_line: number;
  end_line: number;
  confidence: number;
  explanation: string;
  rank: number;
  mismapped: boolean;
  mismapped_reason: string | null;
  mismapped_by: string | null;
  mismapped_at: string | null;
  created_at: string;
};

export type ReviewGate = "extraction" | "mapping";
export type ReviewStatus = "open" | "accepted" | "dismissed";

export type ReviewItemRow = {
  id: string;
  organization_id: string;
  bug_id: string | null;
  ticket_id: string | null;
  gate: ReviewGate;
  reason: string;
  status: ReviewStatus;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
};

export type CodeIndexStatus = "queued" | "indexing" | "ready" | "error";

/** A row of public.code_indexes; index_data is readable by the service role only. */
export type CodeIndexRow = {
  id: string;
  organization_id: string;
  repository_id: string;
  repository_full_name: string;
  branch: string | null;
  commit_sha: string | null;
  target_sha: string | null;
  status: CodeIndexStatus;
  files_done: number;
  files_total: number;
  languages: Json;
  files_count: number;
  functions_count: number;
  lines_count: number;
  skipped_count: number;
  last_error: string | null;
  index_data: string | null;
  index_bytes: number;
  started_at: string | null;
  indexed_at: string | null;
  created_at: string;
  updated_at: string;
};

export type PipelineSettingsRow = {
  organization_id: string;
  extraction_threshold: number;
  mapping_threshold: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
};

/** supabase/migrations/20261206160000_llm_settings.sql */
export type LlmSettingsRow = {
  id: string;
  organization_id: string;
  provider: "none" | "anthropic" | "openai";
  model: string | null;
  /** Keyring ciphertext; the service role alone reads it. */
  api_key_enc: string | null;
  api_key_set_at: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
};

export type PipelineTables = {
  tickets: {
    Row: TicketRow;
    Insert: InsertOf<
      TicketRow,
      | "id"
      | "integration_id"
      | "subject"
      | "requester_name"
      | "requester_external_id"
      | "channel"
      | "tags"
      | "assigned_team"
      | "status"
      | "classification"
      | "skip_reason"
      | "language"
      | "dropped_internal_notes"
      | "truncation_note"
      | "last_error"
      | "provider_updated_at"
      | "received_at"
      | "processed_at"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<Omit<TicketRow, "id" | "organization_id" | "created_at">>;
    Relationships: Rel[];
  };
  ticket_messages: {
    Row: TicketMessageRow;
    Insert: InsertOf<TicketMessageRow, "id" | "origin" | "attachments" | "inserted_at">;
    Update: Partial<Omit<TicketMessageRow, "id" | "organization_id" | "ticket_id">>;
    Relationships: Rel[];
  };
  bugs: {
    Row: BugRow;
    Insert: InsertOf<
      BugRow,
      | "id"
      | "severity_cue"
      | "steps"
      | "expected"
      | "actual"
      | "feature"
      | "impact"
      | "error_messages"
      | "stack_traces"
      | "verbatim"
      | "verbatim_language"
      | "extraction_reasons"
      | "mapping_confidence"
      | "billed_at"
      | "source_ticket_id"
      | "edited_at"
      | "edited_by"
      | "extraction_source"
      | "llm_calls"
      | "remapped_edit_at"
      | "held_at"
      | "remap_failed_edit_at"
      | "remap_error"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<Omit<BugRow, "id" | "organization_id" | "created_at">>;
    Relationships: Rel[];
  };
  bug_tickets: {
    Row: BugTicketRow;
    Insert: InsertOf<BugTicketRow, "link_reason" | "linked_at">;
    Update: Partial<Pick<BugTicketRow, "bug_id" | "link_reason">>;
    Relationships: Rel[];
  };
  bug_locations: {
    Row: BugLocationRow;
    Insert: InsertOf<
      BugLocationRow,
      | "id"
      | "repository_id"
      | "function_name"
      | "explanation"
      | "mismapped"
      | "mismapped_reason"
      | "mismapped_by"
      | "mismapped_at"
      | "created_at"
    >;
    Update: Partial<
      Pick<BugLocationRow, "mismapped" | "mismapped_reason" | "confidence" | "explanation">
    >;
    Relationships: Rel[];
  };
  review_items: {
    Row: ReviewItemRow;
    Insert: InsertOf<
      ReviewItemRow,
      | "id"
      | "bug_id"
      | "ticket_id"
      | "status"
      | "resolved_by"
      | "resolved_at"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<Pick<ReviewItemRow, "status" | "reason">>;
    Relationships: Rel[];
  };
  code_indexes: {
    Row: CodeIndexRow;
    Insert: InsertOf<
      CodeIndexRow,
      | "id"
      | "branch"
      | "commit_sha"
      | "target_sha"
      | "status"
      | "files_done"
      | "files_total"
      | "languages"
      | "files_count"
      | "functions_count"
      | "lines_count"
      | "skipped_count"
      | "last_error"
      | "index_data"
      | "index_bytes"
      | "started_at"
      | "indexed_at"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<Omit<CodeIndexRow, "id" | "organization_id" | "repository_id" | "created_at">>;
    Relationships: Rel[];
  };
  pipeline_settings: {
    Row: PipelineSettingsRow;
    Insert: InsertOf<
      PipelineSettingsRow,
      "extraction_threshold" | "mapping_threshold" | "updated_by" | "created_at" | "updated_at"
    >;
    Update: Partial<Pick<PipelineSettingsRow, "extraction_threshold" | "mapping_threshold">>;
    Relationships: Rel[];
  };
  llm_settings: {
    Row: LlmSettingsRow;
    Insert: InsertOf<
      LlmSettingsRow,
      | "id"
      | "provider"
      | "model"
      | "api_key_enc"
      | "api_key_set_at"
      | "updated_by"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<
      Pick<LlmSettingsRow, "provider" | "model" | "api_key_enc" | "api_key_set_at" | "updated_by">
    >;
    Relationships: Rel[];
  };
};
