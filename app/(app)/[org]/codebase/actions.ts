"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { AppError } from "@/lib/errors";
import { openCodeownersInput, openCodeownersPullRequest } from "@/lib/fixes/owners/codeowners-pr";
import { requestOwnerSynthesis, requestOwnersInput } from "@/lib/fixes/owners/request";
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

/**
 * "Synthesise owners" (members and up, like proposing a fix): queues the owner synthesis of a
 * selected repository at its head; the page follows its progress. A second click while one is
 * queued or running starts nothing.
 */
export const synthesizeOwners = orgAction(
  { permission: "bugs.write", schema: requestOwnersInput },
  async ({ org, user, input, supabase }) => {
    const { started } = await requestOwnerSynthesis(supabase, org.id, input.repositoryId, user.id);
    revalidatePath(orgRoutes(org.slug).codebase);
    return {
      status: "success" as const,
      data: undefined,
      message: started
        ? "Owner synthesis started. Progress shows here."
        : "Owner synthesis is already running.",
    };
  },
);

/**
 * "Open a CODEOWNERS pull request" (members and up): a draft PR adding `.github/CODEOWNERS` from
 * the synthesised owners, or the one already open.
 */
export const openCodeownersPr = orgAction(
  { permission: "bugs.write", schema: openCodeownersInput },
  async ({ org, user, input, supabase }) => {
    const pr = await openCodeownersPullRequest(supabase, org.id, input.repositoryId, user.id);
    revalidatePath(orgRoutes(org.slug).codebase);
    return {
      status: "success" as const,
      data: pr,
      message: pr.existing
        ? `Draft pull request #${pr.number} is already open.`
        : `Draft pull request #${pr.number} opened.`,
    };
  },
);
