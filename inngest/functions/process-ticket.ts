import type { Inngest } from "inngest";
import { log } from "@/lib/log";
import { inngest } from "../client";
import {
  bugCreated,
  bugMapped,
  pipelineTicketFailed,
  rcaDraftRequested,
  ticketReceived,
} from "../events";

const processLog = log.child({ module: "inngest.process-ticket" });

/**
 * `ticket/received` → noise filter → (set aside with a reason | extraction → mapping against the
 * workspace's ready code indexes → the workspace's gates) → persist: a Mapped Bug (metered once,
 * by the database), or a bug in review with one item per gate it fell below, or the ticket
 * joined to an open bug with the same top location and a similar title. With the workspace's
 * LLM provider (off by default, docs/llm.md) the model fills extraction gaps and reorders the
 * engine's candidates; its answers are not deterministic, which is one more reason the decision
 * and the writes share one step (Inngest memoizes its result once it succeeds). One step: every
 * write is idempotent (lib/pipeline/jobs/persist-decision.ts), so a retry or a
 * second event for the same ticket converges on the same rows, and no ticket text enters the
 * step's stored output. One run per ticket at a time (concurrency key), so two events for the
 * same ticket never race.
 */
export const processTicket = defineProcessTicket(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineProcessTicket(client: Inngest) {
  return client.createFunction(
    {
      id: "process-ticket",
      triggers: [ticketReceived],
      // one ticket of a workspace at a time: duplicate detection reads the workspace's bugs and
      // then writes, so two reports of one bug decided side by side each found no bug and made two
      // (tests/integration/pipeline/executor-killed.test.ts sends them together)
      concurrency: [
        { limit: 1, key: "event.data.ticketId" },
        { limit: 1, key: "event.data.organizationId" },
      ],
      retries: 4,
      // out of retries: the workspace's owners and admins are told (notify-*, admin-only)
      onFailure: async ({ event, runId, step }) => {
        const { organizationId, ticketId } = ticketReceived.schema.parse(event.data.event.data);
        await step.sendEvent(
          "emit-pipeline-failed",
          pipelineTicketFailed.create(
            { organizationId, ticketId },
            { id: `pipeline-ticket-failed:${ticketId}:${runId}` },
          ),
        );
      },
    },
    async ({ event, step }) => {
      const { organizationId, ticketId } = event.data;
      const outcome = await step.run("decide-and-persist", async () => {
        const [
          { createAdminClient },
          { searchIndexFor },
          decide,
          indexes,
          persist,
          store,
          llm,
          vocabulary,
        ] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/pipeline/jobs/search-cache"),
          import("@/lib/pipeline/jobs/decide"),
          import("@/lib/pipeline/jobs/code-index-store"),
          import("@/lib/pipeline/jobs/persist-decision"),
          import("@/lib/pipeline/jobs/ticket-store"),
          import("@/lib/pipeline/jobs/llm-stage"),
          import("@/lib/pipeline/jobs/vocabulary/bridge-cache"),
        ]);
        const admin = await createAdminClient({
          reason: "process a ticket into a bug",
          organizationId,
        });
        const loaded = await store.loadTicket(admin, organizationId, ticketId);
        if (!loaded) return { kind: "missing" as const };
        const [gates, repositories, stage] = await Promise.all([
          persist.loadGates(admin, organizationId),
          indexes.loadReadyIndexes(admin, organizationId),
          llm.loadLlmStage(admin, organizationId),
        ]);
        const search = searchIndexFor(repositories);
        // the workspace's own vocabulary (learned at indexing) beside the shipped one
        const bridge = await vocabulary.workspaceBridge(admin, organizationId, repositories);
        const decision = await decide.decideTicket(loaded.ticket, search, gates, stage, bridge);
        return persist.persistDecision(admin, organizationId, ticketId, decision, repositories);
      });
      processLog.info({ organizationId, ticketId, outcome: outcome.kind }, "ticket processed");
      // a new bug (not a duplicate joined to one) is told to the workspace (notify-*)
      if (outcome.kind === "bug" && !outcome.duplicateOf) {
        await step.sendEvent(
          "emit-bug-created",
          bugCreated.create(
            { organizationId, bugId: outcome.bugId },
            { id: `bug-created:${outcome.bugId}` },
          ),
        );
      }
      if (outcome.kind === "bug" && outcome.status === "mapped" && !outcome.duplicateOf)
        await step.sendEvent(
          "bug-mapped",
          bugMapped.create(
            { organizationId, bugId: outcome.bugId },
            { id: `bug-mapped:${outcome.bugId}` },
          ),
        ); // fix-attempt decides on auto-fix
      // the second way a bug earns a customer RCA: its cluster of linked tickets reaches the
      // workspace's minimum. Asked once, by the ticket at that place (draft-rca decides whether
      // the bug qualifies yet: its fix must be merged)
      if (outcome.kind === "bug") {
        const cluster = await step.run("rca-cluster", async () => {
          const [{ createAdminClient }, { clusterReachedBy }] = await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/fixes/rca-jobs/cluster"),
          ]);
          const admin = await createAdminClient({
            reason: "see whether a ticket made its bug's cluster reach the RCA minimum",
            organizationId,
          });
          return clusterReachedBy(admin, organizationId, outcome.bugId, ticketId);
        });
        if (cluster.reached) {
          const { clusterDraftEventId } = await import("@/lib/fixes/rca-jobs/cluster");
          await step.sendEvent(
            "rca-draft-cluster",
            rcaDraftRequested.create(
              { organizationId, bugId: outcome.bugId },
              { id: clusterDraftEventId(outcome.bugId, cluster.minimum) },
            ),
          );
        }
      }
      return outcome;
    },
  );
}
