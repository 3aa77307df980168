import { type Inngest, NonRetriableError, RetryAfterError } from "inngest";
import { ZodError } from "zod";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { NOTIFIED_EVENTS } from "./notify-in-app";

const slackLog = log.child({ module: "inngest.notify-slack" });

/**
 * The Slack channel: a domain event → one message in the Slack channel the workspace's owners
 * and admins chose for that event (Settings → Notifications), through the workspace's bot.
 * Idempotent per (workspace, occurrence, channel) through the `slack_messages` ledger
 * (lib/notifications/slack/send.ts): an outage or a 429 retries the step (after Retry-After),
 * and a retry after a post whose answer was lost finds that post instead of posting again.
 * Refusals are not retried: `not_in_channel` is recorded on the route (the page says "invite
 * the bot"), a revoked token marks the connection for reconnecting.
 */
export const notifySlack = defineNotifySlack(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineNotifySlack(client: Inngest) {
  return client.createFunction(
    {
      id: "notify-slack",
      triggers: NOTIFIED_EVENTS,
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const organizationId = (event.data as { organizationId: string }).organizationId;
      const admin = async () => {
        const { createAdminClient } = await import("@/lib/supabase/admin");
        return createAdminClient({ reason: "send Slack notifications", organizationId });
      };
      const plan = await step.run("plan", async () => {
        const [occurrences, send, connection] = await Promise.all([
          import("@/lib/notifications/occurrence"),
          import("@/lib/notifications/slack/send"),
          import("@/lib/integrations/slack/connection"),
        ]);
        const db = await admin();
        let occurrence: Awaited<ReturnType<typeof occurrences.describeEvent>>;
        try {
          occurrence = await occurrences.describeEvent(db, event.name, event.data);
        } catch (error) {
          if (error instanceof ZodError) throw new NonRetriableError("invalid event payload");
          throw error;
        }
        if (!occurrence) return null;
        const route = await send.loadRoute(db, organizationId, occurrence.type);
        if (!route) return null;
        const bot = await connection.loadSlackBot(db, organizationId);
        if (bot?.status !== "connected") return null;
        return { occurrence, route };
      });
      if (!plan) return { posted: false, reason: "no Slack channel for this event" };

      const outcome = await step.run("post", async () => {
        const [send, connection, client, deliver] = await Promise.all([
          import("@/lib/notifications/slack/send"),
          import("@/lib/integrations/slack/connection"),
          import("@/lib/integrations/slack/client"),
          import("@/lib/notifications/deliver"),
        ]);
        const db = await admin();
        // read again: a disconnect since the plan means nothing is posted
        const bot = await connection.loadSlackBot(db, organizationId);
        if (bot?.status !== "connected") return { outcome: "skipped" as const };
        const workspace = await deliver.loadWorkspace(db, organizationId);
        try {
          return await send.postOnce(
            db,
            client.slackClient(bot.token),
            plan.occurrence,
            plan.route,
            workspace.slug,
            (error) => connection.markSlackAuthError(db, organizationId, error),
          );
        } catch (error) {
          if (error instanceof send.SlackRetryableError && error.failure.kind === "rate_limited") {
            throw new RetryAfterError("Slack rate limit", error.failure.retryAfterSeconds * 1000);
          }
          throw error;
        }
      });
      // ids and Slack's error code only: no message text
      slackLog.info(
        { organizationId, type: plan.occurrence.type, channel: plan.route.channelId, ...outcome },
        "Slack notification",
      );
      return { type: plan.occurrence.type, ...outcome };
    },
  );
}
