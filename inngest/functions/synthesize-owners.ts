import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { ownersRequested, repositoryPushed, repositorySelected } from "../events";

const ownersLog = log.child({ module: "inngest.synthesize-owners" });

/*
 * Synthesises a selected repository's owners from its last 365 days of commits and stores them
 * per repository (public.repository_owners, lib/fixes/owners/synthesize.ts): when it is selected
 * (at the default branch's head), when its default branch moves (at the pushed commit) and when
 * a person asks on the Codebase page (at the head). A burst of pushes is debounced into one run
 * at the latest commit; a person's request is not (they watch its progress). One run per
 * repository at a time across both functions; a re-run reads only the commits since the last
 * synthesised one; a run at the commit already done does nothing. The step returns counts only.
 */

/** One synthesis per repository at a time, across both functions (one key, environment scope). */
const perRepository = {
  limit: 1,
  key: '"owners-" + event.data.repositoryId',
  scope: "env" as const,
};

interface SynthesisEventData {
  organizationId: string;
  repositoryId: string;
  after?: string;
}

type StepRunner = { run: <T>(id: string, fn: () => Promise<T>) => Promise<unknown> };

async function runSynthesis(step: StepRunner, data: SynthesisEventData) {
  const { organizationId, repositoryId, after: pushed } = data;
  const outcome = (await step.run("synthesize", async () => {
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
    return job.synthesizeRepositoryOwners(admin, octokitFor, organizationId, repositoryId, pushed);
  })) as Record<string, unknown>;
  ownersLog.info({ organizationId, repositoryId, ...outcome }, "owners synthesised");
  return outcome;
}

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineSynthesizeOwners(client: Inngest, { debouncePeriod = "1m" } = {}) {
  return client.createFunction(
    {
      id: "synthesize-owners",
      triggers: [repositorySelected, repositoryPushed],
      debounce: { key: "event.data.repositoryId", period: debouncePeriod as "1m", timeout: "10m" },
      concurrency: [perRepository, { limit: 1, key: "event.data.organizationId" }],
      retries: 3,
    },
    async ({ event, step }) => runSynthesis(step, event.data),
  );
}

/** The on-request function (Codebase page, `repository/owners.requested`) on a given client. */
export function defineSynthesizeOwnersNow(client: Inngest) {
  return client.createFunction(
    {
      id: "synthesize-owners-now",
      triggers: [ownersRequested],
      concurrency: [perRepository, { limit: 1, key: "event.data.organizationId" }],
      retries: 3,
    },
    async ({ event, step }) => runSynthesis(step, event.data),
  );
}

export const synthesizeOwnersFunction = defineSynthesizeOwners(inngest);
export const synthesizeOwnersNowFunction = defineSynthesizeOwnersNow(inngest);
