import "server-only";
import type { User } from "@supabase/supabase-js";
import type { OrganizationSummary } from "@/lib/auth/organization";
import { siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createAdminClient } from "@/lib/supabase/admin";
import { insertConnection, readLiveIntegration, syncRepositories } from "./connections";
import { mintInstallationToken } from "./github/app";
import { listInstallationRepositories, verifyInstallation } from "./github/connect";
import {
  exchangeIntercomCode,
  readIntercomWorkspace,
  revokeIntercomToken,
} from "./intercom/connect";
import { githubAppConfig, intercomConfig, redirectUri, zendeskConfig } from "./provider-config";
import { selectedWithoutIndex, startIndexing } from "./repository-indexing";
import { sealIntegrationSecret } from "./secrets";
import {
  createZendeskWebhook,
  deleteZendeskWebhook,
  exchangeZendeskCode,
  revokeZendeskToken,
} from "./zendesk/connect";

/**
 * What each callback does once `finishConnect` has accepted its state: the provider calls, then
 * one audited admin-client write for the workspace the state named. If storing fails after the
 * provider gave us something (a token, a webhook), that is undone at the provider, so nothing
 * is left half-connected on either side.
 */

const connectLog = log.child({ module: "integrations.connect" });

interface Caller {
  user: User;
  org: OrganizationSummary;
}

async function undo(what: string, fn: () => Promise<void>): Promise<void> {
  await fn().catch((error: unknown) => connectLog.warn({ err: error, what }, "undo failed"));
}

/** Zendesk: code → tokens → Patchline's webhook and its signing secret → sealed row. */
export async function completeZendeskConnect(
  { user, org }: Caller,
  subdomain: string,
  code: string,
): Promise<void> {
  const config = zendeskConfig();
  const tokens = await exchangeZendeskCode(config, subdomain, code, redirectUri("zendesk"));
  let webhook: { webhookId: string; signingSecret: string } | undefined;
  try {
    webhook = await createZendeskWebhook(
      config,
      subdomain,
      tokens.accessToken,
      `${siteUrl()}/api/webhooks/zendesk`,
    );
    const admin = await createAdminClient({
      reason: "oauth callback: store Zendesk integration",
      organizationId: org.id,
      actorId: user.id,
    });
    await insertConnection(admin, {
      organizationId: org.id,
      provider: "zendesk",
      externalAccountId: subdomain,
      account: { subdomain },
      actorId: user.id,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      webhookSecret: webhook.signingSecret,
      providerWebhookId: webhook.webhookId,
    });
  } catch (error) {
    const hook = webhook;
    if (hook) {
      await undo("zendesk webhook", () =>
        deleteZendeskWebhook(config, subdomain, tokens.accessToken, hook.webhookId),
      );
    }
    await undo("zendesk token", () => revokeZendeskToken(config, subdomain, tokens.accessToken));
    throw error;
  }
}

/** Intercom: code → token → workspace and teams → sealed row (team picked next, in settings). */
export async function completeIntercomConnect({ user, org }: Caller, code: string): Promise<void> {
  const config = intercomConfig();
  const token = await exchangeIntercomCode(config, code);
  try {
    const workspace = await readIntercomWorkspace(config, token);
    const admin = await createAdminClient({
      reason: "oauth callback: store Intercom integration",
      organizationId: org.id,
      actorId: user.id,
    });
    await insertConnection(admin, {
      organizationId: org.id,
      provider: "intercom",
      externalAccountId: workspace.appId,
      account: {
        workspace_name: workspace.name,
        teams: workspace.teams,
        team_id: null,
        team_name: null,
      },
      actorId: user.id,
      accessToken: token,
    });
  } catch (error) {
    await undo("intercom token", () => revokeIntercomToken(config, token));
    throw error;
  }
}

/**
 * GitHub: the installation id is verified with the app JWT, an installation token lists its
 * repositories. A first install stores the integration with every repository it sees selected
 * (the person just chose them on GitHub); a later visit (`setup_action=update`, or installing
 * again) refreshes the list of the workspace's own installation and keeps earlier choices.
 */
export async function completeGitHubConnect(
  { user, org }: Caller,
  installationId: number,
): Promise<void> {
  const config = githubAppConfig();
  const installation = await verifyInstallation(config, installationId);
  const token = await mintInstallationToken(config, { externalAccountId: String(installation.id) });
  const repositories = await listInstallationRepositories(config.apiBaseUrl, token.accessToken);
  const admin = await createAdminClient({
    reason: "installation callback: store GitHub integration",
    organizationId: org.id,
    actorId: user.id,
  });
  const existing = await readLiveIntegration(admin, org.id, "github");
  if (existing && existing.external_account_id !== String(installation.id)) {
    throw new AppError("conflict", "This workspace already has a GitHub installation.");
  }
  let integrationId: string;
  if (existing) {
    integrationId = existing.id;
    const row = { id: existing.id, organization_id: org.id };
    const { error } = await admin
      .from("integrations")
      .update({
        status: "connected",
        account: {
          login: installation.accountLogin,
          repository_selection: installation.repositorySelection,
        },
        access_token_enc: sealIntegrationSecret(row, "access_token_enc", token.accessToken),
        token_expires_at: token.expiresAt?.toISOString() ?? null,
        last_error: null,
        last_error_at: null,
      })
      .eq("id", existing.id)
      .eq("organization_id", org.id);
    if (error) throw new Error(`integration not updated: ${error.code ?? error.message}`);
  } else {
    integrationId = await insertConnection(admin, {
      organizationId: org.id,
      provider: "github",
      externalAccountId: String(installation.id),
      account: {
        login: installation.accountLogin,
        repository_selection: installation.repositorySelection,
      },
      actorId: user.id,
      accessToken: token.accessToken,
      expiresAt: token.expiresAt,
    });
  }
  await syncRepositories(admin, { id: integrationId, organizationId: org.id }, repositories, {
    selectNew: true,
  });
  // the first index of every selected repository starts now (those already indexed are left
  // alone); a lost send is retried by saving the selection in Settings
  try {
    await startIndexing(org.id, await selectedWithoutIndex(admin, org.id, integrationId));
  } catch (error) {
    connectLog.warn({ err: error, organizationId: org.id }, "first index not started");
  }
}
