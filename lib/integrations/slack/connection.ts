import "server-only";
import { randomUUID } from "node:crypto";
import type { User } from "@supabase/supabase-js";
import { z } from "zod";
import type { OrganizationSummary } from "@/lib/auth/organization";
import { serverEnv, siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { createAdminClient } from "@/lib/supabase/admin";
import { recordIntegrationAudit } from "../audit";
import { ProviderRefusedError } from "../provider-errors";
import { openSecret, sealSecret } from "../secrets";
import { classifySlackError, slackClient } from "./client";

/**
 * A workspace's Slack app installation (`slack_connections`): the OAuth v2 install through
 * `@slack/web-api`'s `oauth.v2.access` (the connect flow's signed single-use state, like every
 * integration), the bot token sealed with the keyring (AAD = workspace, table, row id, column),
 * the channel list the settings page offers, and disconnect (auth.revoke, then the row goes).
 *
 * `@slack/oauth`'s InstallProvider is not used: it reads Node's IncomingMessage/ServerResponse
 * (not the App Router's Request/Response), keeps its own state and installation stores, and would
 * duplicate the sealed storage and the state checks every other integration goes through.
 */

const slackLog = log.child({ module: "integrations.slack" });

/** What the bot needs: post and edit its messages, list channels, read its own posts back. */
export const SLACK_BOT_SCOPES = [
  "chat:write",
  "channels:read",
  "groups:read",
  "channels:history",
  "groups:history",
] as const;

export function slackConfig() {
  const env = serverEnv();
  if (!env.SLACK_CLIENT_ID || !env.SLACK_CLIENT_SECRET) {
    throw new AppError("unavailable", "Slack is not configured on this server.", {
      cause: new Error("missing SLACK_CLIENT_ID, SLACK_CLIENT_SECRET"),
    });
  }
  return {
    clientId: env.SLACK_CLIENT_ID,
    clientSecret: env.SLACK_CLIENT_SECRET,
    oauthBase: env.SLACK_OAUTH_BASE.replace(/\/+$/, ""),
    redirectUri: `${siteUrl()}/api/integrations/slack/callback`,
  };
}

export function slackAuthorizeUrl(state: string): string {
  const config = slackConfig();
  const url = new URL(`${config.oauthBase}/oauth/v2/authorize`);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("scope", SLACK_BOT_SCOPES.join(","));
  url.searchParams.set("redirect_uri", config.redirectUri);
  url.searchParams.set("state", state);
  return url.toString();
}

const accessAnswer = z.object({
  access_token: z.string().startsWith("xoxb-"),
  token_type: z.literal("bot"),
  scope: z.string().default(""),
  bot_user_id: z.string(),
  app_id: z.string().optional(),
  team: z.object({ id: z.string(), name: z.string() }),
});

const place = (organizationId: string, rowId: string) => ({
  organizationId,
  table: "slack_connections" as const,
  rowId,
  column: "bot_token_enc" as const,
});

/** Code → bot token → sealed row (a reconnect replaces the token). Undoes the token on failure. */
export async function completeSlackConnect(
  caller: { user: User; org: OrganizationSummary },
  code: string,
): Promise<void> {
  const config = slackConfig();
  let answer: z.infer<typeof accessAnswer>;
  try {
    answer = accessAnswer.parse(
      await slackClient().oauth.v2.access({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        code,
        redirect_uri: config.redirectUri,
      }),
    );
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind === "refused" || failure.kind === "auth")
      throw new ProviderRefusedError(`Slack refused the install (${failure.error}).`);
    throw error;
  }
  const token = answer.access_token;
  try {
    const admin = await createAdminClient({
      reason: "oauth callback: store Slack connection",
      organizationId: caller.org.id,
      actorId: caller.user.id,
    });
    const { data: existing, error: readError } = await admin
      .from("slack_connections")
      .select("id, bot_token_enc")
      .eq("organization_id", caller.org.id)
      .maybeSingle();
    if (readError) throw new Error(`read Slack connection: ${readError.code}`);
    const id = existing?.id ?? randomUUID();
    const row = {
      team_id: answer.team.id,
      team_name: answer.team.name.slice(0, 200),
      bot_user_id: answer.bot_user_id,
      app_id: answer.app_id ?? null,
      scope: answer.scope.slice(0, 1000),
      bot_token_enc: sealSecret(place(caller.org.id, id), token),
      status: "connected" as const,
      last_error: null,
      last_error_at: null,
      connected_by: caller.user.id,
      connected_at: new Date().toISOString(),
    };
    const { error } = existing
      ? await admin
          .from("slack_connections")
          .update(row)
          .eq("organization_id", caller.org.id)
          .eq("id", id)
      : await admin
          .from("slack_connections")
          .insert({ id, organization_id: caller.org.id, ...row });
    if (error) throw new Error(`store Slack connection: ${error.code}`);
    // the replaced token is revoked at Slack, so only one bot token of this workspace is live
    if (existing) {
      const old = openSecret(place(caller.org.id, id), existing.bot_token_enc);
      if (old !== token) await revokeQuietly(old);
    }
    await recordIntegrationAudit(admin, {
      organizationId: caller.org.id,
      action: "integration.connected",
      actorId: caller.user.id,
      metadata: { provider: "slack", team_id: answer.team.id, reconnected: Boolean(existing) },
    });
  } catch (error) {
    await revokeQuietly(token);
    throw error;
  }
}

async function revokeQuietly(token: string): Promise<boolean> {
  try {
    await slackClient(token).auth.revoke();
    return true;
  } catch (error) {
    slackLog.warn({ failure: classifySlackError(error) }, "Slack token not revoked");
    return false;
  }
}

export interface SlackBot {
  id: string;
  teamId: string;
  teamName: string;
  status: "connected" | "error";
  token: string;
}

/** The workspace's bot with its token opened, or null when Slack is not connected. */
export async function loadSlackBot(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<SlackBot | null> {
  const { data, error } = await admin
    .from("slack_connections")
    .select("id, team_id, team_name, status, bot_token_enc")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read Slack connection: ${error.code ?? error.message}`);
  if (!data) return null;
  return {
    id: data.id,
    teamId: data.team_id,
    teamName: data.team_name,
    status: data.status,
    token: openSecret(place(organizationId, data.id), data.bot_token_enc),
  };
}

/** Slack refused the token: the page says "reconnect Slack"; nothing is posted until then. */
export async function markSlackAuthError(
  admin: AdminSupabaseClient,
  organizationId: string,
  error: string,
): Promise<void> {
  const { error: writeError } = await admin
    .from("slack_connections")
    .update({
      status: "error",
      last_error: `Slack refused Patchline's token (${error}). Reconnect Slack.`,
      last_error_at: new Date().toISOString(),
    })
    .eq("organization_id", organizationId);
  if (writeError) throw new Error(`mark Slack connection: ${writeError.code}`);
}

/** Revokes the bot token at Slack (best effort) and deletes the row (its routes go with it). */
export async function disconnectSlack(actor: { organizationId: string; userId: string }) {
  const admin = await createAdminClient({
    reason: "disconnect Slack",
    organizationId: actor.organizationId,
    actorId: actor.userId,
  });
  const bot = await loadSlackBot(admin, actor.organizationId);
  if (!bot) throw new AppError("not_found", "Slack is not connected.");
  const revoked = await revokeQuietly(bot.token);
  const { error } = await admin
    .from("slack_connections")
    .delete()
    .eq("organization_id", actor.organizationId)
    .eq("id", bot.id);
  if (error) throw new Error(`delete Slack connection: ${error.code}`);
  await recordIntegrationAudit(admin, {
    organizationId: actor.organizationId,
    action: "integration.disconnected",
    actorId: actor.userId,
    metadata: { provider: "slack", team_id: bot.teamId, token_revoked: revoked },
  });
}

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** Whether the bot is in it (it cannot post elsewhere: "/invite @Patchline"). */
  isMember: boolean;
}

const channelList = z.object({
  channels: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        is_private: z.boolean().optional(),
        is_member: z.boolean().optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** The channels the bot can see (public, and private ones it was invited to), by name. */
export async function listSlackChannels(token: string): Promise<SlackChannel[]> {
  const client = slackClient(token);
  const out: SlackChannel[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const answer = channelList.parse(
      await client.conversations.list({
        types: "public_channel,private_channel",
        exclude_archived: true,
        limit: 200,
        cursor,
      }),
    );
    for (const c of answer.channels)
      out.push({
        id: c.id,
        name: c.name,
        isPrivate: Boolean(c.is_private),
        isMember: Boolean(c.is_member),
      });
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export type ChannelsForSettings =
  | { ok: true; channels: SlackChannel[] }
  | { ok: false; reason: "not_connected" | "refused" | "unavailable" };

/**
 * The bot's channels for the settings page and its save action, read as the owner or admin the
 * guard or page resolved (the token is opened here, server-side, and never leaves).
 */
export async function channelsForSettings(actor: {
  organizationId: string;
  userId: string;
}): Promise<ChannelsForSettings> {
  const admin = await createAdminClient({
    reason: "list Slack channels for notification settings",
    organizationId: actor.organizationId,
    actorId: actor.userId,
  });
  const bot = await loadSlackBot(admin, actor.organizationId);
  if (!bot) return { ok: false, reason: "not_connected" };
  try {
    return { ok: true, channels: await listSlackChannels(bot.token) };
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind === "auth") {
      await markSlackAuthError(admin, actor.organizationId, failure.error);
      return { ok: false, reason: "refused" };
    }
    slackLog.warn({ failure }, "Slack channels not listed");
    return { ok: false, reason: failure.kind === "refused" ? "refused" : "unavailable" };
  }
}
