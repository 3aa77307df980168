import "server-only";
import { serverEnv, siteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { GitHubAppConfig } from "./github/app";
import type { OAuthProvider } from "./oauth-state";
import type { ZendeskConfig } from "./zendesk/client-config";

/**
 * The connect flows' configuration, from lib/env.ts. Redirect URIs are fixed: built from
 * NEXT_PUBLIC_SITE_URL, never from the request, so a forged Host header cannot send a code
 * elsewhere. GitHub's is the App's "Setup URL" (GitHub sends `installation_id` there).
 */
export function redirectUri(provider: OAuthProvider): string {
  const last = provider === "github" ? "setup" : "callback";
  return `${siteUrl()}/api/integrations/${provider}/${last}`;
}

function missing(provider: string, names: string[]): never {
  // a configuration gap, not the user's fault; the message names variables, never values
  throw new AppError("unavailable", `${provider} is not configured on this server.`, {
    cause: new Error(`missing ${names.join(", ")}`),
  });
}

export function zendeskConfig(): ZendeskConfig {
  const env = serverEnv();
  if (!env.ZENDESK_CLIENT_ID || !env.ZENDESK_CLIENT_SECRET) {
    missing("Zendesk", ["ZENDESK_CLIENT_ID", "ZENDESK_CLIENT_SECRET"]);
  }
  return {
    baseUrlTemplate: env.ZENDESK_BASE_URL,
    clientId: env.ZENDESK_CLIENT_ID,
    clientSecret: env.ZENDESK_CLIENT_SECRET,
  };
}

export interface IntercomConfig {
  apiBase: string;
  oauthBase: string;
  clientId: string;
  clientSecret: string;
}

export function intercomConfig(): IntercomConfig {
  const env = serverEnv();
  if (!env.INTERCOM_CLIENT_ID || !env.INTERCOM_CLIENT_SECRET) {
    missing("Intercom", ["INTERCOM_CLIENT_ID", "INTERCOM_CLIENT_SECRET"]);
  }
  return {
    apiBase: env.INTERCOM_API_BASE.replace(/\/+$/, ""),
    oauthBase: env.INTERCOM_OAUTH_BASE.replace(/\/+$/, ""),
    clientId: env.INTERCOM_CLIENT_ID,
    clientSecret: env.INTERCOM_CLIENT_SECRET,
  };
}

export function githubAppConfig(): GitHubAppConfig & { slug: string; webBase: string } {
  const env = serverEnv();
  if (!env.GITHUB_APP_ID || !env.GITHUB_APP_PRIVATE_KEY || !env.GITHUB_APP_SLUG) {
    missing("GitHub", ["GITHUB_APP_ID", "GITHUB_APP_SLUG", "GITHUB_APP_PRIVATE_KEY"]);
  }
  return {
    appId: env.GITHUB_APP_ID,
    privateKey: env.GITHUB_APP_PRIVATE_KEY,
    apiBaseUrl: env.GITHUB_API_BASE,
    slug: env.GITHUB_APP_SLUG,
    webBase: env.GITHUB_WEB_BASE.replace(/\/+$/, ""),
  };
}
