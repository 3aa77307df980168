import { type Inngest, NonRetriableError } from "inngest";
import { ZodError } from "zod";
import { inngest } from "../client";
import {
  billingActionNeeded,
  bugCreated,
  bugStatusChanged,
  integrationDisconnected,
  pipelineTicketFailed,
  rcaPublished,
  usageWarningRaised,
} from "../events";

/** Every domain event a person can be told about (lib/notifications/occurrence.ts). */
export const NOTIFIED_EVENTS = [
  bugCreated,
  bugStatusChanged,
  pipelineTicketFailed,
  usageWarningRaised,
  integrationDisconnected,
  billingActionNeeded,
  rcaPublished,
];

/**
 * The in-app channel: a domain event → one `notifications` row per member with the app channel
 * on for it (public.notification_recipients: their choice, the default, locked channels,
 * admin-only events to owners and admins). One insert, unique per (workspace, recipient, event
 * key): a redelivered event or a retried step writes nothing twice.
 */
export const notifyInApp = defineNotifyInApp(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineNotifyInApp(client: Inngest) {
  return client.createFunction(
    {
      id: "notify-in-app",
      triggers: NOTIFIED_EVENTS,
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const written = await step.run("write-inbox", async () => {
        const [{ createAdminClient }, occurrences, deliver] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/notifications/occurrence"),
          import("@/lib/notifications/deliver"),
        ]);
        const organizationId = (event.data as { organizationId: string }).organizationId;
        const admin = await createAdminClient({
          reason: "write in-app notifications",
          organizationId,
        });
        let occurrence: Awaited<ReturnType<typeof occurrences.describeEvent>>;
        try {
          occurrence = await occurrences.describeEvent(admin, event.name, event.data);
        } catch (error) {
          if (error instanceof ZodError) throw new NonRetriableError("invalid event payload");
          throw error;
        }
        if (!occurrence) return { type: null, written: 0 };
        const recipients = await deliver.loadRecipients(admin, occurrence);
        return {
          type: occurrence.type,
          written: await deliver.writeInApp(admin, occurrence, recipients),
        };
      });
      return written;
    },
  );
}
