/**
 * The one route table: every link and redirect in app/, components/ and lib/ takes its path from
 * here (`ROUTES`, `orgRoutes(slug)`). Pages live at these paths; change them here and in app/
 * together.
 */
export const ROUTES = {
  signIn: "/sign-in",
  signUp: "/sign-up",
  /** After sign-up when the address must be confirmed first. */
  signUpCheckEmail: "/sign-up/check-email",
  signOut: "/sign-out",
  forgotPassword: "/forgot-password",
  forgotPasswordSent: "/forgot-password/sent",
  resetPassword: "/reset-password",
  /** Email-link landing (token_hash + type), then redirect to `next`. */
  authConfirm: "/auth/confirm",
  /** OAuth / PKCE code exchange, then redirect to `next`. */
  authCallback: "/auth/callback",
  /** TOTP challenge for users with a verified factor whose session is still aal1. */
  mfaChallenge: "/mfa",
  /** First workspace / workspace picker after sign-in. */
  onboarding: "/onboarding",
  /** Invite link: `/invite/<token>`. */
  invite: "/invite",
  /** The signed-in user's own settings (second factor). */
  accountSecurity: "/account/security",
  /** A connect callback (OAuth or GitHub installation) that was refused: `?reason=<why>`. */
  integrationRefused: "/integrations/refused",
  /** A notification email's one-click unsubscribe (`?token=`; GET asks, POST turns it off). */
  unsubscribe: "/unsubscribe",
  home: "/",
} as const;

/** The pages of one workspace, by its slug (the `[org]` segment). */
export const orgRoutes = (slug: string) => {
  const base = `/${encodeURIComponent(slug)}`;
  return {
    home: base,
    members: `${base}/members`,
    settings: `${base}/settings`,
    integrations: `${base}/settings/integrations`,
    notifications: `${base}/settings/notifications`,
    billing: `${base}/settings/billing`,
    audit: `${base}/audit`,
    bugs: `${base}/bugs`,
    bug: (id: string) => `${base}/bugs/${encodeURIComponent(id)}`,
    tickets: `${base}/tickets`,
    ticket: (id: string) => `${base}/tickets/${encodeURIComponent(id)}`,
    /** CSV of the tickets matching the list's filters (a route handler). */
    ticketsCsv: `${base}/tickets/export`,
    review: `${base}/review`,
    codebase: `${base}/codebase`,
    shipped: `${base}/shipped`,
  } as const;
};

/** Paths anyone may open without a session (prefix match on whole segments). */
export const PUBLIC_PATHS: readonly string[] = [
  ROUTES.home,
  ROUTES.signIn,
  ROUTES.signUp,
  ROUTES.forgotPassword,
  ROUTES.resetPassword,
  "/auth",
  ROUTES.invite,
  ROUTES.unsubscribe,
  "/.well-known",
  "/api/inngest",
  "/api/webhooks",
  "/api/health",
];

/** Paths a signed-in user with an unverified second factor (aal1 < aal2) may still open. */
export const MFA_PENDING_PATHS: readonly string[] = [
  ROUTES.mfaChallenge,
  ROUTES.signOut,
  "/auth",
  "/.well-known",
  "/api/inngest",
  "/api/webhooks",
  "/api/health",
];

function matches(pathname: string, prefix: string): boolean {
  if (prefix === "/") return pathname === "/";
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** Whether `pathname` is reachable without a session. */
export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((prefix) => matches(pathname, prefix));
}

/** Whether `pathname` is reachable while the MFA challenge is pending. */
export function isMfaPendingPath(pathname: string): boolean {
  return MFA_PENDING_PATHS.some((prefix) => matches(pathname, prefix));
}

/**
 * A safe post-sign-in redirect target: a same-site absolute path, never `//host` or a URL.
 * Falls back to `fallback` for anything else.
 */
export function safeNextPath(next: string | null | undefined, fallback: string = ROUTES.home) {
  if (!next || typeof next !== "string") return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  // control characters (tabs, newlines) are dropped by URL parsers and can turn "/\t/x" into "//x"
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char === "\u007f")) return fallback;
  try {
    const url = new URL(next, "http://localhost");
    if (url.origin !== "http://localhost") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

/** `/sign-in?next=<path>` for a path that needed a session. */
export function signInUrl(next?: string): string {
  const target = safeNextPath(next, "");
  return target ? `${ROUTES.signIn}?next=${encodeURIComponent(target)}` : ROUTES.signIn;
}

/** `/mfa?next=<path>`: the second-factor challenge, then on to `next`. */
export function mfaChallengeUrl(next: string): string {
  return `${ROUTES.mfaChallenge}?next=${encodeURIComponent(safeNextPath(next))}`;
}

/** The invite link sent by mail (absolute). */
export function inviteUrl(siteUrl: string, token: string): string {
  return new URL(`${ROUTES.invite}/${encodeURIComponent(token)}`, siteUrl).toString();
}
