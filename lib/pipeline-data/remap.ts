import "server-only";
import { inngest } from "@/inngest/client";
import { bugEdited } from "@/inngest/events";
import { AppError } from "@/lib/errors";

/**
 * Asks the pipeline to re-map a bug a person just edited (`bug/edited` → remap-bug). The event
 * id names the edit (`bug-edited:<bugId>:<editedAt>`), so a double-submitted form re-maps once.
 * The page shows "re-mapping…" until the job records that it answered this edit.
 */
export async function requestRemap(
  organizationId: string,
  bugId: string,
  editedAt: string,
): Promise<void> {
  try {
    await inngest.send(
      bugEdited.create(
        { organizationId, bugId, editedAt },
        { id: `bug-edited:${bugId}:${editedAt}` },
      ),
    );
  } catch (error) {
    throw new AppError(
      "unavailable",
      "Your changes are saved, but re-mapping could not start. Save again to retry.",
      { cause: error },
    );
  }
}

/** True while the bug's locations answer an older version of its fields than the last edit. */
export function isRemapping(bug: { editedAt: string | null; remappedEditAt: string | null }) {
  if (!bug.editedAt) return false;
  if (!bug.remappedEditAt) return true;
  return Date.parse(bug.remappedEditAt) < Date.parse(bug.editedAt);
}
