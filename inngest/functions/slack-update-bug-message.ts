import { type Inngest, RetryAfterError } from "inngest";
import { inngest } from "../client";
import { bugPullRequestChanged } from "../events";

/**
 * A new bug's Slack message follows its fix: when `github-pr-activity` records a change to the
 * bug's pull request (CI started, passed or failed, a review, merged), the message posted for the
 * bug is edited in place (`chat.update` on the ts the ledger keeps) instead of a new post. One run
 * per bug at a time, so two deliveries never race their edits; an edit saying the same thing is
 * skipped, so a redelivery changes nothing.
 */
export const slackUpdateBugMessage = defineSlackUpdateBugMessage(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineSlackUpdateBugMessage(client: Inngest) {
  return client.createFunction(
    {
      id: "slack-update-bug-message",
      triggers: [bugPullRequestChanged],
      concurrency: { limit: 1, key: "event.data.bugId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const { organizationId, bugId } = event.data;
      return step.run("update", async () => {
        const [{ createAdminClient }, send, connection, slack, deliver] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/notifications/slack/send"),
          import("@/lib/integrations/slack/connection"),
          import("@/lib/integrations/slack/client"),
          import("@/lib/notifications/deliver"),
        ]);
        const db = await createAdminClient({
          reason: "update a bug's Slack message",
          organizationId,
        });
        const bot = await connection.loadSlackBot(db, organizationId);
        if (bot?.status !== "connected") return { updated: 0, unchanged: 0, failed: 0 };
        const workspace = await deliver.loadWorkspace(db, organizationId);
        try {
          return await send.updateBugMessages(
            db,
            slack.slackClient(bot.token),
            organizationId,
            bugId,
            workspace.slug,
          );
        } catch (error) {
          if (error instanceof send.SlackRetryableError && error.failure.kind === "rate_limited") {
            throw new RetryAfterError("Slack rate limit", error.failure.retryAfterSeconds * 1000);
          }
          throw error;
        }
      });
    },
  );
}
