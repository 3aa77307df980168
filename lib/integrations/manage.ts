import "server-only";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createAdminClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";
import { markDisconnected, readLiveIntegration } from "./connections";
import { uninstallGitHubApp } from "./github/connect";
import { revokeIntercomToken } from "./intercom/connect";
import type { OAuthProvider } from "./oauth-state";
import { githubAppConfig, intercomConfig, zendeskConfig } from "./provider-config";
import { selectedWithoutIndex, startIndexing } from "./repository-indexing";
import { openIntegrationSecret } from "./secrets";
import { deleteZendeskWebhook, revokeZendeskToken } from "./zendesk/connect";

/**
 * Admin-gated changes to a connected integration, called from server actions after the guard
 * checked `integrations.manage` in this workspace (the admin client's allowed case).
 */

const manageLog = log.child({ module: "integrations.manage" });

interface Actor {
  organizationId: string;
  userId: string;
}

async function adminFor(actor: Actor, reason: string) {
  return createAdminClient({ reason, organizationId: actor.organizationId, actorId: actor.userId });
}

/**
 * Disconnects: the provider-side cleanup first (revoke the token, delete Patchline's webhook,
 * uninstall the App), then the credentials are deleted and the row marked disconnected. A
 * provider that cannot be reached does not keep the credentials here: they are deleted anyway and
 * the audit entry says what could not be undone at the provider. Tickets and bugs stay.
 */
export async function disconnectIntegration(actor: Actor, provider: OAuthProvider): Promise<void> {
  const admin = await adminFor(actor, `disconnect ${provider} integration`);
  const row = await readLiveIntegration(admin, actor.organizationId, provider);
  if (!row) throw new AppError("not_found", "This integration is not connected.");
  const accessToken = openIntegrationSecret(row, "access_token_enc");
  const cleanup: Record<string, Json> = {};
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
      cleanup[what] = true;
    } catch (error) {
      cleanup[what] = false;
      manageLog.warn({ err: error, provider, what }, "provider cleanup failed on disconnect");
    }
  };
  if (provider === "zendesk") {
    const config = zendeskConfig();
    const subdomain = row.external_account_id;
    if (accessToken && row.provider_webhook_id) {
      const hookId = row.provider_webhook_id;
      await attempt("webhook_deleted", () =>
        deleteZendeskWebhook(config, subdomain, accessToken, hookId),
      );
    }
    if (accessToken) {
      await attempt("token_revoked", () => revokeZendeskToken(config, subdomain, accessToken));
    }
  } else if (provider === "intercom") {
    if (accessToken) {
      await attempt("token_revoked", () => revokeIntercomToken(intercomConfig(), accessToken));
    }
  } else {
    await attempt("app_uninstalled", () =>
      uninstallGitHubApp(githubAppConfig(), Number(row.external_account_id), accessToken),
    );
  }
  await markDisconnected(
    admin,
    { id: row.id, organizationId: actor.organizationId, provider },
    actor.userId,
    cleanup,
  );
}

/**
 * Which of the installation's repositories Patchline reads (the rest stay unselected, and their
 * indexes are no longer used for mapping). Each newly selected repository, and each selected one
 * still without a usable index, gets its first index started (`repository/selected`): saving
 * again retries one whose start was lost. Returns how many are selected and how many started.
 */
export async function setRepositorySelection(
  actor: Actor,
  selectedIds: string[],
): Promise<{ selected: number; indexing: number }> {
  const admin = await adminFor(actor, "change GitHub repository selection");
  const row = await readLiveIntegration(admin, actor.organizationId, "github");
  if (!row) throw new AppError("not_found", "GitHub is not connected.");
  const { data: repos, error } = await admin
    .from("integration_repositories")
    .select("id, selected")
    .eq("integration_id", row.id)
    .eq("organization_id", actor.organizationId);
  if (error) throw new Error(`repositories not read: ${error.code ?? error.message}`);
  const known = new Set((repos ?? []).map((r) => r.id));
  if (selectedIds.some((id) => !known.has(id))) {
    throw new AppError("not_found", "A repository is not part of this installation.");
  }
  const wanted = new Set(selectedIds);
  for (const repo of repos ?? []) {
    if (repo.selected === wanted.has(repo.id)) continue;
    const update = await admin
      .from("integration_repositories")
      .update({ selected: wanted.has(repo.id) })
      .eq("id", repo.id)
      .eq("organization_id", actor.organizationId);
    if (update.error) throw new Error(`selection not saved: ${update.error.code}`);
  }
  const toIndex = await selectedWithoutIndex(admin, actor.organizationId, row.id);
  const newlySelected = (repos ?? [])
    .filter((r) => !r.selected && wanted.has(r.id))
    .map((r) => r.id);
  const start = [...new Set([...newlySelected, ...toIndex])];
  try {
    await startIndexing(actor.organizationId, start);
  } catch (error) {
    throw new AppError(
      "unavailable",
      "The selection is saved, but indexing could not start. Save again to retry.",
      { cause: error },
    );
  }
  return { selected: wanted.size, indexing: start.length };
}

/** Picks the Intercom team whose conversations reach Patchline (one of the stored teams). */
export async function setIntercomTeam(actor: Actor, teamId: string): Promise<string> {
  const admin = await adminFor(actor, "choose Intercom team");
  const row = await readLiveIntegration(admin, actor.organizationId, "intercom");
  if (!row) throw new AppError("not_found", "Intercom is not connected.");
  const account = (row.account ?? {}) as Record<string, Json>;
  const teams = Array.isArray(account.teams)
    ? (account.teams as { id: string; name: string }[])
    : [];
  const team = teams.find((t) => t.id === teamId);
  if (!team)
    throw new AppError("validation", "Pick one of the listed teams.", {
      fieldErrors: { team_id: ["Pick one of the listed teams."] },
    });
  const { error } = await admin
    .from("integrations")
    .update({ account: { ...account, team_id: team.id, team_name: team.name } })
    .eq("id", row.id)
    .eq("organization_id", actor.organizationId);
  if (error) throw new Error(`team not saved: ${error.code ?? error.message}`);
  return team.name;
}
