import { z } from "zod";
import { ProviderRefusedError, ProviderUnavailableError } from "../provider-errors";
import type { IntegrationCredentials, RefreshedTokens } from "../token-refresh";
import { type ZendeskConfig, zendeskBaseUrl } from "./client-config";

/**
 * Zendesk OAuth token calls (`POST /oauth/tokens` on the account's host). Zendesk has no
 * maintained official Node SDK for OAuth (node-zendesk covers the REST API, not token refresh, and
 * takes its own credentials model), so this is a small fetch client; see docs/integrations.md.
 */

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive().nullish(),
});

const errorResponse = z.object({ error: z.string() }).passthrough();

/** Refreshing with `grant_type=refresh_token`; Zendesk rotates the refresh token on use. */
export async function refreshZendeskToken(
  config: ZendeskConfig,
  credentials: Pick<IntegrationCredentials, "externalAccountId" | "refreshToken">,
  options: { now?: () => number; timeoutMs?: number } = {},
): Promise<RefreshedTokens> {
  if (!credentials.refreshToken) {
    throw new ProviderRefusedError(
      "Zendesk access expired and no refresh token is stored. Reconnect Zendesk.",
    );
  }
  const url = `${zendeskBaseUrl(config.baseUrlTemplate, credentials.externalAccountId)}/oauth/tokens`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        grant_type: "refresh_token",
        refresh_token: credentials.refreshToken,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new ProviderUnavailableError("Zendesk token endpoint unreachable", { cause: error });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) throw new ProviderUnavailableError("Zendesk token response malformed");
    const now = (options.now ?? Date.now)();
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresAt: parsed.data.expires_in ? new Date(now + parsed.data.expires_in * 1000) : null,
    };
  }
  const code = errorResponse.safeParse(body).data?.error;
  // 400 invalid_grant / 401 invalid_client: the grant is gone for good, only a reconnect helps
  if (code === "invalid_grant" || code === "invalid_client" || response.status === 401) {
    throw new ProviderRefusedError(
      `Zendesk refused to renew access (${code ?? `HTTP ${response.status}`}). Reconnect Zendesk.`,
    );
  }
  throw new ProviderUnavailableError(`Zendesk token refresh failed (HTTP ${response.status})`);
}
