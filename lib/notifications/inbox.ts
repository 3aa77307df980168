import "server-only";
import { AppError, toAppError } from "@/lib/errors";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { isNotificationEventType, type NotificationEventType } from "./catalog";
import { type NotificationPayload, notificationMessage } from "./messages";

/**
 * The bell's reads and writes, as the signed-in person (RLS: only their own rows in a workspace
 * they belong to). Marking read sets read_at, the one column clients may write.
 */

export interface InboxItem {
  id: string;
  type: NotificationEventType;
  title: string;
  body: string;
  href: string;
  read: boolean;
  createdAt: string;
}

export interface Inbox {
  items: InboxItem[];
  unread: number;
}

export async function readInbox(
  supabase: ServerSupabaseClient,
  organization: { id: string; slug: string },
  limit = 15,
): Promise<Inbox> {
  const [list, count] = await Promise.all([
    supabase
      .from("notifications")
      .select("id, event_type, payload, read_at, created_at")
      .eq("organization_id", organization.id)
      .order("created_at", { ascending: false })
      .limit(limit),
    supabase
      .from("notifications")
      .select("id", { count: "exact", head: true })
      .eq("organization_id", organization.id)
      .is("read_at", null),
  ]);
  if (list.error) throw toAppError(list.error);
  if (count.error) throw toAppError(count.error);
  const items = (list.data ?? []).flatMap((row) => {
    if (!isNotificationEventType(row.event_type)) return [];
    const payload = (row.payload ?? {}) as NotificationPayload;
    const message = notificationMessage(row.event_type, payload, organization.slug);
    return [
      {
        id: row.id,
        type: row.event_type,
        ...message,
        read: row.read_at !== null,
        createdAt: row.created_at,
      },
    ];
  });
  return { items, unread: count.count ?? 0 };
}

/** Marks one notification read (a no-op when it already is); 404 when it is not yours. */
export async function markRead(
  supabase: ServerSupabaseClient,
  organizationId: string,
  id: string,
): Promise<void> {
  const { data, error } = await supabase
    .from("notifications")
    .update({ read_at: new Date().toISOString() })
    .eq("organization_id", organizationId)
    .eq("id", id)
    .select("id");
  if (error) throw toAppError(error);
  if (!data?.length) throw new AppError("not_found");
}

/** Marks every unread notification of the person in the workspace read; returns how many. */
export async function markAllRead(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<number> {
  const { data, error } = await supabase
    .from("notifications")
    .update({ read_at: new Date().toISOString() })
    .eq("organization_id", organizationId)
    .is("read_at", null)
    .select("id");
  if (error) throw toAppError(error);
  return data?.length ?? 0;
}
