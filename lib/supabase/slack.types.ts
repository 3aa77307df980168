import type { NotificationEventType } from "@/lib/notifications/catalog";

/**
 * The Slack tables (supabase/migrations/20261207100000_slack_notifications.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts them into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 */

type Rel = {
  foreignKeyName: string;
  columns: string[];
  isOneToOne: boolean;
  referencedRelation: string;
  referencedColumns: string[];
};

type InsertOf<Row, Defaulted extends keyof Row> = Omit<Row, Defaulted> &
  Partial<Pick<Row, Defaulted>>;

export type SlackConnectionRow = {
  id: string;
  organization_id: string;
  team_id: string;
  team_name: string;
  bot_user_id: string;
  app_id: string | null;
  scope: string;
  bot_token_enc: string;
  status: "connected" | "error";
  last_error: string | null;
  last_error_at: string | null;
  connected_by: string | null;
  connected_at: string;
  updated_at: string;
};

export type SlackDeliveryError = "not_in_channel" | "channel_not_found" | "is_archived";

export type SlackChannelRouteRow = {
  organization_id: string;
  event_type: NotificationEventType;
  channel_id: string;
  channel_name: string;
  delivery_error: SlackDeliveryError | null;
  delivery_error_at: string | null;
  updated_by: string | null;
  updated_at: string;
};

export type SlackMessageRow = {
  id: string;
  organization_id: string;
  event_type: NotificationEventType;
  event_key: string;
  channel_id: string;
  bug_id: string | null;
  status: "pending" | "posted" | "failed";
  ts: string | null;
  attempts: number;
  last_error: string | null;
  posted_at: string | null;
  updated_at: string | null;
  content_hash: string | null;
  created_at: string;
};

export type SlackTables = {
  slack_connections: {
    Row: SlackConnectionRow;
    Insert: InsertOf<
      SlackConnectionRow,
      | "app_id"
      | "scope"
      | "status"
      | "last_error"
      | "last_error_at"
      | "connected_by"
      | "connected_at"
      | "updated_at"
    >;
    Update: Partial<Omit<SlackConnectionRow, "id" | "organization_id">>;
    Relationships: Rel[];
  };
  slack_channel_routes: {
    Row: SlackChannelRouteRow;
    Insert: InsertOf<
      SlackChannelRouteRow,
      "delivery_error" | "delivery_error_at" | "updated_by" | "updated_at"
    >;
    Update: Partial<Omit<SlackChannelRouteRow, "organization_id" | "event_type">>;
    Relationships: Rel[];
  };
  slack_messages: {
    Row: SlackMessageRow;
    Insert: InsertOf<
      SlackMessageRow,
      | "id"
      | "bug_id"
      | "status"
      | "ts"
      | "attempts"
      | "last_error"
      | "posted_at"
      | "updated_at"
      | "content_hash"
      | "created_at"
    >;
    Update: Partial<Omit<SlackMessageRow, "id" | "organization_id">>;
    Relationships: Rel[];
  };
};
