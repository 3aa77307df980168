import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { bugEdited } from "../events";

const remapLog = log.child({ module: "inngest.remap-bug" });

/**
 * `bug/edited` → the edited fields mapped through the same engine as a new ticket, over the
 * workspace's ready indexes → the bug's locations replaced in one transaction
 * (lib/pipeline/jobs/remap-bug.ts). Status and billed_at are never changed: re-mapping never
 * meters again. One run per bug at a time, so two quick edits re-map in order, and the run of an
 * older edit that finishes after a newer one changes nothing (the database compares edited_at).
 * When every retry failed, the failure handler records it on the bug for the page.
 */
export const remapBugFunction = defineRemapBug(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineRemapBug(client: Inngest) {
  return client.createFunction(
    {
      id: "remap-bug",
      triggers: [bugEdited],
      concurrency: [
        { limit: 1, key: "event.data.bugId" },
        { limit: 5, key: "event.data.organizationId" },
      ],
      retries: 4,
      // retries exhausted: the bug says so (and offers a retry) instead of "Re-mapping…" forever
      onFailure: async ({ event, error }) => {
        const { organizationId, bugId, editedAt } = event.data.event.data;
        const [{ createAdminClient }, remap] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/pipeline/jobs/remap-bug"),
        ]);
        const admin = await createAdminClient({
          reason: "record a failed re-map on the bug",
          organizationId,
        });
        await remap.recordRemapFailure(admin, organizationId, bugId, editedAt, error);
        remapLog.warn(
          { organizationId, bugId, errorName: error.name },
          "bug re-map failed after every retry",
        );
      },
    },
    async ({ event, step }) => {
      const { organizationId, bugId } = event.data;
      const outcome = await step.run("remap-and-replace", async () => {
        const [{ createAdminClient }, { searchIndexFor }, indexes, persist, remap, vocabulary] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/pipeline/jobs/search-cache"),
            import("@/lib/pipeline/jobs/code-index-store"),
            import("@/lib/pipeline/jobs/persist-decision"),
            import("@/lib/pipeline/jobs/remap-bug"),
            import("@/lib/pipeline/jobs/vocabulary/bridge-cache"),
          ]);
        const admin = await createAdminClient({
          reason: "re-map an edited bug",
          organizationId,
        });
        return remap.remapBug(admin, organizationId, bugId, {
          loadReadyIndexes: indexes.loadReadyIndexes,
          loadGates: persist.loadGates,
          searchIndexFor,
          loadBridge: vocabulary.workspaceBridge,
        });
      });
      remapLog.info({ organizationId, bugId, outcome: outcome.kind }, "bug re-mapped");
      return outcome;
    },
  );
}
