"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { AppError } from "@/lib/errors";
import { retryFailedRemap } from "@/lib/pipeline/remap-retry";

const retryRemapInput = z.object({ bugId: z.uuid() });

/**
 * "Retry re-mapping" on a bug whose re-map failed after every retry (members with bugs.write).
 * Only the failure of the bug's latest, still un-mapped edit can be retried.
 */
export const retryRemap = orgAction(
  { permission: "bugs.write", schema: retryRemapInput },
  async ({ org, input, supabase }) => {
    const { data, error } = await supabase
      .from("bugs")
      .select("id, edited_at, remapped_edit_at, remap_failed_edit_at")
      .eq("organization_id", org.id)
      .eq("id", input.bugId)
      .maybeSingle();
    if (error) throw new AppError("internal", "The bug could not be read.", { cause: error });
    if (!data) throw new AppError("not_found", "Bug not found.");
    const failed =
      data.edited_at !== null &&
      data.remap_failed_edit_at !== null &&
      Date.parse(data.remap_failed_edit_at) === Date.parse(data.edited_at);
    if (!failed || !data.edited_at || !data.remap_failed_edit_at) {
      return { status: "success" as const, data: undefined, message: "Nothing to retry." };
    }
    await retryFailedRemap(org.id, {
      id: data.id,
      editedAt: data.edited_at,
      failedEditAt: data.remap_failed_edit_at,
    });
    revalidatePath(orgRoutes(org.slug).bug(data.id));
    return { status: "success" as const, data: undefined, message: "Re-mapping started again." };
  },
);
