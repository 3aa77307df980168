import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { repositorySelected, webhookDeliveryReceived } from "../events";

const installationLog = log.child({ module: "inngest.apply-github-installation" });

/**
 * The consumer of GitHub `installation` and `installation_repositories` deliveries (issue 13):
 * uninstall → integration disconnected with the reason shown in Settings; suspend/unsuspend →
 * status error with a reason / connected; new permissions accepted → the cached token expired;
 * repositories added (selected, first index started) or removed (rows and their indexes deleted).
 * See lib/integrations/github/installation-events.ts for why each is safe twice. One delivery
 * per integration at a time; and since GitHub may deliver them out of order, each carries the
 * installation's `updated_at` and one older than the newest applied changes nothing (a late
 * `installation_repositories` delta is replaced by what GitHub lists now). The event id
 * (`webhook-delivery:<id>`) means one run per delivery however often GitHub redelivers it.
 */
/** The deliveries this consumer applies (`<X-GitHub-Event>.<action>`). */
export const INSTALLATION_EVENT_TYPES = [
  "installation.deleted",
  "installation.suspend",
  "installation.unsuspend",
  "installation.new_permissions_accepted",
  "installation_repositories.added",
  "installation_repositories.removed",
] as const;

const INSTALLATION_EVENTS_IF = `event.data.provider == "github" && event.data.integrationId != null && (${INSTALLATION_EVENT_TYPES.map((t) => `event.data.eventType == "${t}"`).join(" || ")})`;

export const applyGithubInstallation = defineApplyGithubInstallation(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineApplyGithubInstallation(client: Inngest) {
  return client.createFunction(
    {
      id: "apply-github-installation",
      // only these deliveries start a run (the intake's other events never queue behind them)
      triggers: [{ event: webhookDeliveryReceived, if: INSTALLATION_EVENTS_IF }],
      concurrency: [{ limit: 1, key: "event.data.integrationId" }],
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "github") return { ignored: "not GitHub" };
      const [kind] = data.eventType.split(".");
      if (kind !== "installation" && kind !== "installation_repositories") {
        return { ignored: "not an installation event" };
      }
      const { organizationId, integrationId, payload } = data;
      if (!integrationId) return { ignored: "no integration" };

      const outcome = await step.run("apply", async () => {
        const [{ createAdminClient }, events] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/integrations/github/installation-events"),
        ]);
        const admin = await createAdminClient({
          reason: "apply a GitHub installation delivery",
          organizationId,
        });
        const target = { organizationId, integrationId };
        // deliveries can arrive out of order: the installation's own time orders them
        const at = events.installationUpdatedAt(payload.installation?.updated_at);
        if (kind === "installation") {
          return events.applyInstallationEvent(admin, target, payload.action, at);
        }
        // a late delta is not applied as such: what GitHub lists now is the truth
        const listVisible = async () => {
          const [{ getAccessToken }, { serverEnv }, { listInstallationRepositories }] =
            await Promise.all([
              import("@/lib/integrations/access-token"),
              import("@/lib/env"),
              import("@/lib/integrations/github/connect"),
            ]);
          const token = await getAccessToken({ id: integrationId, organizationId });
          const repos = await listInstallationRepositories(serverEnv().GITHUB_API_BASE, token);
          return repos.map((r) => ({
            id: r.githubRepositoryId,
            full_name: r.fullName,
            default_branch: r.defaultBranch,
            private: r.private,
          }));
        };
        return events.applyRepositoriesEvent(admin, target, payload, { at, listVisible });
      });
      if (outcome.kind === "repositories" && outcome.toIndex.length > 0) {
        await step.sendEvent(
          "start-first-index",
          outcome.toIndex.map((repositoryId) =>
            repositorySelected.create({ organizationId, repositoryId }),
          ),
        );
      }
      installationLog.info(
        { organizationId, integrationId, eventType: data.eventType, outcome: outcome.kind },
        "installation delivery applied",
      );
      return outcome;
    },
  );
}
