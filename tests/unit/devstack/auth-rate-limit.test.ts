import { mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  AuthRateLimits,
  IntervalCounter,
  KeyedTokenBuckets,
  RAISED_RATE_LIMIT_ENV,
  raisedRateLimitEnv,
} from "@/devstack/auth/rate-limit";
import { readSupabaseConfig } from "@/devstack/config-toml";

const T0 = 1_800_000_000_000;
const req = (ip: string, forwarded?: string) =>
  ({
    headers: forwarded ? { "x-forwarded-for": forwarded } : {},
    socket: { remoteAddress: ip },
  }) as unknown as IncomingMessage;

const settings = {
  emailSent: 2,
  smsSent: 30,
  anonymousUsers: 3,
  tokenRefresh: 150,
  signInSignUps: 30,
  tokenVerifications: 30,
};

/** Counts how many of `n` calls pass. */
function passes(n: number, fn: () => void): number {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    try {
      fn();
      ok++;
    } catch {
      // refused
    }
  }
  return ok;
}

describe("KeyedTokenBuckets (tollbooth / x/time/rate)", () => {
  it("starts full at the burst, refills at the rate up to the burst, per key", () => {
    const b = new KeyedTokenBuckets(30 / 300, 30, 3_600_000);
    let ok = 0;
    for (let i = 0; i < 40; i++) if (b.take("a", T0)) ok++;
    expect(ok).toBe(30);
    expect(b.take("b", T0)).toBe(true);
    // 30 per 5 minutes: one token every 10 s, never more than the burst.
    expect(b.take("a", T0 + 9_000)).toBe(false);
    expect(b.take("a", T0 + 10_000)).toBe(true);
    expect(b.take("a", T0 + 10_500)).toBe(false);
    let later = 0;
    for (let i = 0; i < 40; i++) if (b.take("a", T0 + 3_000_000)) later++;
    expect(later).toBe(30);
  });

  it("forgets a key after its TTL, as tollbooth's expirable store", () => {
    const b = new KeyedTokenBuckets(0, 1, 60_000);
    expect(b.take("a", T0)).toBe(true);
    expect(b.take("a", T0 + 59_999)).toBe(false);
    expect(b.take("a", T0 + 60_000)).toBe(true);
  });
});

describe("IntervalCounter (GoTrue's IntervalLimiter)", () => {
  it("allows `limit` events per fixed interval, reset when the interval has passed", () => {
    const c = new IntervalCounter(2, 3_600_000, T0);
    expect([c.allow(T0), c.allow(T0 + 1), c.allow(T0 + 2)]).toEqual([true, true, false]);
    expect(c.allow(T0 + 3_599_999)).toBe(false);
    expect(c.allow(T0 + 3_600_000)).toBe(true);
  });
});

describe("AuthRateLimits", () => {
  it("answers GoTrue's 429 over_request_rate_limit per limiter and per address", () => {
    let now = T0;
    const limits = new AuthRateLimits({ ...settings, tokenRefresh: 1 }, () => now);
    expect(passes(40, () => limits.assertRequest("token", req("10.0.0.1")))).toBe(30);
    try {
      limits.assertRequest("token", req("10.0.0.1"));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({
        status: 429,
        code: "over_request_rate_limit",
        message: "Request rate limit reached",
      });
    }
    // Another address, and another limiter for the same address, have their own buckets.
    expect(passes(1, () => limits.assertRequest("token", req("10.0.0.2")))).toBe(1);
    expect(passes(1, () => limits.assertRequest("verify", req("10.0.0.1")))).toBe(1);
    // The first X-Forwarded-For value is the address, as GoTrue's rate-limit header.
    expect(
      passes(31, () => limits.assertRequest("signups", req("127.0.0.1", "1.2.3.4, 5.6.7.8"))),
    ).toBe(30);
    expect(passes(1, () => limits.assertRequest("signups", req("127.0.0.1", "1.2.3.5")))).toBe(1);
    // token_refresh = 1 per 5 minutes: the next token comes 300 s later.
    now += 299_000;
    expect(passes(1, () => limits.assertRequest("token", req("10.0.0.1")))).toBe(0);
    now += 1_000;
    expect(passes(2, () => limits.assertRequest("token", req("10.0.0.1")))).toBe(1);
  });

  it("lets anonymous_users burst to the whole hourly number", () => {
    const limits = new AuthRateLimits(settings, () => T0);
    expect(passes(10, () => limits.assertRequest("anonymous", req("10.0.0.1")))).toBe(3);
  });

  it("counts email_sent for the whole service per hour: 429 over_email_send_rate_limit", () => {
    let now = T0;
    const limits = new AuthRateLimits(settings, () => now);
    limits.assertEmail();
    limits.assertEmail();
    expect(() => limits.assertEmail()).toThrow(
      expect.objectContaining({
        status: 429,
        code: "over_email_send_rate_limit",
        message: "Email rate limit exceeded",
      }),
    );
    now += 3_600_000;
    expect(() => limits.assertEmail()).not.toThrow();
  });
});

describe("raised limits for the test and dev devstacks", () => {
  it("override config.toml through SUPABASE_AUTH_RATE_LIMIT_*, unless the caller set one", () => {
    const env = raisedRateLimitEnv({ SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT: "7" });
    expect(env.SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT).toBeUndefined();
    const project = readSupabaseConfig("supabase/config.toml", {
      ...env,
      SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT: "7",
    });
    expect(project.auth.rateLimit).toEqual({
      emailSent: 7,
      smsSent: Number(RAISED_RATE_LIMIT_ENV.SUPABASE_AUTH_RATE_LIMIT_SMS_SENT),
      anonymousUsers: Number(RAISED_RATE_LIMIT_ENV.SUPABASE_AUTH_RATE_LIMIT_ANONYMOUS_USERS),
      tokenRefresh: Number(RAISED_RATE_LIMIT_ENV.SUPABASE_AUTH_RATE_LIMIT_TOKEN_REFRESH),
      signInSignUps: Number(RAISED_RATE_LIMIT_ENV.SUPABASE_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS),
      tokenVerifications: Number(
        RAISED_RATE_LIMIT_ENV.SUPABASE_AUTH_RATE_LIMIT_TOKEN_VERIFICATIONS,
      ),
    });
    // Without the overrides, Patchline's own limits from config.toml.
    expect(readSupabaseConfig("supabase/config.toml", {}).auth.rateLimit).toMatchObject({
      emailSent: 30,
      signInSignUps: 30,
      tokenRefresh: 150,
      tokenVerifications: 30,
    });
  });

  it("reads email_sent only with custom SMTP, as the CLI; GoTrue's 30 per hour otherwise", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rate-limit-toml-"));
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const plain = write("plain.toml", "[auth.rate_limit]\nemail_sent = 5\nanonymous_users = 4\n");
    const smtp = write(
      "smtp.toml",
      "[auth.rate_limit]\nemail_sent = 5\n[auth.email.smtp]\nenabled = true\n",
    );
    expect(readSupabaseConfig(plain, {}).auth.rateLimit).toMatchObject({
      emailSent: 30,
      anonymousUsers: 4,
    });
    expect(readSupabaseConfig(smtp, {}).auth.rateLimit.emailSent).toBe(5);
    expect(
      readSupabaseConfig(plain, { SUPABASE_AUTH_RATE_LIMIT_EMAIL_SENT: "9" }).auth.rateLimit
        .emailSent,
    ).toBe(9);
  });
});
