import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { repositoryPushed, repositorySelected } from "../events";

const indexLog = log.child({ module: "inngest.index-repository" });

/**
 * Builds or updates a selected repository's code index (public.code_indexes) through the GitHub
 * API with the installation's token: in full when the repository is selected, only the changed
 * files on a push to its default branch. One run per repository at a time (concurrency key), so
 * a push arriving during the first index waits for it and then updates it. A second step learns
 * the repository's own vocabulary from its commits (docs/code-map.md "Each workspace's
 * vocabulary"). The steps return counts only; the index and the table go straight to the database.
 */
export const indexRepositoryFunction = defineIndexRepository(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineIndexRepository(client: Inngest) {
  return client.createFunction(
    {
      id: "index-repository",
      triggers: [repositorySelected, repositoryPushed],
      concurrency: [
        { limit: 1, key: "event.data.repositoryId" },
        { limit: 2, key: "event.data.organizationId" },
      ],
      retries: 3,
    },
    async ({ event, step }) => {
      const { organizationId, repositoryId } = event.data;
      const pushed = "after" in event.data ? event.data.after : undefined;
      const outcome = await step.run("index-commit", async () => {
        const [{ createAdminClient }, { getAccessToken }, { serverEnv }, github, jobs] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/integrations/access-token"),
            import("@/lib/env"),
            import("@/lib/integrations/github/app"),
            import("@/lib/pipeline/jobs/index-repository"),
          ]);
        const admin = await createAdminClient({
          reason: "index a selected repository",
          organizationId,
        });
        const octokitFor = async (integrationId: string) =>
          github.installationOctokit(
            serverEnv().GITHUB_API_BASE,
            await getAccessToken({ id: integrationId, organizationId }),
          );
        return jobs.indexRepository(admin, octokitFor, organizationId, repositoryId, pushed);
      });
      indexLog.info({ organizationId, repositoryId, ...outcome }, "repository indexed");
      // the workspace's own vocabulary from the commits since the last run (a step of its own:
      // a GitHub hiccup here retries the history read, not the index); a run that found the
      // index unchanged still learns when the last learning failed
      if (outcome.status === "not-selected") return outcome;
      const vocabulary = await step.run("learn-vocabulary", async () => {
        const [{ createAdminClient }, { getAccessToken }, { serverEnv }, github, learn] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/integrations/access-token"),
            import("@/lib/env"),
            import("@/lib/integrations/github/app"),
            import("@/lib/pipeline/jobs/vocabulary/learn-workspace"),
          ]);
        const admin = await createAdminClient({
          reason: "learn a repository's vocabulary from its history",
          organizationId,
        });
        const octokitFor = async (integrationId: string) =>
          github.installationOctokit(
            serverEnv().GITHUB_API_BASE,
            await getAccessToken({ id: integrationId, organizationId }),
          );
        return learn.learnRepositoryVocabulary(
          admin,
          octokitFor,
          organizationId,
          repositoryId,
          outcome.mode === "full" ? "full" : "incremental",
        );
      });
      indexLog.info({ organizationId, repositoryId, ...vocabulary }, "vocabulary learned");
      return { ...outcome, vocabulary };
    },
  );
}
