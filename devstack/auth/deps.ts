import type pg from "pg";
import type { DevstackConfig } from "../config";
import type { MailSink } from "../shared/context";
import type { Lockout } from "./lockout";
import type { PasswordPolicy } from "./password-policy";
import type { AuthRateLimits } from "./rate-limit";
import type { JwtKeyring } from "./signing-keys";

/** Anything that runs SQL: the pool or a client inside a transaction. */
export interface Db {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** Timings GoTrue takes from its configuration; defaults are the Supabase CLI's. */
export interface AuthTimings {
  /** `refresh_token_reuse_interval` (seconds). */
  refreshTokenReuseInterval: number;
  /** `otp_expiry`: how long email links and codes stay valid (seconds). */
  otpExpiry: number;
  /** GoTrue's `FlowStateExpiryDuration` (seconds). */
  flowStateExpiry: number;
  /** `mfa.challenge_expiry_duration` (seconds). */
  mfaChallengeExpiry: number;
  /** `[auth.email] max_frequency`: minimum seconds between two mails of one kind to a user. */
  emailMaxFrequency: number;
}

/** What every endpoint module receives. */
export interface AuthDeps {
  config: DevstackConfig;
  db: pg.Pool;
  mailbox: MailSink;
  log: (line: string) => void;
  policy: PasswordPolicy;
  timings: AuthTimings;
  lockout: Lockout;
  /** `[auth.rate_limit]`: GoTrue's per-IP request limits and the hourly email budget. */
  rateLimits: AuthRateLimits;
  /** Signs access tokens and verifies bearer tokens (signing keys + the legacy HS256 secret). */
  keyring: JwtKeyring;
  /** `secure_password_change`: sessions older than 24 h need a reauthentication nonce. */
  securePasswordChange: boolean;
  /** The clock; tests of expiry logic replace it. */
  now: () => Date;
}
