import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { SlackChannel } from "@/lib/integrations/slack/connection";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import type { SlackDeliveryError } from "@/lib/supabase/slack.types";
import {
  NOTIFICATION_EVENT_TYPES,
  NOTIFICATION_EVENTS,
  type NotificationEventType,
} from "../catalog";

/**
 * Settings → Notifications, the Slack part (owners and admins): the connection's non-secret
 * columns and the channel chosen per event, read and written as the signed-in person through RLS
 * (`integrations.manage`). The channel's name is taken from Slack's own list, never from the form.
 */

/** Every event Slack can carry: all but the daily digest (an email). */
export const SLACK_EVENT_TYPES = NOTIFICATION_EVENT_TYPES.filter(
  (t) => !NOTIFICATION_EVENTS[t].emailOnly,
);

export interface SlackConnectionView {
  teamName: string;
  status: "connected" | "error";
  lastError: string | null;
  connectedAt: string;
}

export interface SlackRouteView {
  type: NotificationEventType;
  label: string;
  description: string;
  adminOnly: boolean;
  channelId: string | null;
  channelName: string | null;
  deliveryError: SlackDeliveryError | null;
}

export async function readSlackConnection(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<SlackConnectionView | null> {
  const { data, error } = await supabase
    .from("slack_connections")
    .select("team_name, status, last_error, connected_at")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error)
    throw new AppError("internal", "Could not read the Slack connection.", { cause: error });
  return data
    ? {
        teamName: data.team_name,
        status: data.status,
        lastError: data.last_error,
        connectedAt: data.connected_at,
      }
    : null;
}

export async function readSlackRoutes(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<SlackRouteView[]> {
  const { data, error } = await supabase
    .from("slack_channel_routes")
    .select("event_type, channel_id, channel_name, delivery_error")
    .eq("organization_id", organizationId);
  if (error) throw new AppError("internal", "Could not read the Slack channels.", { cause: error });
  const byType = new Map((data ?? []).map((r) => [r.event_type, r]));
  return SLACK_EVENT_TYPES.map((type) => {
    const spec = NOTIFICATION_EVENTS[type];
    const route = byType.get(type);
    return {
      type,
      label: spec.label,
      description: spec.description,
      adminOnly: spec.adminOnly,
      channelId: route?.channel_id ?? null,
      channelName: route?.channel_name ?? null,
      deliveryError: route?.delivery_error ?? null,
    };
  });
}

const channelId = z.string().regex(/^[CG][A-Z0-9]{2,30}$/, "Choose a channel from the list.");

/** The form: one select per event named `channel.<event>`; an empty value means "not posted". */
export const saveSlackChannelsInput = z
  .record(z.string(), z.unknown())
  .transform((fields) =>
    Object.fromEntries(
      SLACK_EVENT_TYPES.map((t) => [
        t,
        typeof fields[`channel.${t}`] === "string" ? fields[`channel.${t}`] : "",
      ]),
    ),
  )
  .pipe(z.record(z.enum(SLACK_EVENT_TYPES), z.union([z.literal(""), channelId])));
export type SaveSlackChannelsInput = z.infer<typeof saveSlackChannelsInput>;

/**
 * Saves the channel per event. Each chosen id must be in the bot's channel list (read from Slack
 * just now): its name is Slack's. Unchosen events are removed. Returns the channels chosen that
 * the bot is not in, for the "invite the bot" hint.
 */
export async function saveSlackRoutes(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: SaveSlackChannelsInput,
  channels: readonly SlackChannel[],
): Promise<SlackChannel[]> {
  const known = new Map(channels.map((c) => [c.id, c]));
  const fieldErrors: Record<string, string[]> = {};
  for (const [type, id] of Object.entries(input))
    if (id && !known.has(id))
      fieldErrors[`channel.${type}`] = ["That channel is not in Slack's list any more."];
  if (Object.keys(fieldErrors).length)
    throw new AppError("validation", "Some channels could not be found in Slack.", { fieldErrors });

  const chosen = Object.entries(input).filter(([, id]) => id !== "") as [
    NotificationEventType,
    string,
  ][];
  const cleared = Object.entries(input)
    .filter(([, id]) => id === "")
    .map(([type]) => type as NotificationEventType);
  if (cleared.length) {
    const { error } = await supabase
      .from("slack_channel_routes")
      .delete()
      .eq("organization_id", organizationId)
      .in("event_type", cleared);
    if (error)
      throw new AppError("internal", "Could not save the Slack channels.", { cause: error });
  }
  const { data: existing, error: readError } = await supabase
    .from("slack_channel_routes")
    .select("event_type, channel_id")
    .eq("organization_id", organizationId);
  if (readError)
    throw new AppError("internal", "Could not save the Slack channels.", { cause: readError });
  const current = new Map((existing ?? []).map((r) => [r.event_type, r.channel_id]));
  for (const [type, id] of chosen) {
    const channel = known.get(id)!;
    // clients may update the channel columns only (the key columns are not granted): update
    // an existing row, insert a new one
    const { error } = current.has(type)
      ? current.get(type) === id
        ? { error: null }
        : await supabase
            .from("slack_channel_routes")
            .update({ channel_id: id, channel_name: channel.name })
            .eq("organization_id", organizationId)
            .eq("event_type", type)
      : await supabase.from("slack_channel_routes").insert({
          organization_id: organizationId,
          event_type: type,
          channel_id: id,
          channel_name: channel.name,
        });
    if (error)
      throw new AppError("internal", "Could not save the Slack channels.", { cause: error });
  }
  const notMember = new Map<string, SlackChannel>();
  for (const [, id] of chosen) {
    const c = known.get(id)!;
    if (!c.isMember) notMember.set(c.id, c);
  }
  return [...notMember.values()];
}
