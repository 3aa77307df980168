import type { IncomingMessage, ServerResponse } from "node:http";
import type { DevstackContext, MountedService } from "../shared/context";
import {
  handleCreateUser,
  handleDeleteUser,
  handleGetUserAdmin,
  handleListUsers,
  handleUpdateUserAdmin,
} from "./admin";
import { handleDeleteFactorAdmin, handleListFactorsAdmin } from "./admin-factors";
import { handleGenerateLink, handleInvite } from "./admin-links";
import type { AuthDeps, AuthTimings } from "./deps";
import { AuthError, OAuthError, sendError, WeakPasswordError } from "./errors";
import { handleIdpPage, handleIdpSubmit } from "./idp-page";
import { Lockout } from "./lockout";
import { handleLogout } from "./logout";
import { handleChallenge, handleEnroll, handleUnenroll, handleVerifyFactor } from "./mfa";
import { handleAuthorize, handleCallback } from "./oauth";
import { type PasswordPolicy, requiredCharactersOf } from "./password-policy";
import { AuthRateLimits, type IpLimiter, type RateLimitSettings } from "./rate-limit";
import { handleReauthenticate } from "./reauthenticate";
import { handleRecover } from "./recover";
import { handleOtp, handleResend } from "./resend";
import { handleHealth, handleJwks, handleSettings } from "./settings";
import { JwtKeyring } from "./signing-keys";
import { handleSignup } from "./signup";
import { handleToken } from "./token";
import { handleGetUser, handleUpdateUser } from "./user";
import { handleVerifyGet, handleVerifyPost } from "./verify";

export { type JwtClaims, signApiKeys, type VerifyResult, verifyJwt } from "./jwt";

/** GoTrue's fixed timings; the configurable ones come from config.toml (see `createAuthDeps`). */
export const DEFAULT_TIMINGS: Pick<AuthTimings, "flowStateExpiry" | "mfaChallengeExpiry"> = {
  flowStateExpiry: 300,
  mfaChallengeExpiry: 300,
};

export interface AuthServiceOptions {
  timings?: Partial<AuthTimings>;
  policy?: Partial<PasswordPolicy>;
  now?: () => Date;
  /** Overrides `[auth.email] secure_password_change` of config.toml. */
  securePasswordChange?: boolean;
  /** Overrides `[auth.rate_limit]` of config.toml. */
  rateLimit?: Partial<RateLimitSettings>;
}

type Handler = (
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  params: string[],
) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** GoTrue's limitHandler in front of the route; others limit inside the handler. */
  limit?: IpLimiter;
}

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/health$/, handler: (_d, _q, res) => handleHealth(res) },
  { method: "GET", pattern: /^\/settings$/, handler: (d, _q, res) => handleSettings(d, res) },
  {
    method: "GET",
    pattern: /^\/\.well-known\/jwks\.json$/,
    handler: (d, _q, res) => handleJwks(d, res),
  },
  { method: "POST", pattern: /^\/signup$/, handler: handleSignup },
  { method: "POST", pattern: /^\/token$/, handler: handleToken },
  { method: "GET", pattern: /^\/user$/, handler: handleGetUser },
  { method: "PUT", pattern: /^\/user$/, handler: handleUpdateUser },
  { method: "POST", pattern: /^\/logout$/, handler: handleLogout },
  {
    method: "GET",
    pattern: /^\/reauthenticate$/,
    handler: (d, req, res) => handleReauthenticate(d, req, res),
  },
  { method: "POST", pattern: /^\/recover$/, handler: handleRecover, limit: "recover" },
  { method: "POST", pattern: /^\/resend$/, handler: handleResend, limit: "resend" },
  { method: "POST", pattern: /^\/otp$/, handler: handleOtp, limit: "otp" },
  { method: "GET", pattern: /^\/verify$/, handler: handleVerifyGet, limit: "verify" },
  { method: "POST", pattern: /^\/verify$/, handler: handleVerifyPost, limit: "verify" },
  {
    method: "GET",
    pattern: /^\/authorize$/,
    handler: (d, _q, res, url) => handleAuthorize(d, res, url),
  },
  { method: "GET", pattern: /^\/callback$/, handler: handleCallback },
  { method: "POST", pattern: /^\/callback$/, handler: handleCallback },
  { method: "POST", pattern: /^\/factors$/, handler: handleEnroll },
  { method: "GET", pattern: /^\/admin\/users$/, handler: handleListUsers },
  {
    method: "POST",
    pattern: /^\/admin\/users$/,
    handler: (d, req, res) => handleCreateUser(d, req, res),
  },
  {
    method: "GET",
    pattern: /^\/admin\/users\/([^/]+)$/,
    handler: (d, req, res, _u, p) => handleGetUserAdmin(d, req, res, p[0] ?? ""),
  },
  {
    method: "PUT",
    pattern: /^\/admin\/users\/([^/]+)$/,
    handler: (d, req, res, _u, p) => handleUpdateUserAdmin(d, req, res, p[0] ?? ""),
  },
  {
    method: "DELETE",
    pattern: /^\/admin\/users\/([^/]+)$/,
    handler: (d, req, res, _u, p) => handleDeleteUser(d, req, res, p[0] ?? ""),
  },
  {
    method: "GET",
    pattern: /^\/admin\/users\/([^/]+)\/factors$/,
    handler: (d, req, res, _u, p) => handleListFactorsAdmin(d, req, res, p[0] ?? ""),
  },
  {
    method: "DELETE",
    pattern: /^\/admin\/users\/([^/]+)\/factors\/([^/]+)$/,
    handler: (d, req, res, _u, p) => handleDeleteFactorAdmin(d, req, res, p[0] ?? "", p[1] ?? ""),
  },
  { method: "POST", pattern: /^\/admin\/generate_link$/, handler: handleGenerateLink },
  { method: "POST", pattern: /^\/invite$/, handler: handleInvite },
  {
    method: "POST",
    pattern: /^\/factors\/([^/]+)\/challenge$/,
    handler: (d, req, res, _u, p) => handleChallenge(d, req, res, p[0] ?? ""),
  },
  {
    method: "POST",
    pattern: /^\/factors\/([^/]+)\/verify$/,
    handler: (d, req, res, _u, p) => handleVerifyFactor(d, req, res, p[0] ?? ""),
  },
  {
    method: "DELETE",
    pattern: /^\/factors\/([^/]+)$/,
    handler: (d, req, res, _u, p) => handleUnenroll(d, req, res, p[0] ?? ""),
  },
  {
    method: "GET",
    pattern: /^\/idp\/([a-z]+)\/authorize$/,
    handler: (d, _q, res, url, p) => handleIdpPage(d, res, url, p[0] ?? ""),
  },
  {
    method: "POST",
    pattern: /^\/idp\/([a-z]+)\/authorize$/,
    handler: (d, req, res, _u, p) => handleIdpSubmit(d, req, res, p[0] ?? ""),
  },
];

/** Builds the dependencies from the devstack context (exported for tests that drive handlers). */
export function createAuthDeps(ctx: DevstackContext, options: AuthServiceOptions = {}): AuthDeps {
  const { config } = ctx;
  return {
    config,
    db: ctx.adminPool,
    mailbox: ctx.mailbox,
    log: ctx.log,
    policy: {
      minLength: config.auth.passwordMinLength,
      requiredCharacters: requiredCharactersOf(config.auth.passwordRequirements),
      rejectCommon: config.auth.passwordHibpEnabled,
      ...options.policy,
    },
    timings: {
      ...DEFAULT_TIMINGS,
      refreshTokenReuseInterval: config.auth.refreshTokenReuseInterval,
      otpExpiry: config.auth.email.otpExpiry,
      emailMaxFrequency: config.auth.email.maxFrequency,
      ...options.timings,
    },
    lockout: new Lockout(config.auth.lockoutAttempts, config.auth.lockoutSeconds),
    rateLimits: new AuthRateLimits({ ...config.auth.rateLimit, ...options.rateLimit }, () =>
      (options.now ?? (() => new Date()))().getTime(),
    ),
    keyring: new JwtKeyring(config.jwtSecret, config.auth.signingKeys),
    securePasswordChange: options.securePasswordChange ?? config.auth.email.securePasswordChange,
    now: options.now ?? (() => new Date()),
  };
}

/**
 * The `/auth/v1` service: the subset of GoTrue that @supabase/supabase-js and @supabase/ssr use,
 * with GoTrue's status codes, error codes and bodies. `path` is what follows `/auth/v1`.
 */
export function createAuthService(
  ctx: DevstackContext,
  options: AuthServiceOptions = {},
): MountedService {
  const deps = createAuthDeps(ctx, options);
  return {
    async handle(req, res, path, url) {
      const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
      try {
        let pathMatched = false;
        for (const route of ROUTES) {
          const m = route.pattern.exec(path);
          if (!m) continue;
          pathMatched = true;
          if (route.method !== method) continue;
          if (route.limit) deps.rateLimits.assertRequest(route.limit, req);
          await route.handler(deps, req, res, url, m.slice(1));
          return;
        }
        if (pathMatched) throw new AuthError(405, "method_not_allowed", "Method Not Allowed");
        throw new AuthError(404, "not_found", "Not Found");
      } catch (err) {
        // Client errors are answers, not failures: only log what the caller could not have caused.
        const answered =
          err instanceof AuthError || err instanceof WeakPasswordError || err instanceof OAuthError;
        if (!answered) {
          const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
          ctx.log(`auth: ${method} ${path} failed: ${detail}`);
        }
        if (res.headersSent) {
          res.end();
          return;
        }
        sendError(req, res, err);
      }
    },
  };
}
