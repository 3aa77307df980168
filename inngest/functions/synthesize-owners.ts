import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { repositoryPushed, repositorySelected } from "../events";

const ownersLog = log.child({ module: "inngest.synthesize-owners" });

/**
 * Synthesises a selected repository's owners from its last 365 days of commits and stores them
 * per repository (public.repository_owners, lib/fixes/owners/synthesize.ts): when it is selected
 * (at the default branch's head) and when its default branch moves (at the pushed commit). A
 * burst of pushes is debounced into one run at the latest commit, since each run re-reads a year
 * of history; one run per repository at a time; a run at the commit already done does nothing.
 * The step returns counts only.
 */
export const synthesizeOwnersFunction = defineSynthesizeOwners(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineSynthesizeOwners(client: Inngest, { debouncePeriod = "1m" } = {}) {
  return client.createFunction(
    {
      id: "synthesize-owners",
      triggers: [repositorySelected, repositoryPushed],
      debounce: { key: "event.data.repositoryId", period: debouncePeriod as "1m", timeout: "10m" },
      concurrency: [
        { limit: 1, key: "event.data.repositoryId" },
        { limit: 1, key: "event.data.organizationId" },
      ],
      retries: 3,
    },
    async ({ event, step }) => {
      const { organizationId, repositoryId } = event.data;
      const pushed = "after" in event.data ? event.data.after : undefined;
      const outcome = await step.run("synthesize", async () => {
        const [{ createAdminClient }, { getAccessToken }, { serverEnv }, github, job] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/integrations/access-token"),
            import("@/lib/env"),
            import("@/lib/integrations/github/app"),
            import("@/lib/fixes/owners/synthesize"),
          ]);
        const admin = await createAdminClient({
          reason: "synthesize a repository's code owners from its history",
          organizationId,
        });
        const octokitFor = async (integrationId: string) =>
          github.installationOctokit(
            serverEnv().GITHUB_API_BASE,
            await getAccessToken({ id: integrationId, organizationId }),
          );
        return job.synthesizeRepositoryOwners(
          admin,
          octokitFor,
          organizationId,
          repositoryId,
          pushed,
        );
      });
      ownersLog.info({ organizationId, repositoryId, ...outcome }, "owners synthesised");
      return outcome;
    },
  );
}
