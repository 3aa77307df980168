import { type Inngest, NonRetriableError } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { ticketReceived, webhookDeliveryReceived } from "../events";

const ingestLog = log.child({ module: "inngest.ingest-support-ticket" });

/**
 * The first consumer of support deliveries: for a Zendesk ticket event or an Intercom
 * conversation event, fetch the ticket's current thread from the provider with the integration's
 * access token, normalize it (internal notes dropped), upsert `tickets` and `ticket_messages`, and
 * emit `ticket/received`. Fetch and store are one step so the ticket's text never enters the
 * step's stored output (only ids and a fingerprint do). The emitted event's id is
 * `ticket-received:<ticketId>:<fingerprint>`: a retried or duplicated delivery of the same thread
 * is processed once; a new comment changes the fingerprint and processes the ticket again.
 */
export const ingestSupportTicket = defineIngestSupportTicket(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineIngestSupportTicket(client: Inngest) {
  return client.createFunction(
    {
      id: "ingest-support-ticket",
      // Filtered where the event is routed, not in the handler: a GitHub or Razorpay delivery
      // starts no run at all (each run is an executor row and an HTTP call into the app). The
      // handler keeps its own check for a run started some other way.
      triggers: [
        {
          event: webhookDeliveryReceived,
          if: "event.data.provider == 'zendesk' || event.data.provider == 'intercom'",
        },
      ],
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "zendesk" && data.provider !== "intercom") {
        return { ignored: "not a support provider" };
      }
      const { ticketIdOf } = await import("@/lib/pipeline/jobs/provider-tickets");
      const externalId = ticketIdOf(data);
      if (!externalId || !data.integrationId) return { ignored: "not about a ticket" };
      const integrationId = data.integrationId;
      const { organizationId } = data;

      const stored = await step.run("fetch-and-store-ticket", async () => {
        const [{ createAdminClient }, { getAccessToken }, { serverEnv }, jobs, store] =
          await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/integrations/access-token"),
            import("@/lib/env"),
            import("@/lib/pipeline/jobs/provider-tickets"),
            import("@/lib/pipeline/jobs/ticket-store"),
          ]);
        const admin = await createAdminClient({
          reason: "store a support ticket from a webhook delivery",
          organizationId,
        });
        const { data: integration, error } = await admin
          .from("integrations")
          .select("id, provider, status, external_account_id")
          .eq("organization_id", organizationId)
          .eq("id", integrationId)
          .maybeSingle();
        if (error) throw new Error(`read integration: ${error.message}`);
        if (!integration || integration.status === "disconnected") {
          return { skipped: "integration disconnected" as const };
        }
        const token = await getAccessToken({ id: integrationId, organizationId });
        const env = serverEnv();
        try {
          const ticket =
            data.provider === "zendesk"
              ? await jobs.fetchZendeskTicket(
                  env.ZENDESK_BASE_URL,
                  integration.external_account_id,
                  token,
                  externalId,
                )
              : await jobs.fetchIntercomConversation(env.INTERCOM_API_BASE, token, externalId);
          return {
            ...(await store.upsertTicket(admin, organizationId, integrationId, ticket)),
            messages: ticket.messages.length,
          };
        } catch (err) {
          if (err instanceof jobs.ProviderFetchError && err.permanent) {
            throw new NonRetriableError(err.message);
          }
          throw err;
        }
      });
      if ("skipped" in stored) return stored;

      await step.sendEvent(
        "emit-ticket-received",
        ticketReceived.create(
          { organizationId, ticketId: stored.ticketId, cause: "delivery" },
          { id: `ticket-received:${stored.ticketId}:${stored.fingerprint}` },
        ),
      );
      ingestLog.info(
        {
          organizationId,
          ticketId: stored.ticketId,
          provider: data.provider,
          messages: stored.messages,
        },
        "ticket stored",
      );
      return { ticketId: stored.ticketId, messages: stored.messages };
    },
  );
}
