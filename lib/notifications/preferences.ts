import "server-only";
import { z } from "zod";
import type { Role } from "@/lib/auth/permissions";
import { toAppError } from "@/lib/errors";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import {
  type ChannelChoice,
  effectiveChannels,
  eventsForRole,
  NOTIFICATION_EVENTS,
  type NotificationEventSpec,
  type NotificationEventType,
} from "./catalog";

/**
 * Settings → Notifications: each person's channels per event in one workspace, read and written
 * as that person (RLS: their own rows only; the database keeps locked channels on and refuses
 * admin-only events for members and viewers).
 */

export interface PreferenceRow extends ChannelChoice {
  type: NotificationEventType;
  spec: NotificationEventSpec;
}

export async function readPreferences(
  supabase: ServerSupabaseClient,
  organizationId: string,
  userId: string,
  role: Role,
): Promise<PreferenceRow[]> {
  const { data, error } = await supabase
    .from("notification_preferences")
    .select("event_type, in_app, email")
    .eq("organization_id", organizationId)
    .eq("user_id", userId);
  if (error) throw toAppError(error);
  const chosen = new Map(
    (data ?? []).map((r) => [r.event_type, { inApp: r.in_app, email: r.email }]),
  );
  return eventsForRole(role).map((type) => ({
    type,
    spec: NOTIFICATION_EVENTS[type],
    ...effectiveChannels(type, chosen.get(type) ?? null),
  }));
}

/**
 * The form: one checkbox per channel and event, named `<event>.in_app` / `<event>.email`; an
 * unchecked box is absent from the form data, so absence means off.
 */
export const savePreferencesInput = z
  .record(z.string(), z.unknown())
  .transform((fields) => new Set(Object.keys(fields).filter((k) => fields[k] === "on")));

/** Saves the person's choices for every event their role sees. */
export async function savePreferences(
  supabase: ServerSupabaseClient,
  organizationId: string,
  userId: string,
  role: Role,
  checked: ReadonlySet<string>,
): Promise<void> {
  const rows = eventsForRole(role).map((type) => {
    const channels = effectiveChannels(type, {
      inApp: checked.has(`${type}.in_app`),
      email: checked.has(`${type}.email`),
    });
    return {
      organization_id: organizationId,
      user_id: userId,
      event_type: type,
      in_app: channels.inApp,
      email: channels.email,
    };
  });
  // replace the person's rows: an upsert would need update rights on the key columns, which
  // clients do not have (they may change in_app and email only)
  const removed = await supabase
    .from("notification_preferences")
    .delete()
    .eq("organization_id", organizationId)
    .eq("user_id", userId);
  if (removed.error) throw toAppError(removed.error);
  const { error } = await supabase.from("notification_preferences").insert(rows);
  if (error) throw toAppError(error);
}
