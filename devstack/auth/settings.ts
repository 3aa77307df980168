import type { ServerResponse } from "node:http";
import type { AuthDeps } from "./deps";
import { sendJson } from "./errors";

const PROVIDERS = [
  "anonymous_users",
  "apple",
  "azure",
  "bitbucket",
  "discord",
  "facebook",
  "snapchat",
  "figma",
  "fly",
  "github",
  "gitlab",
  "google",
  "keycloak",
  "kakao",
  "linkedin",
  "linkedin_oidc",
  "notion",
  "spotify",
  "slack",
  "slack_oidc",
  "workos",
  "twitch",
  "twitter",
  "email",
  "phone",
  "zoom",
] as const;

/** Providers the devstack serves: email/password and the stand-in GitHub and Google. */
const ENABLED = new Set<string>(["email", "github", "google"]);

/** GET /settings (GoTrue's `Settings`). */
export function handleSettings(deps: AuthDeps, res: ServerResponse): void {
  const external: Record<string, boolean> = {};
  for (const p of PROVIDERS) external[p] = ENABLED.has(p);
  sendJson(res, 200, {
    external,
    disable_signup: false,
    mailer_autoconfirm: deps.config.auth.autoconfirm,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  });
}

/** GET /health (GoTrue's `HealthCheck`). */
export function handleHealth(res: ServerResponse): void {
  sendJson(res, 200, {
    version: "devstack",
    name: "GoTrue",
    description: "GoTrue is a user registration and authentication API",
  });
}

/**
 * GET /.well-known/jwks.json: GoTrue never publishes HMAC keys, so with the shared HS256 secret
 * the list is empty (and cached for 10 minutes).
 */
export function handleJwks(res: ServerResponse): void {
  res.setHeader("Cache-Control", "public, max-age=600");
  sendJson(res, 200, { keys: [] });
}
