import type { Inngest } from "inngest";
import {
  PR_ACTIVITY_EVENT_TYPES,
  pullRequestDelivery,
} from "@/lib/fixes/pull-requests/from-delivery";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { bugPullRequestChanged, webhookDeliveryReceived } from "../events";

const activityLog = log.child({ module: "inngest.github-pr-activity" });

// only these deliveries start a run (the executor's CEL has no functions: one == per type)
const TRIGGER_IF = `event.data.provider == 'github' && (${PR_ACTIVITY_EVENT_TYPES.map(
  (t) => `event.data.eventType == '${t}'`,
).join(" || ")})`;

/**
 * The consumer of GitHub's CI and review deliveries (`check_run`, `check_suite`, `status`,
 * `pull_request`, `pull_request_review`, `issue_comment`): updates the `pull_requests` rows of
 * the linked PRs they are about (checks by name, review state by reviewer, open/closed/merged),
 * by GitHub's own clock, so a redelivery changes nothing and a late older delivery never undoes
 * a newer state. A delivery about a PR no bug links is ignored, and the run's output says so.
 */
export const githubPrActivity = defineGithubPrActivity(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineGithubPrActivity(client: Inngest) {
  return client.createFunction(
    {
      id: "github-pr-activity",
      triggers: [{ event: webhookDeliveryReceived, if: TRIGGER_IF }],
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "github") return { ignored: "not github" };
      const { organizationId, integrationId, eventType, deliveryId } = data;
      const delivery = pullRequestDelivery(eventType, data.payload);
      if (!delivery || !integrationId) return { ignored: "not pull request activity", deliveryId };

      const result = await step.run("record-activity", async () => {
        const [{ createAdminClient }, { recordPullRequestActivity }] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/fixes/pull-requests/record-activity"),
        ]);
        const admin = await createAdminClient({
          reason: "record CI and review state of a linked pull request",
          organizationId,
        });
        return recordPullRequestActivity(admin, organizationId, integrationId, delivery);
      });
      // a new bug's Slack message shows its PR's CI and review: edited in place (notify-slack.ts)
      if (result.outcome === "recorded" && result.changedBugIds.length) {
        await step.sendEvent(
          "pull-request-changed",
          result.changedBugIds.map((bugId) =>
            bugPullRequestChanged.create(
              { organizationId, bugId, deliveryId },
              { id: `bug-pr-changed:${bugId}:${deliveryId}` },
            ),
          ),
        );
      }
      // ids and counts only: no comment or review text in logs
      activityLog.info(
        { organizationId, deliveryId, eventType, ...result },
        result.outcome === "no_linked_pull_request"
          ? "pull request activity ignored: no bug links this pull request"
          : "pull request activity recorded",
      );
      return result.outcome === "no_linked_pull_request"
        ? { ignored: "no linked pull request", eventType, deliveryId }
        : { ...result, eventType, deliveryId };
    },
  );
}
