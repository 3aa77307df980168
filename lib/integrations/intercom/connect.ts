import { z } from "zod";
import type { IntercomConfig } from "../provider-config";
import { ProviderRefusedError, ProviderUnavailableError } from "../provider-errors";

/**
 * Intercom's connect and disconnect calls: authorize URL, code → token (`/auth/eagle/token`),
 * the workspace (`/me`) and its teams (`/teams`), and uninstall (revokes the token). The OAuth
 * calls are not in intercom-client (docs/integrations.md), and these four are one request
 * each, so a fetch client with zod-parsed answers. Intercom tokens do not expire.
 */

const TIMEOUT_MS = 15_000;

export function intercomAuthorizeUrl(
  config: IntercomConfig,
  params: { redirectUri: string; state: string },
): string {
  const url = new URL(`${config.oauthBase}/oauth`);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("state", params.state);
  return url.toString();
}

async function call(
  config: IntercomConfig,
  what: string,
  path: string,
  init: { method: string; token?: string; body?: unknown },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}${path}`, {
      method: init.method,
      headers,
      body: init.body ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ProviderUnavailableError(`Intercom ${what}: unreachable`, { cause: error });
  }
  return { status: response.status, body: await response.json().catch(() => null) };
}

const tokenResponse = z.object({
  token: z.string().min(1).optional(),
  access_token: z.string().min(1).optional(),
});

export async function exchangeIntercomCode(config: IntercomConfig, code: string): Promise<string> {
  const { status, body } = await call(config, "token exchange", "/auth/eagle/token", {
    method: "POST",
    body: { code, client_id: config.clientId, client_secret: config.clientSecret },
  });
  if (status >= 400 && status < 500) {
    throw new ProviderRefusedError(`Intercom refused the authorization (HTTP ${status}).`);
  }
  const parsed = tokenResponse.safeParse(body);
  const token = parsed.data?.access_token ?? parsed.data?.token;
  if (status !== 200 || !token) {
    throw new ProviderUnavailableError(`Intercom token exchange failed (HTTP ${status})`);
  }
  return token;
}

const meResponse = z.object({
  app: z.object({ id_code: z.string().min(1).max(200), name: z.string().max(200).nullish() }),
});
const teamsResponse = z.object({
  teams: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      name: z.string().max(200),
    }),
  ),
});

export interface IntercomWorkspace {
  appId: string;
  name: string | null;
  teams: { id: string; name: string }[];
}

/** The Intercom workspace the token belongs to, with its teams (to pick the one we read). */
export async function readIntercomWorkspace(
  config: IntercomConfig,
  token: string,
): Promise<IntercomWorkspace> {
  const me = await call(config, "/me", "/me", { method: "GET", token });
  const parsedMe = meResponse.safeParse(me.body);
  if (me.status !== 200 || !parsedMe.success) {
    throw new ProviderUnavailableError(`Intercom /me failed (HTTP ${me.status})`);
  }
  const teams = await call(config, "/teams", "/teams", { method: "GET", token });
  const parsedTeams = teamsResponse.safeParse(teams.body);
  if (teams.status !== 200 || !parsedTeams.success) {
    throw new ProviderUnavailableError(`Intercom /teams failed (HTTP ${teams.status})`);
  }
  return {
    appId: parsedMe.data.app.id_code,
    name: parsedMe.data.app.name ?? null,
    teams: parsedTeams.data.teams.slice(0, 100),
  };
}

/** Uninstalls Patchline from the workspace, which revokes the token; already invalid is fine. */
export async function revokeIntercomToken(config: IntercomConfig, token: string): Promise<void> {
  const { status } = await call(config, "uninstall", "/auth/uninstall", { method: "POST", token });
  if (status !== 200 && status !== 204 && status !== 401) {
    throw new ProviderUnavailableError(`Intercom uninstall failed (HTTP ${status})`);
  }
}
