import "server-only";
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from "@slack/web-api";
import { serverEnv } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * The official Slack SDK (`@slack/web-api`), pointed at SLACK_API_URL (Slack, or the devstack's
 * sandbox). Its own retries are off and rate-limited calls are rejected: the Inngest step is what
 * retries (durably, with Retry-After), so a retry goes through the ledger's checks every time.
 */

const sdkLog = log.child({ module: "slack.web-api" });

export function slackClient(token?: string): WebClient {
  const env = serverEnv();
  return new WebClient(token, {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    // the SDK's logger prints request options (which can hold the token): ours, errors only
    logLevel: LogLevel.ERROR,
    logger: {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (...msgs: unknown[]) =>
        sdkLog.error({ sdk: msgs.map(String).join(" ").slice(0, 200) }),
      setLevel: () => {},
      getLevel: () => LogLevel.ERROR,
      setName: () => {},
    },
  });
}

/** Slack's answers that mean the channel cannot take our posts until a person acts. */
export const CHANNEL_REFUSALS = ["not_in_channel", "channel_not_found", "is_archived"] as const;
export type ChannelRefusal = (typeof CHANNEL_REFUSALS)[number];

/** Slack's answers that mean the token is no good: reconnect Slack. */
const AUTH_REFUSALS = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "missing_scope",
]);

export type SlackFailure =
  | { kind: "channel"; error: ChannelRefusal }
  | { kind: "auth"; error: string }
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** An outage, a timeout, a lost answer: try again (the ledger keeps it to one post). */
  | { kind: "transient"; error: string }
  /** Any other refusal: trying again would get the same answer. */
  | { kind: "refused"; error: string };

export function classifySlackError(error: unknown): SlackFailure {
  if (error instanceof WebAPIRateLimitedError)
    return { kind: "rate_limited", retryAfterSeconds: Math.max(1, error.retryAfter) };
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    if ((CHANNEL_REFUSALS as readonly string[]).includes(code))
      return { kind: "channel", error: code as ChannelRefusal };
    if (AUTH_REFUSALS.has(code)) return { kind: "auth", error: code };
    if (code === "ratelimited") return { kind: "rate_limited", retryAfterSeconds: 1 };
    if (code === "internal_error" || code === "fatal_error" || code === "service_unavailable")
      return { kind: "transient", error: code };
    return { kind: "refused", error: code.slice(0, 100) };
  }
  if (error instanceof WebAPIHTTPError)
    return { kind: "transient", error: `http_${error.statusCode}` };
  if (error instanceof WebAPIRequestError) return { kind: "transient", error: "request_failed" };
  return { kind: "transient", error: "unknown" };
}
