/**
 * The `public` schema as the Supabase clients see it, in the shape `supabase gen types typescript`
 * produces. Written by hand (the CLI cannot run here) from supabase/migrations; keep it in step
 * with every migration. supabase/tests/database-types.test.ts compares it with the live schema.
 */

import type { BillingTables } from "./billing.types";
import type { CodeVocabularyTables } from "./code-vocabularies.types";
import type { FixAttemptTables } from "./fix-attempts.types";
import type { FixReviewRoundTables } from "./fix-review-rounds.types";
import type { FixTables } from "./fixes.types";
import type {
  HeldBugFunctions,
  NotificationFunctions,
  NotificationTables,
} from "./notifications.types";
import type { PipelineTables } from "./pipeline.types";
import type { RepositoryOwnersTables } from "./repository-owners.types";
import type { SlackTables } from "./slack.types";

export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type OrganizationRole = "owner" | "admin" | "member" | "viewer";

type OrganizationRow = {
  id: string;
  name: string;
  slug: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

type MembershipRow = {
  id: string;
  organization_id: string;
  user_id: string;
  role: OrganizationRole;
  created_at: string;
  updated_at: string;
};

export type IntegrationProvider = "zendesk" | "intercom" | "github";
export type IntegrationCategory = "support" | "code";
export type IntegrationStatus = "connected" | "error" | "disconnected";

/** A row of public.integrations; the *_enc columns are readable by the service role only. */
type IntegrationRow = {
  id: string;
  organization_id: string;
  provider: IntegrationProvider;
  category: IntegrationCategory;
  status: IntegrationStatus;
  external_account_id: string;
  account: Json;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  webhook_secret_enc: string | null;
  previous_webhook_secret_enc: string | null;
  previous_webhook_secret_expires_at: string | null;
  provider_webhook_id: string | null;
  token_expires_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  last_event_at: string | null;
  installation_updated_at: string | null;
  connected_by: string | null;
  connected_at: string | null;
  disconnected_at: string | null;
  created_at: string;
  updated_at: string;
};

export type WebhookProvider = "zendesk" | "intercom" | "github" | "razorpay";
export type WebhookDeliveryStatus = "pending" | "sent" | "processed" | "ignored";
export type WebhookIgnoredReason = "unknown_tenant" | "disconnected" | "ping" | "unsupported_event";

/** A row of public.webhook_deliveries; event_data is readable by the service role only. */
type WebhookDeliveryRow = {
  id: string;
  provider: WebhookProvider;
  provider_event_id: string;
  organization_id: string | null;
  integration_id: string | null;
  event_type: string;
  status: WebhookDeliveryStatus;
  ignored_reason: WebhookIgnoredReason | null;
  event_data: Json | null;
  send_attempts: number;
  received_at: string;
  sent_at: string | null;
  processed_at: string | null;
  updated_at: string;
};

export type Database = {
  __InternalSupabase: { PostgrestVersion: "12" };
  public: {
    Tables: {
      organizations: {
        Row: OrganizationRow;
        Insert: {
          id?: string;
          name: string;
          slug: string;
          created_by?: string | null;
          created_at?: string;
          updated_at?: string;
        };
        Update: { name?: string };
        Relationships: [];
      };
      memberships: {
        Row: MembershipRow;
        Insert: {
          id?: string;
          organization_id: string;
          user_id: string;
          role: OrganizationRole;
          created_at?: string;
          updated_at?: string;
        };
        Update: { role?: OrganizationRole };
        Relationships: [
          {
            foreignKeyName: "memberships_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      invitations: {
        Row: {
          id: string;
          organization_id: string;
          email: string;
          role: OrganizationRole;
          token_hash: string;
          invited_by: string | null;
          expires_at: string;
          accepted_at: string | null;
          accepted_by: string | null;
          revoked_at: string | null;
          revoked_by: string | null;
          created_at: string;
        };
        Insert: {
          id?: string;
          organization_id: string;
          email: string;
          role: OrganizationRole;
          token_hash: string;
          invited_by?: string | null;
          expires_at?: string;
          accepted_at?: string | null;
          accepted_by?: string | null;
          revoked_at?: string | null;
          revoked_by?: string | null;
          created_at?: string;
        };
        Update: {
          accepted_at?: string | null;
          accepted_by?: string | null;
          revoked_at?: string | null;
          revoked_by?: string | null;
          expires_at?: string;
        };
        Relationships: [
          {
            foreignKeyName: "invitations_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      audit_log: {
        Row: {
          id: number;
          organization_id: string | null;
          actor_id: string | null;
          action: string;
          target_type: string | null;
          target_id: string | null;
          metadata: Json;
          created_at: string;
        };
        Insert: {
          organization_id?: string | null;
          actor_id?: string | null;
          action: string;
          target_type?: string | null;
          target_id?: string | null;
          metadata?: Json;
          created_at?: string;
        };
        Update: never;
        Relationships: [
          {
            foreignKeyName: "audit_log_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      integrations: {
        Row: IntegrationRow;
        Insert: {
          id?: string;
          organization_id: string;
          provider: IntegrationProvider;
          status?: IntegrationStatus;
          external_account_id: string;
          account?: Json;
          access_token_enc?: string | null;
          refresh_token_enc?: string | null;
          webhook_secret_enc?: string | null;
          previous_webhook_secret_enc?: string | null;
          previous_webhook_secret_expires_at?: string | null;
          provider_webhook_id?: string | null;
          token_expires_at?: string | null;
          last_error?: string | null;
          last_error_at?: string | null;
          last_event_at?: string | null;
          installation_updated_at?: string | null;
          connected_by?: string | null;
          connected_at?: string | null;
          disconnected_at?: string | null;
          created_at?: string;
          updated_at?: string;
        };
        Update: {
          status?: IntegrationStatus;
          account?: Json;
          access_token_enc?: string | null;
          refresh_token_enc?: string | null;
          webhook_secret_enc?: string | null;
          previous_webhook_secret_enc?: string | null;
          previous_webhook_secret_expires_at?: string | null;
          provider_webhook_id?: string | null;
          token_expires_at?: string | null;
          last_error?: string | null;
          last_error_at?: string | null;
          last_event_at?: string | null;
          installation_updated_at?: string | null;
          connected_by?: string | null;
          connected_at?: string | null;
          disconnected_at?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "integrations_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      integration_repositories: {
        Row: {
          id: string;
          organization_id: string;
          integration_id: string;
          github_repository_id: number;
          full_name: string;
          default_branch: string | null;
          private: boolean;
          selected: boolean;
          head_sha: string | null;
          production_environment: string;
          created_at: string;
          updated_at: string;
        };
        Insert: {
          id?: string;
          organization_id: string;
          integration_id: string;
          github_repository_id: number;
          full_name: string;
          default_branch?: string | null;
          private?: boolean;
          selected?: boolean;
          head_sha?: string | null;
          production_environment?: string;
          created_at?: string;
          updated_at?: string;
        };
        Update: {
          full_name?: string;
          default_branch?: string | null;
          private?: boolean;
          selected?: boolean;
          head_sha?: string | null;
          production_environment?: string;
        };
        Relationships: [
          {
            foreignKeyName: "integration_repositories_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "integration_repositories_integration_fkey";
            columns: ["integration_id", "organization_id"];
            isOneToOne: false;
            referencedRelation: "integrations";
            referencedColumns: ["id", "organization_id"];
          },
        ];
      };
      oauth_states: {
        Row: {
          nonce_hash: string;
          organization_id: string;
          user_id: string;
          provider: IntegrationProvider | "slack";
          expires_at: string;
          consumed_at: string | null;
          created_at: string;
        };
        Insert: {
          nonce_hash: string;
          organization_id: string;
          user_id: string;
          provider: IntegrationProvider | "slack";
          expires_at: string;
          consumed_at?: string | null;
          created_at?: string;
        };
        Update: { consumed_at?: string | null };
        Relationships: [
          {
            foreignKeyName: "oauth_states_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
        ];
      };
      webhook_deliveries: {
        Row: WebhookDeliveryRow;
        Insert: {
          id?: string;
          provider: WebhookProvider;
          provider_event_id: string;
          organization_id?: string | null;
          integration_id?: string | null;
          event_type: string;
          status?: WebhookDeliveryStatus;
          ignored_reason?: WebhookIgnoredReason | null;
          event_data?: Json | null;
          send_attempts?: number;
          received_at?: string;
          sent_at?: string | null;
          processed_at?: string | null;
          updated_at?: string;
        };
        Update: {
          status?: WebhookDeliveryStatus;
          ignored_reason?: WebhookIgnoredReason | null;
          event_data?: Json | null;
          send_attempts?: number;
          sent_at?: string | null;
          processed_at?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "webhook_deliveries_organization_id_fkey";
            columns: ["organization_id"];
            isOneToOne: false;
            referencedRelation: "organizations";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "webhook_deliveries_integration_id_fkey";
            columns: ["integration_id"];
            isOneToOne: false;
            referencedRelation: "integrations";
            referencedColumns: ["id"];
          },
        ];
      };
    } & PipelineTables &
      BillingTables &
      FixTables &
      FixAttemptTables &
      FixReviewRoundTables &
      NotificationTables &
      RepositoryOwnersTables &
      CodeVocabularyTables &
      SlackTables;
    Views: { [_ in never]: never };
    Functions: {
      create_organization: {
        Args: { p_name: string; p_slug: string };
        Returns: OrganizationRow;
        SetofOptions: { from: "*"; to: "organizations"; isOneToOne: true; isSetofReturn: false };
      };
      create_invitation: {
        Args: { p_organization_id: string; p_email: string; p_role: OrganizationRole };
        Returns: {
          invitation_id: string;
          email: string;
          role: OrganizationRole;
          expires_at: string;
          token: string;
        }[];
      };
      get_invitation: {
        Args: { p_token: string };
        Returns: {
          invitation_id: string;
          organization_id: string;
          organization_name: string;
          organization_slug: string;
          email: string;
          role: OrganizationRole;
          expires_at: string;
          status: "pending" | "accepted" | "revoked" | "expired";
        }[];
      };
      accept_invitation: {
        Args: { p_token: string };
        Returns: OrganizationRow;
        SetofOptions: { from: "*"; to: "organizations"; isOneToOne: true; isSetofReturn: false };
      };
      revoke_invitation: {
        Args: { p_invitation_id: string };
        Returns: undefined;
      };
      change_member_role: {
        Args: { p_organization_id: string; p_user_id: string; p_role: OrganizationRole };
        Returns: MembershipRow;
        SetofOptions: { from: "*"; to: "memberships"; isOneToOne: true; isSetofReturn: false };
      };
      remove_member: {
        Args: { p_organization_id: string; p_user_id: string };
        Returns: undefined;
      };
      transfer_ownership: {
        Args: { p_organization_id: string; p_new_owner_id: string };
        Returns: undefined;
      };
      get_organization_members: {
        Args: { p_organization_id: string };
        Returns: {
          user_id: string;
          email: string;
          role: OrganizationRole;
          joined_at: string;
        }[];
      };
      list_audit_log: {
        Args: { p_organization_id: string; p_limit?: number; p_before_id?: number };
        Returns: {
          id: number;
          action: string;
          actor_id: string | null;
          actor_email: string | null;
          target_type: string | null;
          target_id: string | null;
          metadata: Json;
          created_at: string;
        }[];
      };
      claim_integration_refresh: {
        Args: {
          p_integration_id: string;
          p_organization_id: string;
          p_holder: string;
          p_ttl_seconds?: number;
        };
        Returns: boolean;
      };
      billing_record_invoice: {
        Args: {
          p_organization_id: string;
          p_invoice: Json;
          p_lines: Json;
          p_credited_bugs: number;
        };
        Returns: { invoice_id: string; created: boolean }[];
      };
      record_webhook_delivery: {
        Args: {
          p_id: string;
          p_provider: WebhookProvider;
          p_provider_event_id: string;
          p_event_type: string;
          p_tenant_kind: "integration" | "account" | "organization" | "none";
          p_tenant_key: string | null;
          p_ignored_reason: WebhookIgnoredReason | null;
          p_event: Json;
        };
        Returns: {
          delivery_id: string;
          inserted: boolean;
          status: WebhookDeliveryStatus;
          organization_id: string | null;
          integration_id: string | null;
          ignored_reason: WebhookIgnoredReason | null;
          event_data: Json | null;
          send_attempts: number;
        }[];
      };
      record_webhook_deliveries: {
        /** An array of { id, provider, provider_event_id, event_type, tenant_kind, tenant_key,
         * ignored_reason, event }, the arguments of record_webhook_delivery without their p_. */
        Args: { p_deliveries: Json };
        Returns: {
          idx: number;
          delivery_id: string;
          inserted: boolean;
          status: WebhookDeliveryStatus;
          organization_id: string | null;
          integration_id: string | null;
          ignored_reason: WebhookIgnoredReason | null;
          event_data: Json | null;
          send_attempts: number;
        }[];
      };
      release_integration_refresh: {
        Args: { p_integration_id: string; p_organization_id: string; p_holder: string };
        Returns: undefined;
      };
      record_auth_event: {
        Args: { p_action: string; p_user_id?: string; p_email?: string; p_metadata?: Json };
        Returns: number;
      };
      replace_bug_locations: {
        Args: {
          p_organization_id: string;
          p_bug_id: string;
          p_edited_at: string | null;
          p_mapping_confidence: number | null;
          p_locations: Json;
        };
        /** Rows written; -1 when the bug was edited again meanwhile; null when not there. */
        Returns: number | null;
      };
    } & NotificationFunctions &
      HeldBugFunctions;
    Enums: { [_ in never]: never };
    CompositeTypes: { [_ in never]: never };
  };
};

type PublicSchema = Database["public"];

/** Row type of a public table: `Tables<"organizations">`. */
export type Tables<T extends keyof PublicSchema["Tables"]> = PublicSchema["Tables"][T]["Row"];
export type TablesInsert<T extends keyof PublicSchema["Tables"]> =
  PublicSchema["Tables"][T]["Insert"];
export type TablesUpdate<T extends keyof PublicSchema["Tables"]> =
  PublicSchema["Tables"][T]["Update"];
/** Return type of an RPC: `FunctionReturns<"get_organization_members">`. */
export type FunctionReturns<F extends keyof PublicSchema["Functions"]> =
  PublicSchema["Functions"][F]["Returns"];
