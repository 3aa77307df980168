"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/auth/guards";
import { orgRoutes } from "@/lib/auth/routes";
import { emitBugStatusChanged } from "@/lib/notifications/emit";
import { resolveReviewItem as resolve } from "@/lib/pipeline-data/mutations";
import { resolveReviewInput } from "@/lib/pipeline-data/schemas";

/**
 * Accepts (the bug becomes a Mapped Bug, metered once by the database) or dismisses a review
 * item (members; viewers are refused here and by RLS).
 */
export const resolveReviewItem = orgAction(
  { permission: "bugs.write", schema: resolveReviewInput },
  async ({ org, input, supabase }) => {
    const { bugId, status } = await resolve(supabase, org.id, input);
    if (bugId && status) {
      const changedAt = new Date().toISOString();
      await emitBugStatusChanged({
        organizationId: org.id,
        bugId,
        from: "review",
        to: status,
        changedAt,
      });
    }
    const routes = orgRoutes(org.slug);
    revalidatePath(routes.review);
    revalidatePath(routes.bugs);
    if (bugId) revalidatePath(routes.bug(bugId));
    return {
      status: "success" as const,
      data: undefined,
      message: input.decision === "accepted" ? "Accepted: it is now a Mapped Bug." : "Dismissed.",
    };
  },
);
