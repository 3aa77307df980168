import type { IncomingMessage } from "node:http";
import { AuthError } from "./errors";
import { clientIp } from "./http";

/** `[auth.rate_limit]` of supabase/config.toml (GoTrue's GOTRUE_RATE_LIMIT_* settings). */
export interface RateLimitSettings {
  /** Emails the auth service may send per hour, all users together. */
  emailSent: number;
  smsSent: number;
  /** Anonymous sign-ins per hour per IP. */
  anonymousUsers: number;
  /** Token grants (password, refresh, PKCE) per 5 minutes per IP. */
  tokenRefresh: number;
  /** Sign-ups, OTP and magic-link sign-ins, recovery, resend, user updates per 5 minutes per IP. */
  signInSignUps: number;
  /** OTP and link verifications per 5 minutes per IP. */
  tokenVerifications: number;
}

/**
 * The per-IP limiters GoTrue keeps (`internal/api/apilimiter`): each endpoint family has its own
 * limiter, so a sign-up does not spend the recovery budget even though both read
 * `sign_in_sign_ups`.
 */
export type IpLimiter =
  | "signups"
  | "recover"
  | "resend"
  | "otp"
  | "user"
  | "token"
  | "verify"
  | "anonymous";

/**
 * Values the test and dev devstacks start with (`SUPABASE_AUTH_RATE_LIMIT_*`, which override
 * config.toml as the CLI's do): the suites sign up and sign in hundreds of times a minute from
 * one address, which Patchline's production limits would refuse. Tests that check the limits
 * start a devstack of their own.
 */
export const RAISED_RATE_LIMIT_ENV: Readonly<Record<string, string>> = {
  SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT: "1000000",
  SUPABASE_AUTH_RATE_LIMIT_SMS_SENT: "1000000",
  SUPABASE_AUTH_RATE_LIMIT_ANONYMOUS_USERS: "1000000",
  SUPABASE_AUTH_RATE_LIMIT_TOKEN_REFRESH: "1000000",
  SUPABASE_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: "1000000",
  SUPABASE_AUTH_RATE_LIMIT_TOKEN_VERIFICATIONS: "1000000",
};

/** RAISED_RATE_LIMIT_ENV without the variables `env` already sets (a developer's own choice wins). */
export function raisedRateLimitEnv(
  env: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(RAISED_RATE_LIMIT_ENV).filter(([k]) => env[k] === undefined || env[k] === ""),
  );
}

/**
 * One token bucket per key, as tollbooth's limiter (golang.org/x/time/rate): a new key starts
 * with `burst` tokens, tokens come back at `perSecond` up to `burst`, each request takes one,
 * and a key is forgotten `ttlMs` after it was first seen (tollbooth's DefaultExpirationTTL).
 */
export class KeyedTokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number; created: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly ttlMs: number,
  ) {}

  /** Takes a token for `key` at `nowMs`; false when none is left. */
  take(key: string, nowMs: number): boolean {
    let b = this.buckets.get(key);
    if (!b || nowMs - b.created >= this.ttlMs) {
      b = { tokens: this.burst, at: nowMs, created: nowMs };
      this.buckets.set(key, b);
      if (this.buckets.size > 10_000) this.sweep(nowMs);
    }
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * this.perSecond);
    b.at = nowMs;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private sweep(nowMs: number): void {
    for (const [k, b] of this.buckets) if (nowMs - b.created >= this.ttlMs) this.buckets.delete(k);
  }
}

/**
 * GoTrue's IntervalLimiter (`internal/ratelimit/interval.go`): at most `limit` events per fixed
 * interval, the count reset when an interval has passed. One for the whole service.
 */
export class IntervalCounter {
  private last: number;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly intervalMs: number,
    startMs: number,
  ) {
    this.last = startMs;
  }

  allow(nowMs: number): boolean {
    const intervals = Math.floor((nowMs - this.last) / this.intervalMs);
    if (intervals > 0) {
      this.last += intervals * this.intervalMs;
      this.count = 0;
    }
    if (this.count < this.limit) {
      this.count += 1;
      return true;
    }
    return false;
  }
}

const FIVE_MINUTES = 300;
const HOUR_MS = 3_600_000;

/**
 * `[auth.rate_limit]` enforced as GoTrue enforces it, keyed by the client address (the first
 * `X-Forwarded-For` value, else the socket's), as GoTrue keys by its rate-limit header:
 * - `token_refresh`, `token_verifications`, `sign_in_sign_ups`: the number per 5 minutes comes
 *   back continuously, with a burst of 30 (GoTrue's fixed burst), per IP;
 * - `anonymous_users`: per hour per IP, burst the whole number;
 * - `email_sent`: every auth mail counts against one hourly window for the whole service.
 * Over a per-IP limit: 429 `over_request_rate_limit` "Request rate limit reached"; over the email
 * limit: 429 `over_email_send_rate_limit` "Email rate limit exceeded". In memory: a restart
 * forgets the counts, as GoTrue's do.
 */
export class AuthRateLimits {
  private readonly ip: Record<IpLimiter, KeyedTokenBuckets>;
  private readonly email: IntervalCounter;

  constructor(
    readonly settings: RateLimitSettings,
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    const per5m = (n: number) => new KeyedTokenBuckets(n / FIVE_MINUTES, 30, HOUR_MS);
    this.ip = {
      signups: per5m(settings.signInSignUps),
      recover: per5m(settings.signInSignUps),
      resend: per5m(settings.signInSignUps),
      otp: per5m(settings.signInSignUps),
      user: per5m(settings.signInSignUps),
      token: per5m(settings.tokenRefresh),
      verify: per5m(settings.tokenVerifications),
      anonymous: new KeyedTokenBuckets(
        settings.anonymousUsers / 3600,
        settings.anonymousUsers,
        HOUR_MS,
      ),
    };
    this.email = new IntervalCounter(settings.emailSent, HOUR_MS, this.nowMs());
  }

  /** Spends one request of `limiter` for the request's address; throws GoTrue's 429 when none is left. */
  assertRequest(limiter: IpLimiter, req: IncomingMessage): void {
    if (!this.ip[limiter].take(clientIp(req), this.nowMs())) {
      throw new AuthError(429, "over_request_rate_limit", "Request rate limit reached");
    }
  }

  /** Spends one email of the hourly budget; throws GoTrue's 429 when it is spent. */
  assertEmail(): void {
    if (!this.email.allow(this.nowMs())) {
      throw new AuthError(429, "over_email_send_rate_limit", "Email rate limit exceeded");
    }
  }
}
