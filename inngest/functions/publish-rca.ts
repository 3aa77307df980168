import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import { rcaPublished, rcaPublishRequested } from "../events";

const publishLog = log.child({ module: "inngest.publish-rca" });

/**
 * Publishes a bug's customer RCA to every linked ticket in the ticket's language, once the fix
 * runs in production (lib/fixes/rca-jobs/publish.ts). First makes sure the RCA exists (drafted
 * offline if the bug qualifies; an untouched draft gains the deploy time) and is un-parked when
 * the fix is back in production; then plans, then posts each ticket in its own step: the
 * `(ticket, version hash)` row is claimed before the post, so a retried step, a duplicate event
 * or a second deploy never posts the same version twice. One run per bug at a time.
 */
export const publishRca = definePublishRca(inngest);

export function definePublishRca(client: Inngest) {
  return client.createFunction(
    {
      id: "publish-rca",
      triggers: [{ event: rcaPublishRequested }],
      concurrency: { limit: 1, key: "event.data.bugId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const { organizationId, bugId, cause } = event.data;
      const admin = async (reason: string) =>
        (await import("@/lib/supabase/admin")).createAdminClient({ reason, organizationId });

      const prepared = await step.run("prepare-rca", async () => {
        const [
          { ensureRcaDraft },
          { unparkRca },
          { bugDeployVerdict },
          { workspaceLlmClientOrOffline },
        ] = await Promise.all([
          import("@/lib/fixes/rca-jobs/ensure-draft"),
          import("@/lib/fixes/rca-jobs/park"),
          import("@/lib/fixes/deploys/record-deployment"),
          import("@/lib/pipeline/llm/workspace-client-or-offline"),
        ]);
        const db = await admin("draft or un-park an RCA before publishing");
        const deploy = await bugDeployVerdict(db, organizationId, bugId);
        const unparked =
          deploy.verdict === "shipped" ? await unparkRca(db, organizationId, bugId) : null;
        // the model is asked only when no draft exists yet (draft-rca usually made one at merge)
        const draft = await ensureRcaDraft(db, organizationId, bugId, {
          llm: await workspaceLlmClientOrOffline(db, organizationId, "drafting the RCA offline"),
        });
        return { draft: draft.kind, unparked };
      });

      const plan = await step.run("plan", async () => {
        const { planRcaPublishing } = await import("@/lib/fixes/rca-jobs/publish");
        return planRcaPublishing(
          await admin("plan an RCA publication"),
          organizationId,
          bugId,
          cause,
        );
      });
      if (plan.kind === "blocked") {
        publishLog.info(
          { organizationId, bugId, cause, blocked: plan.reason },
          "RCA not published",
        );
        return { ...prepared, blocked: plan.reason };
      }

      const outcomes: Record<string, string> = {};
      for (const ticket of plan.tickets) {
        const result = await step.run(
          `post-${ticket.ticketId}-${plan.versionHash.slice(0, 12)}`,
          async () => {
            const [{ publishToTicket }, { getAccessToken }, { serverEnv }] = await Promise.all([
              import("@/lib/fixes/rca-jobs/publish"),
              import("@/lib/integrations/access-token"),
              import("@/lib/env"),
            ]);
            const env = serverEnv();
            return publishToTicket(
              await admin("post an RCA to a linked ticket"),
              organizationId,
              {
                rcaId: plan.rcaId,
                bugId,
                version: plan.version,
                versionHash: plan.versionHash,
                ticketId: ticket.ticketId,
                language: ticket.language,
                isUpdate: ticket.isUpdate,
              },
              {
                bases: {
                  zendeskBaseUrl: env.ZENDESK_BASE_URL,
                  intercomApiBase: env.INTERCOM_API_BASE,
                },
                tokenFor: (id) => getAccessToken({ id, organizationId }),
              },
            );
          },
        );
        outcomes[ticket.ticketId] = result.outcome;
      }

      const published = await step.run("mark-published", async () => {
        const { markPublished } = await import("@/lib/fixes/rca-jobs/publish");
        // published once no linked ticket is left without this version
        if (Object.values(outcomes).some((o) => o === "failed" || o === "version_changed")) {
          return false;
        }
        return markPublished(
          await admin("mark an RCA published"),
          organizationId,
          plan.rcaId,
          plan.version,
        );
      });
      if (published) {
        // The workspace hears it once per published version (notifications: rca_published).
        await step.sendEvent(
          "emit-rca-published",
          rcaPublished.create(
            { organizationId, rcaId: plan.rcaId, bugId },
            { id: `rca-published:${plan.rcaId}:${plan.version}` },
          ),
        );
      }
      const sent = Object.values(outcomes).filter((o) => o === "sent").length;
      publishLog.info(
        { organizationId, bugId, cause, sent, alreadyPosted: plan.alreadyPosted, published },
        "RCA publication done",
      );
      return { ...prepared, sent, alreadyPosted: plan.alreadyPosted, published };
    },
  );
}
