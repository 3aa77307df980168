import { z } from "zod";
import { ProviderRefusedError, ProviderUnavailableError } from "../provider-errors";
import type { RefreshedTokens } from "../token-refresh";
import { type ZendeskConfig, zendeskBaseUrl } from "./client-config";

/**
 * The Zendesk calls of connect and disconnect: the authorize URL, the code exchange, the
 * webhook Patchline creates in the customer's account (and its signing secret), and revocation.
 * A thin fetch client for the same reason as ./oauth.ts (docs/integrations.md): a handful of
 * calls, each response parsed with zod. Errors never carry a token or a secret.
 */

/** The ticket events Patchline's webhook subscribes to (created, comments, status changes). */
export const ZENDESK_WEBHOOK_EVENTS = [
  "zen:event-type:ticket.created",
  "zen:event-type:ticket.comment_added",
  "zen:event-type:ticket.status_changed",
] as const;

const TIMEOUT_MS = 15_000;

export function zendeskAuthorizeUrl(
  config: ZendeskConfig,
  subdomain: string,
  params: { redirectUri: string; state: string },
): string {
  const url = new URL(
    `${zendeskBaseUrl(config.baseUrlTemplate, subdomain)}/oauth/authorizations/new`,
  );
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("scope", "read write");
  url.searchParams.set("state", params.state);
  return url.toString();
}

async function call(
  what: string,
  url: string,
  init: RequestInit & { token?: string },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ProviderUnavailableError(`Zendesk ${what}: unreachable`, { cause: error });
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, body };
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().nullish(),
});

/** Exchanges the authorization code (single use, bound to our fixed redirect URI). */
export async function exchangeZendeskCode(
  config: ZendeskConfig,
  subdomain: string,
  code: string,
  redirectUri: string,
): Promise<RefreshedTokens & { refreshToken: string | null }> {
  const base = zendeskBaseUrl(config.baseUrlTemplate, subdomain);
  const { status, body } = await call("token exchange", `${base}/oauth/tokens`, {
    method: "POST",
    body: JSON.stringify({
      grant_type: "authorization_code",
      code,
      client_id: config.clientId,
      client_secret: config.clientSecret,
      redirect_uri: redirectUri,
      scope: "read write",
    }),
  });
  if (status >= 400 && status < 500) {
    throw new ProviderRefusedError(`Zendesk refused the authorization (HTTP ${status}).`);
  }
  const parsed = tokenResponse.safeParse(body);
  if (status !== 200 || !parsed.success) {
    throw new ProviderUnavailableError(`Zendesk token exchange failed (HTTP ${status})`);
  }
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token ?? null,
    expiresAt: parsed.data.expires_in ? new Date(Date.now() + parsed.data.expires_in * 1000) : null,
  };
}

const webhookResponse = z.object({ webhook: z.object({ id: z.string().min(1).max(200) }) });
const secretResponse = z.object({ signing_secret: z.object({ secret: z.string().min(1) }) });

/**
 * Creates Patchline's webhook in the account (ticket created, commented, status changed) and
 * reads its signing secret. Returns both; the caller stores the secret sealed, never in clear.
 */
export async function createZendeskWebhook(
  config: ZendeskConfig,
  subdomain: string,
  accessToken: string,
  endpoint: string,
): Promise<{ webhookId: string; signingSecret: string }> {
  const base = zendeskBaseUrl(config.baseUrlTemplate, subdomain);
  const created = await call("webhook creation", `${base}/api/v2/webhooks`, {
    method: "POST",
    token: accessToken,
    body: JSON.stringify({
      webhook: {
        name: "Patchline",
        description: "Sends ticket activity to Patchline, which turns bug reports into fixes.",
        endpoint,
        http_method: "POST",
        request_format: "json",
        status: "active",
        subscriptions: ZENDESK_WEBHOOK_EVENTS,
      },
    }),
  });
  const hook = webhookResponse.safeParse(created.body);
  if (created.status !== 201 && created.status !== 200) {
    throw new ProviderUnavailableError(`Zendesk webhook not created (HTTP ${created.status})`);
  }
  if (!hook.success) throw new ProviderUnavailableError("Zendesk webhook response malformed");
  const webhookId = hook.data.webhook.id;
  const secret = await call(
    "webhook signing secret",
    `${base}/api/v2/webhooks/${encodeURIComponent(webhookId)}/signing_secret`,
    { method: "GET", token: accessToken },
  );
  const parsed = secretResponse.safeParse(secret.body);
  if (secret.status !== 200 || !parsed.success) {
    // do not leave a webhook behind that we cannot verify
    await deleteZendeskWebhook(config, subdomain, accessToken, webhookId).catch(() => undefined);
    throw new ProviderUnavailableError(`Zendesk signing secret not read (HTTP ${secret.status})`);
  }
  return { webhookId, signingSecret: parsed.data.signing_secret.secret };
}

/** Deletes the webhook; one already gone (404) counts as deleted. */
export async function deleteZendeskWebhook(
  config: ZendeskConfig,
  subdomain: string,
  accessToken: string,
  webhookId: string,
): Promise<void> {
  const base = zendeskBaseUrl(config.baseUrlTemplate, subdomain);
  const { status } = await call(
    "webhook deletion",
    `${base}/api/v2/webhooks/${encodeURIComponent(webhookId)}`,
    { method: "DELETE", token: accessToken },
  );
  if (status !== 204 && status !== 200 && status !== 404) {
    throw new ProviderUnavailableError(`Zendesk webhook not deleted (HTTP ${status})`);
  }
}

/** Revokes the access token (and with it its refresh token); already invalid (401) is fine. */
export async function revokeZendeskToken(
  config: ZendeskConfig,
  subdomain: string,
  accessToken: string,
): Promise<void> {
  const base = zendeskBaseUrl(config.baseUrlTemplate, subdomain);
  const { status } = await call("token revocation", `${base}/api/v2/oauth/tokens/current.json`, {
    method: "DELETE",
    token: accessToken,
  });
  if (status !== 204 && status !== 200 && status !== 401) {
    throw new ProviderUnavailableError(`Zendesk token not revoked (HTTP ${status})`);
  }
}
