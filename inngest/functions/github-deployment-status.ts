import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { rcaPublishRequested, webhookDeliveryReceived } from "../events";

const deployLog = log.child({ module: "inngest.github-deployment-status" });

/**
 * The consumer of GitHub `deployment_status` deliveries (deploy detection): records the
 * deployment's state; for a `success` of the repository's production environment it checks every
 * merged pull request of that repository with the Compare API through the GitHub App
 * (lib/fixes/deploys). A fix that reaches production asks `publish-rca` to publish its RCA
 * (which drafts it first if it qualifies); a rollback parks an unpublished RCA. Redelivery recompares, changes
 * nothing and asks for nothing (the verdict did not change; the publish event id is per deploy).
 */
export const githubDeploymentStatus = defineGithubDeploymentStatus(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineGithubDeploymentStatus(client: Inngest) {
  return client.createFunction(
    {
      id: "github-deployment-status",
      triggers: [
        {
          event: webhookDeliveryReceived,
          if: "event.data.provider == 'github' && event.data.eventType == 'deployment_status.created'",
        },
      ],
      // one repository's deploys are judged one at a time, in arrival order
      concurrency: { limit: 1, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "github" || data.eventType !== "deployment_status.created") {
        return { ignored: "not a deployment status" };
      }
      const { payload, organizationId, integrationId } = data;
      const deployment = payload.deployment;
      const status = payload.deployment_status;
      if (!integrationId || !payload.repository || !deployment || !status) {
        return { ignored: "incomplete deployment status" };
      }
      const at = status.created_at ? new Date(status.created_at) : new Date(event.ts ?? Date.now());

      const judged = await step.run("record-and-judge", async () => {
        const [{ createAdminClient }, { getAccessToken }, { serverEnv }, github, deploys, compare] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/integrations/access-token"),
            import("@/lib/env"),
            import("@/lib/integrations/github/app"),
            import("@/lib/fixes/deploys/record-deployment"),
            import("@/lib/fixes/deploys/compare"),
          ]);
        const admin = await createAdminClient({
          reason: "record a deployment status and judge merged fixes",
          organizationId,
        });
        let octokit: ReturnType<typeof github.installationOctokit> | null = null;
        const result = await deploys.recordDeployment(
          admin,
          {
            organizationId,
            integrationId,
            githubRepositoryId: payload.repository!.id,
            githubDeploymentId: deployment.id,
            environment: status.environment ?? deployment.environment,
            state: status.state,
            sha: deployment.sha,
            at: Number.isNaN(at.getTime()) ? new Date() : at,
          },
          async (fullName, base, head) => {
            octokit ??= github.installationOctokit(
              serverEnv().GITHUB_API_BASE,
              await getAccessToken({ id: integrationId, organizationId }),
            );
            return compare.compareCommits(octokit, fullName, base, head);
          },
        );
        return { production: result.production, outcomes: result.outcomes };
      });

      const shipped = [
        ...new Set(judged.outcomes.filter((o) => o.rca === "publish").map((o) => o.bugId)),
      ];
      const rolledBack = [
        ...new Set(judged.outcomes.filter((o) => o.rca === "park").map((o) => o.bugId)),
      ];
      if (rolledBack.length) {
        await step.run("park-rcas", async () => {
          const [{ createAdminClient }, { parkRca }] = await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/fixes/rca-jobs/park"),
          ]);
          const admin = await createAdminClient({
            reason: "park RCAs after a rollback",
            organizationId,
          });
          for (const bugId of rolledBack)
            await parkRca(admin, organizationId, bugId, deployment.sha);
        });
      }
      if (shipped.length) {
        await step.sendEvent(
          "ask-publish",
          shipped.map((bugId) =>
            rcaPublishRequested.create(
              { organizationId, bugId, cause: "deploy" },
              { id: `rca-publish:${bugId}:${deployment.id}:${deployment.sha}` },
            ),
          ),
        );
      }
      deployLog.info(
        {
          organizationId,
          deploymentId: deployment.id,
          state: status.state,
          production: judged.production,
          judged: judged.outcomes.length,
          shipped: shipped.length,
          rolledBack: rolledBack.length,
        },
        "deployment status judged",
      );
      return { production: judged.production, shipped, rolledBack };
    },
  );
}
