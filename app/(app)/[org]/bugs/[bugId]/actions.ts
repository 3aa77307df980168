"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { setMismapped, updateBug as update } from "@/lib/pipeline-data/mutations";
import { requestRemap } from "@/lib/pipeline-data/remap";
import {
  clearMismappedInput,
  markMismappedInput,
  updateBugInput,
} from "@/lib/pipeline-data/schemas";
import { requestVocabularyRelearn } from "@/lib/pipeline-data/vocabulary";

/**
 * Saves a person's correction of a bug (members; viewers are refused here and by RLS). The
 * database stamps edited_at/edited_by; the edit is then re-mapped in the background
 * (`bug/edited` → remap-bug), and the page says "re-mapping…" until the new locations are in.
 */
export const updateBug = orgAction(
  { permission: "bugs.write", schema: updateBugInput },
  async ({ org, input, supabase }) => {
    const { editedAt } = await update(supabase, org.id, input);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    revalidatePath(orgRoutes(org.slug).bugs);
    if (editedAt) await requestRemap(org.id, input.bugId, editedAt);
    return {
      status: "success" as const,
      data: undefined,
      message: editedAt ? "Bug saved. Re-mapping it to code…" : "Bug saved.",
    };
  },
);

/** Marks one code location as wrong, with the reason (kept for re-mapping and the eval set). */
export const markMismapped = orgAction(
  { permission: "bugs.flag_mismapped", schema: markMismappedInput },
  async ({ org, input, supabase }) => {
    await setMismapped(supabase, org.id, input);
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    // the mark is evidence against that code for the workspace's vocabulary: asked after the
    // response, so the person's save never waits on the job queue
    after(() => requestVocabularyRelearn(org.id, input.bugId));
    return { status: "success" as const, data: undefined, message: "Marked as mismapped." };
  },
);

/** Takes back a mismapped mark (the reason is cleared by the database). */
export const clearMismapped = orgAction(
  { permission: "bugs.flag_mismapped", schema: clearMismappedInput },
  async ({ org, input, supabase }) => {
    await setMismapped(supabase, org.id, { ...input, reason: null });
    revalidatePath(orgRoutes(org.slug).bug(input.bugId));
    after(() => requestVocabularyRelearn(org.id, input.bugId));
    return { status: "success" as const, data: undefined, message: "Mismapped mark removed." };
  },
);
