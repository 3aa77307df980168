import "server-only";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { ownersRequested } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import { createAdminClient } from "@/lib/supabase/admin";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/** The Codebase page's "Synthesise owners" form. */
export const requestOwnersInput = z.object({ repositoryId: z.uuid() });

/** A queued or running synthesis younger than this is left alone (a second click is a no-op). */
const IN_FLIGHT_MS = 10 * 60_000;

/**
 * A person asks for the owners of a selected repository to be synthesised now (bugs.write, the
 * caller's guard): the repository is read as them (RLS), the row is marked `queued` through the
 * audited service-role client (clients may not write it: nobody makes themselves an owner), and
 * `repository/owners.requested` starts the job, which reads only the commits it does not have.
 * Returns whether a run was started (false: one is already queued or running).
 */
export async function requestOwnerSynthesis(
  supabase: ServerSupabaseClient,
  organizationId: string,
  repositoryId: string,
  userId: string,
): Promise<{ started: boolean }> {
  const { data: repo, error } = await supabase
    .from("integration_repositories")
    .select("id")
    .eq("organization_id", organizationId)
    .eq("id", repositoryId)
    .eq("selected", true)
    .maybeSingle();
  if (error) throw new AppError("internal", "The repository could not be read.", { cause: error });
  if (!repo) throw new AppError("not_found", "That repository is not selected in this workspace.");

  const { data: row, error: rowError } = await supabase
    .from("repository_owners")
    .select("status, updated_at, codeowners_path")
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (rowError) throw new AppError("internal", undefined, { cause: rowError });
  if (
    (row?.status === "queued" || row?.status === "running") &&
    Date.now() - new Date(row.updated_at).getTime() < IN_FLIGHT_MS
  )
    return { started: false };

  const admin = await createAdminClient({
    reason: "queue a repository's owner synthesis asked for on the Codebase page",
    organizationId,
    actorId: userId,
  });
  const queued = {
    status: "queued" as const,
    error: null,
    requested_by: userId,
    finished_at: null,
  };
  const { error: writeError } = row
    ? await admin
        .from("repository_owners")
        .update(queued)
        .eq("organization_id", organizationId)
        .eq("repository_id", repositoryId)
    : await admin
        .from("repository_owners")
        .insert({ organization_id: organizationId, repository_id: repositoryId, ...queued });
  if (writeError) throw new AppError("internal", undefined, { cause: writeError });
  try {
    await inngest.send(ownersRequested.create({ organizationId, repositoryId }));
  } catch (cause) {
    // the queued row stays; a new click after IN_FLIGHT_MS sends the event again
    throw new AppError("unavailable", "The synthesis could not start. Try again in a moment.", {
      cause,
    });
  }
  return { started: true };
}
