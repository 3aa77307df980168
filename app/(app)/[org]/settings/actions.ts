"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { renameOrganizationInput } from "@/lib/auth/schemas";
import { serverEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { SAVE_FIX_SETTINGS, saveFixSettingsFor } from "@/lib/fixes/save-fix-settings";
import { renameOrganization as rename } from "@/lib/organizations/organizations";
import { SAVE_GATES, saveGatesFor } from "@/lib/pipeline/gates/save-gates";
import { testLlmConnection as testConnection } from "@/lib/pipeline/llm/connection-test";
import {
  saveLlmSettingsInput,
  saveLlmSettings as saveSettings,
  workspaceLlmClient,
} from "@/lib/pipeline/llm/workspace-settings";
import { createAdminClient } from "@/lib/supabase/admin";

/** Renames the workspace (owner/admin; RLS refuses everyone else anyway). */
export const renameOrganization = orgAction(
  { permission: "organization.update", schema: renameOrganizationInput },
  async ({ org, input, supabase }) => {
    await rename(supabase, org.id, input.name);
    revalidatePath(orgRoutes(org.slug).home, "layout");
    return { status: "success" as const, data: undefined, message: "Workspace renamed." };
  },
);

/**
 * Saves the workspace's LLM provider, model and key (owner/admin). The key is sealed with the
 * keyring and written by the service role after the guard's membership check: no client role
 * may write or read that column. It is never echoed back (the guard drops fields named *key*).
 */
export const saveLlmSettings = orgAction(
  { permission: "organization.update", schema: saveLlmSettingsInput },
  async ({ org, user, input }) => {
    const admin = await createAdminClient({
      reason: "save the workspace's LLM provider and key",
      organizationId: org.id,
      actorId: user.id,
    });
    const saved = await saveSettings(admin, org.id, user.id, input);
    if (!saved.ok) {
      throw new AppError("validation", saved.message, {
        fieldErrors: { [saved.field]: [saved.message] },
      });
    }
    revalidatePath(orgRoutes(org.slug).settings);
    return {
      status: "success" as const,
      data: undefined,
      message:
        saved.view.provider === "none"
          ? "LLM turned off. Tickets are processed on Patchline only."
          : "LLM settings saved.",
    };
  },
);

/** Calls the saved provider once with the saved key (owner/admin); no ticket text is sent. */
export const testLlmConnection = orgAction(
  { permission: "organization.update", schema: z.object({}) },
  async ({ org, user }) => {
    const admin = await createAdminClient({
      reason: "test the workspace's LLM connection",
      organizationId: org.id,
      actorId: user.id,
    });
    const client = await workspaceLlmClient(admin, org.id, serverEnv(), {
      timeoutMs: 10_000,
      maxRetries: 0,
    });
    if (!client) throw new AppError("bad_request", "Choose a provider and save its key first.");
    const result = await testConnection(client);
    if (!result.ok) throw new AppError("unavailable", result.problem);
    return {
      status: "success" as const,
      data: undefined,
      message: `Connected: ${result.model} answered in ${result.latencyMs} ms.`,
    };
  },
);

/**
 * Saves the workspace's fix settings (owner/admin): the auto-fix threshold, how many review
 * rounds a drafted PR gets, whether an RCA needs approval, the cluster size that makes an RCA.
 * Written as the person (RLS and the table's checks refuse anything else;
 * lib/fixes/save-fix-settings.ts).
 */
export const saveFixSettings = orgAction(SAVE_FIX_SETTINGS, async (context) => {
  const result = await saveFixSettingsFor(context);
  revalidatePath(orgRoutes(context.org.slug).settings);
  return result;
});

/**
 * Saves the workspace's two confidence gates (owner/admin), as the person; audited by the
 * table's trigger. Only tickets processed from now on use them (lib/pipeline/gates/save-gates.ts).
 */
export const saveGateSettings = orgAction(SAVE_GATES, async (context) => {
  const result = await saveGatesFor(context);
  revalidatePath(orgRoutes(context.org.slug).settings);
  return result;
});
