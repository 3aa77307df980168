import "server-only";
import { serverEnv } from "@/lib/env";
import { mintInstallationToken } from "./github/app";
import type { Refresher } from "./token-refresh";
import { refreshZendeskToken } from "./zendesk/oauth";

/**
 * The per-provider token refreshers, configured from lib/env.ts. Intercom access tokens do not
 * expire (Intercom issues no refresh tokens), so an Intercom integration has no token_expires_at
 * and never reaches a refresher.
 */
export function providerRefreshers(): Record<"zendesk" | "github", Refresher> {
  const env = serverEnv();
  return {
    zendesk: (credentials) => {
      if (!env.ZENDESK_CLIENT_ID || !env.ZENDESK_CLIENT_SECRET) {
        throw new Error("ZENDESK_CLIENT_ID and ZENDESK_CLIENT_SECRET are needed to refresh tokens");
      }
      return refreshZendeskToken(
        {
          baseUrlTemplate: env.ZENDESK_BASE_URL,
          clientId: env.ZENDESK_CLIENT_ID,
          clientSecret: env.ZENDESK_CLIENT_SECRET,
        },
        credentials,
      );
    },
    github: (credentials) => {
      if (!env.GITHUB_APP_ID || !env.GITHUB_APP_PRIVATE_KEY) {
        throw new Error(
          "GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are needed for installation tokens",
        );
      }
      return mintInstallationToken(
        {
          appId: env.GITHUB_APP_ID,
          privateKey: env.GITHUB_APP_PRIVATE_KEY,
          apiBaseUrl: env.GITHUB_API_BASE,
        },
        credentials,
      );
    },
  };
}
