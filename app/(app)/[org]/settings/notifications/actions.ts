"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { markAllRead, markRead } from "@/lib/notifications/inbox";
import { savePreferences as save, savePreferencesInput } from "@/lib/notifications/preferences";

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
