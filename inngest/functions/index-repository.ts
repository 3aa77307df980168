import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { repositoryPushed, repositorySelected } from "../events";

const indexLog = log.child({ module: "inngest.index-repository" });

/**
 * Builds or updates a selected repository's code index (public.code_indexes) through the GitHub
 * API with the installation's token: in full when the repository is selected, only the changed
 * files on a push to its default branch. One run per repository at a time (concurrency key), so
 * a push arriving during the first index waits for it and then updates it. The step returns
 * counts only; the index itself goes straight to the database.
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
      return outcome;
    },
  );
}
