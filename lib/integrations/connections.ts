import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { IntegrationProvider, Json } from "@/lib/supabase/database.types";
import { recordIntegrationAudit } from "./audit";
import type { GitHubRepository } from "./github/connect";
import { sealIntegrationSecret } from "./secrets";

/**
 * Writes of the connect flows on `integrations` and `integration_repositories`, through an
 * admin client the caller opened with its reason and organization (callbacks and admin-gated
 * actions). Secrets are sealed to their row before they reach the database; the row id is made
 * here for that (the AAD includes it).
 */

export interface NewConnection {
  organizationId: string;
  provider: IntegrationProvider;
  externalAccountId: string;
  account: Record<string, Json>;
  actorId: string;
  accessToken: string;
  refreshToken?: string | null;
  expiresAt?: Date | null;
  webhookSecret?: string | null;
  providerWebhookId?: string | null;
}

/** Postgres unique violation: another live integration holds the category or the account. */
const UNIQUE_VIOLATION = "23505";

/** Inserts a connected integration with its sealed secrets and audits it; returns its id. */
export async function insertConnection(
  admin: AdminSupabaseClient,
  input: NewConnection,
): Promise<string> {
  const id = randomUUID();
  const row = { id, organization_id: input.organizationId };
  const { error } = await admin.from("integrations").insert({
    id,
    organization_id: input.organizationId,
    provider: input.provider,
    status: "connected",
    external_account_id: input.externalAccountId,
    account: input.account,
    access_token_enc: sealIntegrationSecret(row, "access_token_enc", input.accessToken),
    refresh_token_enc: sealIntegrationSecret(row, "refresh_token_enc", input.refreshToken),
    webhook_secret_enc: sealIntegrationSecret(row, "webhook_secret_enc", input.webhookSecret),
    provider_webhook_id: input.providerWebhookId ?? null,
    token_expires_at: input.expiresAt?.toISOString() ?? null,
    connected_by: input.actorId,
    connected_at: new Date().toISOString(),
  });
  if (error?.code === UNIQUE_VIOLATION) {
    throw new AppError(
      "conflict",
      "This workspace already has a connected support tool or GitHub installation, or this account is connected to another workspace.",
    );
  }
  if (error) throw new Error(`integration not stored: ${error.code ?? error.message}`);
  await recordIntegrationAudit(admin, {
    organizationId: input.organizationId,
    action: "integration.connected",
    integrationId: id,
    actorId: input.actorId,
    metadata: { provider: input.provider, account: input.externalAccountId },
  });
  return id;
}

/** The live (connected or error) integration of a provider in a workspace, secrets included. */
export async function readLiveIntegration(
  admin: AdminSupabaseClient,
  organizationId: string,
  provider: IntegrationProvider,
) {
  const { data, error } = await admin
    .from("integrations")
    .select("*")
    .eq("organization_id", organizationId)
    .eq("provider", provider)
    .neq("status", "disconnected")
    .maybeSingle();
  if (error) throw new Error(`integration not read: ${error.code ?? error.message}`);
  return data;
}

/**
 * Makes the stored repository list match what the installation sees: new ones are added
 * (selected when `selectNew`), gone ones removed (their code index goes with them, by cascade),
 * known ones keep their selection. Returns the ids of the rows it added as selected, which the
 * caller starts indexing (`repository/selected`).
 */
export async function syncRepositories(
  admin: AdminSupabaseClient,
  integration: { id: string; organizationId: string },
  repositories: GitHubRepository[],
  options: { selectNew: boolean },
): Promise<{ selectedNew: string[] }> {
  const { data: known, error } = await admin
    .from("integration_repositories")
    .select("id, github_repository_id")
    .eq("integration_id", integration.id)
    .eq("organization_id", integration.organizationId);
  if (error) throw new Error(`repositories not read: ${error.code ?? error.message}`);
  const seen = new Set(repositories.map((r) => r.githubRepositoryId));
  const gone = (known ?? []).filter((k) => !seen.has(k.github_repository_id)).map((k) => k.id);
  if (gone.length > 0) {
    const removed = await admin
      .from("integration_repositories")
      .delete()
      .in("id", gone)
      .eq("organization_id", integration.organizationId);
    if (removed.error) throw new Error(`repositories not removed: ${removed.error.code}`);
  }
  const have = new Set((known ?? []).map((k) => k.github_repository_id));
  const selectedNew: string[] = [];
  for (const repo of repositories) {
    const fields = {
      full_name: repo.fullName,
      default_branch: repo.defaultBranch,
      private: repo.private,
    };
    if (have.has(repo.githubRepositoryId)) {
      const result = await admin
        .from("integration_repositories")
        .update(fields)
        .eq("integration_id", integration.id)
        .eq("organization_id", integration.organizationId)
        .eq("github_repository_id", repo.githubRepositoryId);
      if (result.error) throw new Error(`repository not stored: ${result.error.code}`);
      continue;
    }
    const inserted = await admin
      .from("integration_repositories")
      .upsert(
        {
          ...fields,
          organization_id: integration.organizationId,
          integration_id: integration.id,
          github_repository_id: repo.githubRepositoryId,
          selected: options.selectNew,
        },
        // a concurrent sync (the setup callback and an installation delivery) added it first
        { onConflict: "integration_id,github_repository_id", ignoreDuplicates: true },
      )
      .select("id, selected");
    if (inserted.error) throw new Error(`repository not stored: ${inserted.error.code}`);
    for (const row of inserted.data ?? []) if (row.selected) selectedNew.push(row.id);
  }
  return { selectedNew };
}

/**
 * Marks an integration disconnected: credentials deleted (the database refuses a disconnected
 * row that still holds one), tickets and bugs untouched. Audited with what the provider did.
 */
export async function markDisconnected(
  admin: AdminSupabaseClient,
  integration: { id: string; organizationId: string; provider: IntegrationProvider },
  /** Null when the provider disconnected it (an uninstall on GitHub's side). */
  actorId: string | null,
  providerCleanup: Record<string, Json>,
  /** Why, when the provider ended it: kept in last_error, stamped with the disconnect. */
  reason?: string,
): Promise<void> {
  const now = new Date().toISOString();
  const { error } = await admin
    .from("integrations")
    .update({
      ...(reason ? { last_error: reason, last_error_at: now } : {}),
      status: "disconnected",
      access_token_enc: null,
      refresh_token_enc: null,
      webhook_secret_enc: null,
      provider_webhook_id: null,
      token_expires_at: null,
      disconnected_at: now,
    })
    .eq("id", integration.id)
    .eq("organization_id", integration.organizationId);
  if (error) throw new Error(`integration not disconnected: ${error.code ?? error.message}`);
  await recordIntegrationAudit(admin, {
    organizationId: integration.organizationId,
    action: "integration.disconnected",
    integrationId: integration.id,
    actorId,
    metadata: { provider: integration.provider, ...providerCleanup },
  });
}
