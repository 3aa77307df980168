import type { Inngest } from "inngest";
import { inngest } from "../client";
import { repositoryPushed, webhookDeliveryReceived } from "../events";

/**
 * The consumer of GitHub `push` deliveries: records the new head of the pushed branch on the
 * workspace's repository row and, when the push moved the default branch of a selected
 * repository, emits `repository/pushed` (event id `repository-pushed:<repositoryId>:<after>`, so
 * a redelivered push re-indexes once).
 */
export const recordGithubPush = defineRecordGithubPush(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineRecordGithubPush(client: Inngest) {
  return client.createFunction(
    {
      id: "record-github-push",
      // only GitHub pushes start a run (the handler keeps its own check): see ingest-support-ticket
      triggers: [
        {
          event: webhookDeliveryReceived,
          if: "event.data.provider == 'github' && event.data.eventType == 'push'",
        },
      ],
      concurrency: { limit: 5, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const data = event.data;
      if (data.provider !== "github" || data.eventType !== "push") return { ignored: "not a push" };
      const { payload, organizationId, integrationId } = data;
      const after = payload.after;
      if (
        !integrationId ||
        !payload.repository ||
        !after ||
        !payload.ref?.startsWith("refs/heads/")
      ) {
        return { ignored: "not a branch push" };
      }
      if (/^0+$/.test(after)) return { ignored: "branch deleted" };
      const branch = payload.ref.slice("refs/heads/".length);
      const githubRepositoryId = payload.repository.id;

      const repository = await step.run("record-head", async () => {
        const { createAdminClient } = await import("@/lib/supabase/admin");
        const admin = await createAdminClient({
          reason: "record a pushed head for re-indexing",
          organizationId,
        });
        const { data: repo, error } = await admin
          .from("integration_repositories")
          .select("id, default_branch, selected")
          .eq("organization_id", organizationId)
          .eq("integration_id", integrationId)
          .eq("github_repository_id", githubRepositoryId)
          .maybeSingle();
        if (error) throw new Error(`read repository: ${error.message}`);
        if (!repo) return null;
        const isDefault = branch === (repo.default_branch ?? payload.repository?.default_branch);
        if (isDefault) {
          const { error: updateError } = await admin
            .from("integration_repositories")
            .update({ head_sha: after })
            .eq("organization_id", organizationId)
            .eq("id", repo.id);
          if (updateError) throw new Error(`record head: ${updateError.message}`);
        }
        return { id: repo.id, reindex: isDefault && repo.selected };
      });
      if (!repository?.reindex) return { recorded: repository !== null, reindex: false };

      await step.sendEvent(
        "emit-repository-pushed",
        repositoryPushed.create(
          { organizationId, repositoryId: repository.id, after },
          { id: `repository-pushed:${repository.id}:${after}` },
        ),
      );
      return { recorded: true, reindex: true };
    },
  );
}
