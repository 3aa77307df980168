import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { ProviderRefusedError, ProviderUnavailableError } from "../provider-errors";
import type { IntegrationCredentials, RefreshedTokens } from "../token-refresh";

/**
 * The GitHub App through octokit: an app JWT (RS256, @octokit/auth-app) buys installation access
 * tokens (`POST /app/installations/{id}/access_tokens`, valid one hour), which the REST client
 * (@octokit/rest) uses against GITHUB_API_BASE. An installation has no refresh token: "refresh"
 * means minting a new installation token.
 */
export interface GitHubAppConfig {
  appId: string;
  /** PEM; `\n` escapes (as env files store it) are accepted. */
  privateKey: string;
  apiBaseUrl: string;
}

/** An Octokit acting as the App itself (app JWT): installations, uninstall. */
export function appOctokit(config: GitHubAppConfig): Octokit {
  return new Octokit({
    baseUrl: config.apiBaseUrl.replace(/\/+$/, ""),
    authStrategy: createAppAuth,
    auth: { appId: config.appId, privateKey: config.privateKey.replaceAll("\\n", "\n") },
  });
}

/** An Octokit acting as one installation (repositories, contents, pulls…). */
export function installationOctokit(apiBaseUrl: string, token: string): Octokit {
  return new Octokit({ baseUrl: apiBaseUrl.replace(/\/+$/, ""), auth: token });
}

/** A new installation access token for the integration's installation id. */
export async function mintInstallationToken(
  config: GitHubAppConfig,
  credentials: Pick<IntegrationCredentials, "externalAccountId">,
): Promise<RefreshedTokens> {
  const installationId = Number(credentials.externalAccountId);
  if (!Number.isSafeInteger(installationId) || installationId <= 0) {
    throw new ProviderRefusedError("The GitHub installation id is not valid. Reinstall the app.");
  }
  try {
    const auth = (await appOctokit(config).auth({
      type: "installation",
      installationId,
      refresh: true, // the cached token is what we are replacing
    })) as { token: string; expiresAt?: string };
    return {
      accessToken: auth.token,
      expiresAt: auth.expiresAt ? new Date(auth.expiresAt) : null,
    };
  } catch (error) {
    const status = (error as { status?: number }).status;
    // 404: uninstalled; 403: suspended; 401: the app's own key is wrong — a person must act
    if (status === 404 || status === 403 || status === 401) {
      throw new ProviderRefusedError(
        `GitHub refused an installation token (HTTP ${status}). Reinstall the GitHub App.`,
      );
    }
    throw new ProviderUnavailableError("GitHub installation token request failed", {
      cause: error,
    });
  }
}
