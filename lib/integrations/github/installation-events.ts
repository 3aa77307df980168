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
  | { kind: "stale" }
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

/**
 * The installation's `updated_at` a delivery carries (GitHub sends ISO 8601; older payloads epoch
 * seconds), or null when it carries none or an unreadable one (then it is applied as it comes).
 */
export function installationUpdatedAt(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const at = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Claims the delivery's place in the installation's history: records its `updated_at` unless the
 * integration already applied a newer one, in one conditional update (two deliveries racing
 * cannot both pass with the older one last). An equal time passes, so a retried step or a
 * redelivery of the same delivery still applies (every branch is safe twice).
 */
async function claimOrder(admin: AdminSupabaseClient, t: Target, at: Date | null) {
  if (!at) return "current" as const;
  const iso = at.toISOString();
  const { data, error } = await admin
    .from("integrations")
    .update({ installation_updated_at: iso })
    .eq("organization_id", t.organizationId)
    .eq("id", t.integrationId)
    .or(`installation_updated_at.is.null,installation_updated_at.lte.${iso}`)
    .select("id");
  if (error) fail("order installation delivery", error);
  return (data?.length ?? 0) > 0 ? ("current" as const) : ("stale" as const);
}

/**
 * Applies one `installation.*` delivery to the workspace's integration. One older than the state
 * already applied (its installation `updated_at` is earlier) changes nothing: a late `suspend`
 * must not undo the `unsuspend` that followed it.
 */
export async function applyInstallationEvent(
  admin: AdminSupabaseClient,
  t: Target,
  action: string | undefined,
  at: Date | null = null,
): Promise<InstallationOutcome> {
  const row = await liveIntegration(admin, t);
  if (!row) return { kind: "ignored", why: "integration not live" };
  if ((await claimOrder(admin, t, at)) === "stale") {
    return { kind: "stale" };
  }
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

/** A repository the installation sees now, as GitHub lists it. */
export interface VisibleRepository {
  id: number;
  full_name: string;
  default_branch?: string | null;
  private?: boolean;
}

/**
 * Applies one `installation_repositories.*` delivery: rows added or removed. A delivery older
 * than the state already applied is a delta against a past state (a late "added X" after the
 * newer "removed X"), so it is not applied as such: the repositories GitHub lists for the
 * installation now (`listVisible`) are the truth, rows are added or removed to match them.
 */
export async function applyRepositoriesEvent(
  admin: AdminSupabaseClient,
  t: Target,
  payload: Pick<GithubPayload, "repositories_added" | "repositories_removed">,
  order: { at: Date | null; listVisible?: () => Promise<VisibleRepository[]> } = { at: null },
): Promise<InstallationOutcome> {
  const row = await liveIntegration(admin, t);
  if (!row) return { kind: "ignored", why: "integration not live" };
  if ((await claimOrder(admin, t, order.at)) === "stale") {
    if (!order.listVisible) return { kind: "stale" };
    payload = await reconcileWith(admin, t, await order.listVisible());
  }
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

/** The delta that makes the integration's rows match what GitHub lists now. */
async function reconcileWith(
  admin: AdminSupabaseClient,
  t: Target,
  visible: VisibleRepository[],
): Promise<Pick<GithubPayload, "repositories_added" | "repositories_removed">> {
  const { data, error } = await admin
    .from("integration_repositories")
    .select("github_repository_id, full_name")
    .eq("organization_id", t.organizationId)
    .eq("integration_id", t.integrationId);
  if (error) fail("read repositories", error);
  const known = new Set((data ?? []).map((r) => r.github_repository_id));
  const seen = new Set(visible.map((r) => r.id));
  return {
    repositories_added: visible
      .filter((r) => !known.has(r.id))
      .map((r) => ({
        id: r.id,
        full_name: r.full_name,
        default_branch: r.default_branch ?? undefined,
        private: r.private,
      })),
    repositories_removed: (data ?? [])
      .filter((r) => !seen.has(r.github_repository_id))
      .map((r) => ({ id: r.github_repository_id, full_name: r.full_name })),
  };
}
