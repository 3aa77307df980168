"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { proposeFixInput, requestFixAttempt } from "@/lib/fixes/attempts/request";

/**
 * "Propose a fix" and "Retry" on the bug page (members and up): a queued attempt under RLS, then
 * the fix-attempt job. The page follows its progress.
 */
export const proposeFix = orgAction(
  { permission: "bugs.write", schema: proposeFixInput },
  async ({ org, input, supabase }) => {
    await requestFixAttempt(supabase, org.id, input.bugId);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return {
      status: "success" as const,
      data: undefined,
      message: "Fix attempt started. Progress shows here.",
    };
  },
);
