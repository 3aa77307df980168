import "server-only";
import { inngest } from "@/inngest/client";
import { bugEdited } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import { createAdminClient } from "@/lib/supabase/admin";

/**
 * A person's retry of a re-map that failed for good (the bug page's "Retry re-mapping"; the
 * caller checked membership and bugs.write). The failure is cleared (members never write those
 * columns: the service role does, for this bug of this workspace) and `bug/edited` is sent again
 * for the same edit with an id naming the failure, so a double click retries once and a later
 * failure can be retried again.
 */
export async function retryFailedRemap(
  organizationId: string,
  bug: { id: string; editedAt: string; failedEditAt: string },
): Promise<void> {
  const admin = await createAdminClient({ reason: "retry a failed bug re-map", organizationId });
  const { error } = await admin
    .from("bugs")
    .update({ remap_failed_edit_at: null, remap_error: null })
    .eq("organization_id", organizationId)
    .eq("id", bug.id)
    .eq("remap_failed_edit_at", bug.failedEditAt);
  if (error) throw new AppError("internal", "The bug could not be updated.", { cause: error });
  try {
    await inngest.send(
      bugEdited.create(
        { organizationId, bugId: bug.id, editedAt: bug.editedAt },
        { id: `bug-edited:${bug.id}:${bug.editedAt}:retry:${Date.parse(bug.failedEditAt)}` },
      ),
    );
  } catch (cause) {
    throw new AppError("unavailable", "Re-mapping could not start. Try again in a minute.", {
      cause,
    });
  }
}
