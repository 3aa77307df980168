import type { NotificationEventType } from "@/lib/notifications/catalog";

/**
 * The notification tables (supabase/migrations/20261206280000_notifications.sql) in the shape
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

type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type NotificationRow = {
  id: string;
  organization_id: string;
  user_id: string;
  event_type: NotificationEventType;
  event_key: string;
  payload: Json;
  read_at: string | null;
  created_at: string;
};

export type NotificationPreferenceRow = {
  organization_id: string;
  user_id: string;
  event_type: NotificationEventType;
  in_app: boolean;
  email: boolean;
  updated_at: string;
};

export type NotificationDeliveryRow = {
  id: string;
  organization_id: string;
  user_id: string;
  event_type: NotificationEventType;
  event_key: string;
  channel: "email" | "slack";
  status: "sending" | "sent";
  attempts: number;
  provider_message_id: string | null;
  created_at: string;
  sent_at: string | null;
};

export type NotificationTables = {
  notifications: {
    Row: NotificationRow;
    Insert: InsertOf<NotificationRow, "id" | "payload" | "read_at" | "created_at">;
    Update: Partial<Pick<NotificationRow, "read_at">>;
    Relationships: Rel[];
  };
  notification_preferences: {
    Row: NotificationPreferenceRow;
    Insert: InsertOf<NotificationPreferenceRow, "updated_at">;
    Update: Partial<Pick<NotificationPreferenceRow, "in_app" | "email">>;
    Relationships: Rel[];
  };
  notification_deliveries: {
    Row: NotificationDeliveryRow;
    Insert: InsertOf<
      NotificationDeliveryRow,
      "id" | "status" | "attempts" | "provider_message_id" | "created_at" | "sent_at"
    >;
    Update: Partial<
      Pick<NotificationDeliveryRow, "status" | "attempts" | "provider_message_id" | "sent_at">
    >;
    Relationships: Rel[];
  };
};

export type NotificationFunctions = {
  notification_recipients: {
    Args: { p_organization_id: string; p_event_type: NotificationEventType };
    Returns: {
      user_id: string;
      email: string;
      role: "owner" | "admin" | "member" | "viewer";
      in_app: boolean;
      email_on: boolean;
    }[];
  };
};

/** Migration 20261206280100 (held over allowance): the billing jobs' release. */
export type HeldBugFunctions = {
  release_held_bugs: {
    Args: { p_organization_id: string };
    /** How many held bugs were released (billed). */
    Returns: number;
  };
};
