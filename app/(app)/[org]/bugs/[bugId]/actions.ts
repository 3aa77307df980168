"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { setMismapped, updateBug as update } from "@/lib/pipeline-data/mutations";
import {
  clearMismappedInput,
  markMismappedInput,
  updateBugInput,
} from "@/lib/pipeline-data/schemas";

/**
 * Saves a person's correction of a bug (members; viewers are refused here and by RLS). The
 * database stamps edited_at/edited_by. Re-mapping after an edit: the pipeline has no re-map event
 * yet (inngest/events.ts), so the locations stay as mapped until one exists.
 */
export const updateBug = orgAction(
  { permission: "bugs.write", schema: updateBugInput },
  async ({ org, input, supabase }) => {
    await update(supabase, org.id, input);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    revalidatePath(orgRoutes(org.slug).bugs);
    return { status: "success" as const, data: undefined, message: "Bug saved." };
  },
);

/** Marks one code location as wrong, with the reason (kept for re-mapping and the eval set). */
export const markMismapped = orgAction(
  { permission: "bugs.write", schema: markMismappedInput },
  async ({ org, input, supabase }) => {
    await setMismapped(supabase, org.id, input);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return { status: "success" as const, data: undefined, message: "Marked as mismapped." };
  },
);

/** Takes back a mismapped mark (the reason is cleared by the database). */
export const clearMismapped = orgAction(
  { permission: "bugs.write", schema: clearMismappedInput },
  async ({ org, input, supabase }) => {
    await setMismapped(supabase, org.id, { ...input, reason: null });
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    return { status: "success" as const, data: undefined, message: "Mismapped mark removed." };
  },
);
