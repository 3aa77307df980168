import type { Inngest } from "inngest";
import { inngest } from "../client";
import { rcaDraftRequested, webhookDeliveryReceived } from "../events";

/**
 * Drafts a bug's customer RCA (lib/fixes/rca-jobs/ensure-draft.ts: with the workspace's LLM
 * provider the model writes the prose, checked for plain language; otherwise, or when the check
 * fails, the offline template) when its fix merges:
 * on a GitHub `pull_request` delivery that closed a PR as merged (every bug that PR is linked to),
 * or on `rca/draft.requested` (a ticket joined the bug's cluster, a person asked). Drafting twice
 * is harmless: one RCA per bug, and what a person wrote is never replaced.
 */
export const draftRca = defineDraftRca(inngest);

export function defineDraftRca(client: Inngest) {
  return client.createFunction(
    {
      id: "draft-rca",
      triggers: [
        { event: rcaDraftRequested },
        {
          event: webhookDeliveryReceived,
          if: "event.data.provider == 'github' && event.data.eventType == 'pull_request.closed'",
        },
      ],
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      const organizationId = data.organizationId;
      let bugIds: string[];
      let mergedNow = false;
      // the merged PR of this delivery, for the timeline: its row may not say merged yet
      let mergedPr: { repository: string; number: number; mergedAt: string } | undefined;
      if ("bugId" in data) {
        bugIds = [data.bugId];
        mergedNow = data.mergedNow === true;
      } else {
        if (data.provider !== "github" || data.eventType !== "pull_request.closed") {
          return { ignored: "not a pull request" };
        }
        const pr = data.payload.pull_request;
        if (!pr?.merged || !data.payload.repository || !data.integrationId) {
          return { ignored: "not merged" };
        }
        const integrationId = data.integrationId;
        const githubRepositoryId = data.payload.repository.id;
        mergedNow = true;
        mergedPr = {
          repository: data.payload.repository.full_name,
          number: pr.number,
          mergedAt: pr.merged_at ?? pr.closed_at ?? new Date(event.ts ?? Date.now()).toISOString(),
        };
        bugIds = await step.run("find-bugs", async () => {
          const { createAdminClient } = await import("@/lib/supabase/admin");
          const admin = await createAdminClient({
            reason: "find the bugs a merged pull request fixes",
            organizationId,
          });
          const { data: repo, error } = await admin
            .from("integration_repositories")
            .select("id")
            .eq("organization_id", organizationId)
            .eq("integration_id", integrationId)
            .eq("github_repository_id", githubRepositoryId)
            .maybeSingle();
          if (error) throw new Error(`read repository: ${error.message}`);
          if (!repo) return [];
          const { data: rows, error: prError } = await admin
            .from("pull_requests")
            .select("bug_id")
            .eq("organization_id", organizationId)
            .eq("repository_id", repo.id)
            .eq("number", pr.number);
          if (prError) throw new Error(`read pull requests: ${prError.message}`);
          return (rows ?? []).map((r) => r.bug_id);
        });
      }
      const results: Record<string, string> = {};
      for (const bugId of bugIds) {
        results[bugId] = await step.run(`draft-${bugId}`, async () => {
          const [{ createAdminClient }, { ensureRcaDraft }, { workspaceLlmClientOrOffline }] =
            await Promise.all([
              import("@/lib/supabase/admin"),
              import("@/lib/fixes/rca-jobs/ensure-draft"),
              import("@/lib/pipeline/llm/workspace-client-or-offline"),
            ]);
          const admin = await createAdminClient({ reason: "draft a customer RCA", organizationId });
          const llm = await workspaceLlmClientOrOffline(
            admin,
            organizationId,
            "drafting the RCA offline",
          );
          return (await ensureRcaDraft(admin, organizationId, bugId, { mergedNow, mergedPr, llm }))
            .kind;
        });
      }
      return { drafted: results };
    },
  );
}
