"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { AppError } from "@/lib/errors";
import { startIndexing } from "@/lib/integrations/repository-indexing";

const retryIndexInput = z.object({ repositoryId: z.uuid() });

/**
 * Starts indexing a selected repository again (Codebase page: an index that never started, stalled
 * or failed). The same event Settings sends on selection, so an index already ready at the head
 * is a no-op and a stuck run is followed by this one (one run per repository at a time). Owners
 * and admins, as for the selection itself.
 */
export const retryIndex = orgAction(
  { permission: "integrations.manage", schema: retryIndexInput },
  async ({ org, input, supabase }) => {
    const { data, error } = await supabase
      .from("integration_repositories")
      .select("id")
      .eq("organization_id", org.id)
      .eq("id", input.repositoryId)
      .eq("selected", true)
      .maybeSingle();
    if (error)
      throw new AppError("internal", "The repository could not be read.", { cause: error });
    if (!data)
      throw new AppError("not_found", "That repository is not selected in this workspace.");
    try {
      await startIndexing(org.id, [data.id]);
    } catch (cause) {
      throw new AppError("unavailable", "Indexing could not start. Try again in a minute.", {
        cause,
      });
    }
    revalidatePath(orgRoutes(org.slug).codebase);
    return { status: "success" as const, data: undefined, message: "Indexing started again." };
  },
);
