import { type Inngest, NonRetriableError } from "inngest";
import { ZodError } from "zod";
import { inngest } from "../client";
import { NOTIFIED_EVENTS } from "./notify-in-app";

/**
 * The email channel: a domain event → one email per member with email on for it, through
 * lib/mail, with a one-click unsubscribe for the event type (none for locked events). One step
 * per recipient: a mail outage retries that recipient only, and each email is recorded in
 * `notification_deliveries` before it is sent and sent with the row's id as the idempotency key,
 * so a retry never sends twice (lib/notifications/deliver.ts).
 */
export const notifyEmail = defineNotifyEmail(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineNotifyEmail(client: Inngest) {
  return client.createFunction(
    {
      id: "notify-email",
      triggers: NOTIFIED_EVENTS,
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const organizationId = (event.data as { organizationId: string }).organizationId;
      const admin = async () => {
        const { createAdminClient } = await import("@/lib/supabase/admin");
        return createAdminClient({ reason: "send notification emails", organizationId });
      };
      const plan = await step.run("plan", async () => {
        const [occurrences, deliver] = await Promise.all([
          import("@/lib/notifications/occurrence"),
          import("@/lib/notifications/deliver"),
        ]);
        const client = await admin();
        let occurrence: Awaited<ReturnType<typeof occurrences.describeEvent>>;
        try {
          occurrence = await occurrences.describeEvent(client, event.name, event.data);
        } catch (error) {
          if (error instanceof ZodError) throw new NonRetriableError("invalid event payload");
          throw error;
        }
        if (!occurrence) return null;
        // ids only in the step's stored output: addresses are read again when sending
        const userIds = (await deliver.loadRecipients(client, occurrence))
          .filter((r) => r.emailOn)
          .map((r) => r.userId);
        return { occurrence, userIds };
      });
      if (!plan) return { sent: 0 };
      const { occurrence } = plan;
      let sent = 0;
      for (const userId of plan.userIds) {
        const outcome = await step.run(`email-${userId}`, async () => {
          const [deliver, keys] = await Promise.all([
            import("@/lib/notifications/deliver"),
            import("@/lib/notifications/unsubscribe-keys"),
          ]);
          const client = await admin();
          // read now: someone who turned the email off (or left) since the plan gets none
          const recipient = (await deliver.loadRecipients(client, occurrence)).find(
            (r) => r.userId === userId && r.emailOn,
          );
          if (!recipient) return "skipped" as const;
          const workspace = await deliver.loadWorkspace(client, organizationId);
          return deliver.sendEmailOnce(
            client,
            occurrence,
            recipient,
            workspace,
            keys.unsubscribeKeys(),
          );
        });
        if (outcome === "sent") sent += 1;
      }
      return { type: occurrence.type, sent };
    },
  );
}
