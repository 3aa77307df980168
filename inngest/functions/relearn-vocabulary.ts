import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { vocabularyCorrected, webhookDeliveryReceived } from "../events";

const vocabularyLog = log.child({ module: "inngest.relearn-vocabulary" });

/*
 * A workspace's vocabularies learned again when people's judgments change (docs/code-map.md
 * "Each workspace's vocabulary"): a location marked mismapped (`vocabulary/corrected`, sent by
 * the bug page) or a pull request merged (the `pull_request.closed` delivery; only a merged fix
 * of a Patchline bug adds a pair, which the job finds itself). Debounced per workspace, so a
 * reviewer marking five locations re-learns once; the tables are learned from the stored commit
 * pairs and the corrections as they are then, so the last run is always right.
 */
export const relearnVocabularyFunction = defineRelearnVocabulary(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineRelearnVocabulary(client: Inngest, { debouncePeriod = "30s" } = {}) {
  return client.createFunction(
    {
      id: "relearn-vocabulary",
      triggers: [
        { event: vocabularyCorrected },
        {
          event: webhookDeliveryReceived,
          // merged only, filtered before the debounce: a debounced run sees the last event of
          // its window, and a plain close must not stand in for a mark made just before it
          if: "event.data.provider == 'github' && event.data.eventType == 'pull_request.closed' && event.data.payload.pull_request.merged == true",
        },
      ],
      debounce: {
        key: "event.data.organizationId",
        period: debouncePeriod as "30s",
        timeout: "5m",
      },
      concurrency: { limit: 1, key: "event.data.organizationId" },
      retries: 3,
    },
    async ({ event, step }) => {
      const { organizationId } = event.data;
      const outcome = await step.run("relearn", async () => {
        const [{ createAdminClient }, { getAccessToken }, { serverEnv }, github, learn] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/integrations/access-token"),
            import("@/lib/env"),
            import("@/lib/integrations/github/app"),
            import("@/lib/pipeline/jobs/vocabulary/learn-workspace"),
          ]);
        const admin = await createAdminClient({
          reason: "learn a workspace's vocabularies again after a correction",
          organizationId,
        });
        const octokitFor = async (integrationId: string) =>
          github.installationOctokit(
            serverEnv().GITHUB_API_BASE,
            await getAccessToken({ id: integrationId, organizationId }),
          );
        return learn.relearnCorrections(admin, octokitFor, organizationId);
      });
      vocabularyLog.info({ organizationId, ...outcome }, "vocabularies learned again");
      return outcome;
    },
  );
}
