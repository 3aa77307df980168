import pino, { type DestinationStream, type Logger } from "pino";
import { logLevelFromEnv } from "./env";

/**
 * Structured logging with redaction, and the scrubber Sentry's `beforeSend` shares.
 *
 * Redaction happens twice:
 * - by key: any property whose name looks like a secret, token, password, cookie or email is
 *   replaced by "[redacted]", at any depth;
 * - by value: every string (messages included) has email addresses, JWTs, bearer tokens,
 *   Supabase auth cookies, long hex/base64 tokens and secret-bearing URL parameters replaced.
 *
 * Never log ticket text or prompts at all; redaction is the net, not the plan.
 */

export const REDACTED = "[redacted]";

/** Property names whose values are never logged. */
const SENSITIVE_KEY =
  /pass(word|wd|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|apikey|jwt|otp|verifier|auth[-_]?code|credential|private[-_]?key|signature|e-?mail|dsn|set-cookie|session|hash/i;

/** Names that match the pattern above but carry no secret (kept readable in logs). */
const SAFE_KEYS = new Set(["tokenType", "token_type", "hasSession", "sessionCount"]);

/** Identifiers that look like tokens (long hex) but are only correlation ids: kept verbatim. */
const VERBATIM_KEYS = new Set([
  "event_id",
  "trace_id",
  "span_id",
  "parent_span_id",
  "debug_id",
  "replay_id",
  "sid",
  "release",
  "requestId",
  "request_id",
]);

/**
 * A git commit id under a key that says so (`sha`, `headSha`, `merge_commit_sha`, `commit`): public
 * in the repository, and the one fact that tells which build a log line is about, so it is kept.
 * Only an exact 40-hex value: anything else under such a key is scrubbed like any string.
 */
const COMMIT_KEY = /(?:^|_)(?:sha|commit)$|(?:Sha|Commit)$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/;

const VALUE_PATTERNS: Array<[RegExp, string]> = [
  // JWTs (access tokens, API keys)
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[jwt]"],
  // Authorization headers
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  // Supabase auth cookies (sb-<ref>-auth-token[.n]=base64-…)
  [/(sb-[A-Za-z0-9-]+-auth-token(?:-code-verifier)?(?:\.\d+)?=)[^;\s]+/g, "$1[redacted]"],
  [/base64-[A-Za-z0-9+/_=-]{16,}/g, "[redacted]"],
  // secret-bearing query or form parameters
  [
    /([?&#;\s]|^)((?:access_|refresh_|id_)?token(?:_hash)?|code|password|secret|api_?key|key|signature|sig)=([^&#\s"']+)/gi,
    "$1$2=[redacted]",
  ],
  // email addresses
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  // long hex or base64url runs: raw tokens, hashes, keys
  [/\b[a-f0-9]{32,}\b/gi, "[token]"],
  [/(?<![A-Za-z0-9_/-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_/-])/g, "[token]"],
];

/** Replaces secrets inside a string (emails, JWTs, bearer tokens, cookies, token parameters). */
export function scrubString(input: string): string {
  let out = input;
  for (const [pattern, replacement] of VALUE_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function isSensitiveKey(key: string): boolean {
  return !SAFE_KEYS.has(key) && SENSITIVE_KEY.test(key);
}

/**
 * Returns a deep copy of `value` with sensitive keys redacted and every string scrubbed.
 * Errors become plain objects (type, message, stack, code) so nothing hides in their fields.
 */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 12) return "[depth]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) {
    const plain: Record<string, unknown> = {
      type: value.name,
      message: scrubString(value.message),
      stack: value.stack ? scrubString(value.stack) : undefined,
    };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) plain.code = scrub(code, depth + 1, seen);
    if (value.cause !== undefined) plain.cause = scrub(value.cause, depth + 1, seen);
    return plain;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
  if (value instanceof Headers) {
    const out: Record<string, unknown> = {};
    value.forEach((v, k) => {
      out[k] = isSensitiveKey(k) ? REDACTED : scrubString(v);
    });
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (VERBATIM_KEYS.has(key) && typeof item === "string") out[key] = item;
    else if (COMMIT_KEY.test(key) && typeof item === "string" && COMMIT_SHA.test(item))
      out[key] = item;
    else out[key] = isSensitiveKey(key) ? REDACTED : scrub(item, depth + 1, seen);
  }
  return out;
}

/**
 * Sentry's `beforeSend`/`beforeSendTransaction`/`beforeBreadcrumb`: the same scrubbing as the
 * logs (request cookies and headers, user email, tokens and emails inside messages, exception
 * values and breadcrumbs), plus no IP address.
 */
export function scrubSentryEvent<T>(event: T): T {
  const cleaned = scrub(event) as Record<string, unknown>;
  const user = cleaned.user as Record<string, unknown> | undefined;
  if (user && typeof user === "object") {
    delete user.ip_address;
    delete user.username;
  }
  return cleaned as T;
}

/**
 * Builds a pino logger whose every argument (merge object, message, format arguments, child
 * bindings) goes through `scrub`. Pass a destination to capture output (tests).
 */
export function createLogger(
  options: { level?: string; destination?: DestinationStream; base?: Record<string, unknown> } = {},
): Logger {
  const level = options.level ?? logLevelFromEnv() ?? "info";
  const pinoOptions: pino.LoggerOptions = {
    level,
    base: options.base ?? { app: "patchline" },
    messageKey: "msg",
    // errors are already plain, scrubbed objects (see scrub); pino's serializer would relabel them
    serializers: { err: (value: unknown) => value },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        const cleaned: unknown[] =
          first instanceof Error
            ? [
                { err: scrub(first) },
                ...(rest.length ? rest : [first.message]).map((a) => scrub(a)),
              ]
            : args.map((arg) => scrub(arg));
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
    // Backstop for values that reach pino by other routes (e.g. serializers).
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "access_token",
        "refresh_token",
        "*.access_token",
        "*.refresh_token",
        "authorization",
        "*.authorization",
        "headers.cookie",
        "*.headers.cookie",
        "email",
        "*.email",
      ],
      censor: REDACTED,
    },
  };
  const logger = options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
  return withScrubbedChildren(logger);
}

/** pino applies no formatter to child bindings, so scrub them on the way in, at every level. */
function withScrubbedChildren(logger: Logger): Logger {
  const child = logger.child.bind(logger);
  const scrubbedChild = (bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) =>
    withScrubbedChildren(child(scrub(bindings) as pino.Bindings, childOptions) as Logger);
  logger.child = scrubbedChild as unknown as Logger["child"];
  return logger;
}

/** The app's logger. Use `log.child({ module: "…" })` per module. */
export const log: Logger = createLogger();

export type { Logger };
