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

/**
 * Whether config.toml enables a provider: `[auth.email] enable_signup` (GoTrue's
 * EXTERNAL_EMAIL_ENABLED), `[auth.sms] enable_signup`, `enable_anonymous_sign_ins`, and
 * `[auth.external.<name>] enabled`. The devstack's stand-in identity provider serves GitHub and
 * Google only (devstack/auth/idp-page.ts).
 */
export function providerEnabled(deps: AuthDeps, provider: string): boolean {
  const auth = deps.config.auth;
  if (provider === "email") return auth.email.enableSignup;
  if (provider === "phone") return auth.sms.enableSignup;
  if (provider === "anonymous_users") return auth.enableAnonymousSignIns;
  return auth.external[provider]?.enabled === true;
}

/** GET /settings (GoTrue's `Settings`). */
export function handleSettings(deps: AuthDeps, res: ServerResponse): void {
  const external: Record<string, boolean> = {};
  for (const p of PROVIDERS) external[p] = providerEnabled(deps, p);
  sendJson(res, 200, {
    external,
    disable_signup: !deps.config.auth.enableSignup,
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
 * GET /.well-known/jwks.json (GoTrue's `Jwks`): the public half of every asymmetric signing key
 * (`use: "sig"`, `key_ops: ["verify"]`); HMAC keys and the shared secret are never published.
 * supabase-js's getClaims() verifies ES256/RS256 access tokens locally with it.
 */
export async function handleJwks(deps: AuthDeps, res: ServerResponse): Promise<void> {
  res.setHeader("Cache-Control", "public, max-age=600");
  sendJson(res, 200, await deps.keyring.publicJwks());
}
