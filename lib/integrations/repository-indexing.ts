import "server-only";
import { inngest } from "@/inngest/client";
import { repositorySelected } from "@/inngest/events";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";

/**
 * Starting the first index of selected repositories: `repository/selected` per repository
 * (index-repository builds the code map at the default branch's head; one already ready at that
 * commit is a no-op, so a second event costs one API call). Sent by the Settings selection, the
 * GitHub setup callback and the installation consumer for repositories that became selected.
 */

/**
 * The installation's selected repositories that have no usable index yet (none, or a first index
 * that failed): saving the selection again retries them, so a send that failed is not lost.
 */
export async function selectedWithoutIndex(
  admin: AdminSupabaseClient,
  organizationId: string,
  integrationId: string,
): Promise<string[]> {
  const { data, error } = await admin
    .from("integration_repositories")
    .select("id, code_indexes(status)")
    .eq("organization_id", organizationId)
    .eq("integration_id", integrationId)
    .eq("selected", true);
  if (error) throw new Error(`repositories not read: ${error.code ?? error.message}`);
  return (data ?? [])
    .filter((r) => {
      const index = r.code_indexes as unknown as { status: string }[] | { status: string } | null;
      const rows = Array.isArray(index) ? index : index ? [index] : [];
      return rows.length === 0 || rows.every((i) => i.status === "error");
    })
    .map((r) => r.id);
}

/** Sends `repository/selected` for each repository (ids only); throws when Inngest refuses. */
export async function startIndexing(organizationId: string, repositoryIds: string[]) {
  const ids = [...new Set(repositoryIds)];
  if (ids.length === 0) return;
  await inngest.send(
    ids.map((repositoryId) => repositorySelected.create({ organizationId, repositoryId })),
  );
}
