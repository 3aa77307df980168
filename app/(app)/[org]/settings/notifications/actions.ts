"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { AppError } from "@/lib/errors";
import { beginConnect, ConnectRefusedError } from "@/lib/integrations/connect-flow";
import {
  channelsForSettings,
  disconnectSlack as disconnect,
  slackAuthorizeUrl,
  slackConfig,
} from "@/lib/integrations/slack/connection";
import { markAllRead, markRead } from "@/lib/notifications/inbox";
import { savePreferences as save, savePreferencesInput } from "@/lib/notifications/preferences";
import { saveSlackChannelsInput, saveSlackRoutes } from "@/lib/notifications/slack/settings";

/** Saves the signed-in person's notification choices in this workspace (any member, own rows). */
export const saveNotificationPreferences = orgAction(
  { permission: "organization.read", schema: savePreferencesInput },
  async ({ org, role, user, input, supabase }) => {
    await save(supabase, org.id, user.id, role, input);
    revalidatePath(orgRoutes(org.slug).notifications);
    return { status: "success" as const, data: undefined, message: "Notification settings saved." };
  },
);

/** Marks one of the person's notifications read (the bell). */
export const markNotificationRead = orgAction(
  { permission: "organization.read", schema: z.object({ id: z.uuid() }) },
  async ({ org, input, supabase }) => {
    await markRead(supabase, org.id, input.id);
    revalidatePath(orgRoutes(org.slug).home, "layout");
    return { status: "success" as const, data: undefined };
  },
);

/** Marks all the person's notifications in the workspace read (the bell). */
export const markAllNotificationsRead = orgAction(
  { permission: "organization.read", schema: z.object({}) },
  async ({ org, supabase }) => {
    const count = await markAllRead(supabase, org.id);
    revalidatePath(orgRoutes(org.slug).home, "layout");
    return { status: "success" as const, data: undefined, message: `${count} marked read.` };
  },
);

const manage = "integrations.manage" as const;

/** Slack: off to Slack's install page with a signed single-use state; it returns to the callback. */
export const connectSlack = orgAction(
  { permission: manage, schema: z.object({}) },
  async ({ org, user, supabase }) => {
    slackConfig();
    let state: string;
    try {
      state = await beginConnect({ supabase, user, org, provider: "slack" });
    } catch (error) {
      if (error instanceof ConnectRefusedError) throw new AppError("unauthenticated");
      throw error;
    }
    redirect(slackAuthorizeUrl(state));
  },
);

/** Revokes the bot token at Slack and forgets the connection and its channels. */
export const disconnectSlack = orgAction(
  { permission: manage, schema: z.object({}) },
  async ({ org, user }) => {
    await disconnect({ organizationId: org.id, userId: user.id });
    revalidatePath(orgRoutes(org.slug).notifications);
    return { status: "success" as const, data: undefined, message: "Slack disconnected." };
  },
);

/** The Slack channel per event (owners and admins), checked against Slack's channel list. */
export const saveSlackChannels = orgAction(
  { permission: manage, schema: saveSlackChannelsInput },
  async ({ org, user, input, supabase }) => {
    const listed = await channelsForSettings({ organizationId: org.id, userId: user.id });
    if (!listed.ok)
      throw new AppError(
        listed.reason === "not_connected" ? "not_found" : "unavailable",
        listed.reason === "not_connected"
          ? "Slack is not connected."
          : "Slack did not answer with the channel list. Try again in a moment.",
      );
    const notMember = await saveSlackRoutes(supabase, org.id, input, listed.channels);
    revalidatePath(orgRoutes(org.slug).notifications);
    return {
      status: "success" as const,
      data: undefined,
      message: notMember.length
        ? `Slack channels saved. Invite Patchline to ${notMember.map((c) => `#${c.name}`).join(", ")} (/invite @Patchline) so it can post there.`
        : "Slack channels saved.",
    };
  },
);
