import { emitIntegrationDisconnected } from "@/lib/notifications/emit";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { GithubPayload } from "@/lib/webhooks/payloads";
import { recordIntegrationAudit } from "../audit";
import { markDisconnected } from "../connections";
import { selectedWithoutIndex } from "../repository-indexing";

/**
 * What GitHub's `installation` and `installation_repositories` deliveries change on a workspace's
 * GitHub integration (issue 13). Every branch sets a state rather than toggling one, so a
 * redelivery or a retried step lands on the same rows; the consumer runs one delivery per
 * integration at a time, in the order the executor received them.
 *
 * - `deleted`: the App was uninstalled on GitHub. The integration is disconnected like a person's
 *   disconnect (credentials deleted, history kept, audited) with the reason in `last_error`,
 *   which Settings shows on the GitHub card until it is connected again.
 * - `suspend` / `unsuspend`: status `error` with a reason / back to `connected`, error cleared.
 * - `new_permissions_accepted`: the cached installation token is expired, so the next call mints
 *   one carrying the new permissions; audited.
 * - `installation_repositories.added` / `.removed`: rows added (selected, as on a first install:
 *   the person chose them on GitHub) or deleted (their code index goes with them by cascade, so
 *   they stop being indexed and mapped; bug locations keep their text and lose the link).
 */

/** The words Settings shows; no payload text, only what happened. */
export const INSTALLATION_REASONS = {
  deleted: "The Patchline GitHub App was uninstalled on GitHub. Install it again to map bugs.",
  suspend:
    "The Patchline GitHub App's installation is suspended on GitHub: repositories cannot be read until it is unsuspended.",
} as const;

/** New repositories the installation starts seeing are selected (the person chose them there). */
export const SELECT_ADDED_REPOSITORIES = true;

export type InstallationOutcome =
  | { kind: "ignored"; why: string }
  | { kind: "disconnected" }
  | { kind: "suspended" }
  | { kind: "unsuspended" }
  | { kind: "permissions" }
  | { kind: "repositories"; added: number; removed: number; toIndex: string[] };

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

interface Target {
  organizationId: string;
  integrationId: string;
}

/** The notification of a lost installation (uninstalled or suspended on GitHub). */
function lost(t: Target) {
  return {
    organizationId: t.organizationId,
    integrationId: t.integrationId,
    provider: "github" as const,
  };
}

async function liveIntegration(admin: AdminSupabaseClient, t: Target) {
  const { data, error } = await admin
    .from("integrations")
    .select("id, status, provider, account")
    .eq("organization_id", t.organizationId)
    .eq("id", t.integrationId)
    .eq("provider", "github")
    .maybeSingle();
  if (error) fail("read integration", error);
  return data && data.status !== "disconnected" ? data : null;
}

async function setStatus(
  admin: AdminSupabaseClient,
  t: Target,
  fields: {
    status: "connected" | "error";
    last_error: string | null;
    last_error_at: string | null;
  },
) {
  const { error } = await admin
    .from("integrations")
    .update(fields)
    .eq("organization_id", t.organizationId)
    .eq("id", t.integrationId)
    .neq("status", "disconnected");
  if (error) fail("update integration status", error);
}

/** Applies one `installation.*` delivery to the workspace's integration. */
export async function applyInstallationEvent(
  admin: AdminSupabaseClient,
  t: Target,
  action: string | undefined,
): Promise<InstallationOutcome> {
  const row = await liveIntegration(admin, t);
  if (!row) return { kind: "ignored", why: "integration not live" };
  const now = new Date().toISOString();
  switch (action) {
    case "deleted": {
      await markDisconnected(
        admin,
        { id: t.integrationId, organizationId: t.organizationId, provider: "github" },
        null,
        { uninstalled_on_github: true },
        // stamped with the disconnect: what Settings shows on the card
        INSTALLATION_REASONS.deleted,
      );
      await emitIntegrationDisconnected({ ...lost(t), at: now });
      return { kind: "disconnected" };
    }
    case "suspend":
      await setStatus(admin, t, {
        status: "error",
        last_error: INSTALLATION_REASONS.suspend,
        last_error_at: now,
      });
      await emitIntegrationDisconnected({ ...lost(t), at: now });
      return { kind: "suspended" };
    case "unsuspend":
      await setStatus(admin, t, { status: "connected", last_error: null, last_error_at: null });
      return { kind: "unsuspended" };
    case "new_permissions_accepted": {
      // an installation token carries the permissions it was minted with: mint a new one next
      const { error } = await admin
        .from("integrations")
        .update({ token_expires_at: now })
        .eq("organization_id", t.organizationId)
        .eq("id", t.integrationId);
      if (error) fail("expire installation token", error);
      await recordIntegrationAudit(admin, {
        organizationId: t.organizationId,
        action: "integration.permissions_accepted",
        integrationId: t.integrationId,
        metadata: { provider: "github" },
      });
      return { kind: "permissions" };
    }
    default:
      // `created` is handled by the setup callback, which knows the workspace and the person
      return { kind: "ignored", why: `installation.${action ?? "none"}` };
  }
}

/** Applies one `installation_repositories.*` delivery: rows added or removed. */
export async function applyRepositoriesEvent(
  admin: AdminSupabaseClient,
  t: Target,
  payload: Pick<GithubPayload, "repositories_added" | "repositories_removed">,
): Promise<InstallationOutcome> {
  const row = await liveIntegration(admin, t);
  if (!row) return { kind: "ignored", why: "integration not live" };
  const removedIds = (payload.repositories_removed ?? []).map((r) => r.id);
  let removed = 0;
  if (removedIds.length > 0) {
    const { data, error } = await admin
      .from("integration_repositories")
      .delete()
      .eq("organization_id", t.organizationId)
      .eq("integration_id", t.integrationId)
      .in("github_repository_id", removedIds)
      .select("id");
    if (error) fail("remove repositories", error);
    removed = data?.length ?? 0;
  }
  let added = 0;
  for (const repo of payload.repositories_added ?? []) {
    const { data, error } = await admin
      .from("integration_repositories")
      .upsert(
        {
          organization_id: t.organizationId,
          integration_id: t.integrationId,
          github_repository_id: repo.id,
          full_name: repo.full_name,
          default_branch: repo.default_branch ?? null,
          private: repo.private ?? false,
          selected: SELECT_ADDED_REPOSITORIES,
        },
        // known already (a redelivery, or the setup callback listed it first): keep its choice
        { onConflict: "integration_id,github_repository_id", ignoreDuplicates: true },
      )
      .select("id, selected");
    if (error) fail("add repository", error);
    added += data?.length ?? 0;
  }
  // every selected repository still without an index, not only the rows this run inserted: a
  // retry after the insert (or a lost send) still starts them
  const toIndex = await selectedWithoutIndex(admin, t.organizationId, t.integrationId);
  return { kind: "repositories", added, removed, toIndex };
}
