import { z } from "zod";

/**
 * The environment, read once and validated with zod. Nothing else in the app reads `process.env`
 * except `lib/supabase/admin.ts`, which alone reads and checks the service-role key (this module
 * never sees it).
 *
 * Two halves:
 * - `publicEnv()`: `NEXT_PUBLIC_*` values, safe in the browser bundle. Next inlines them only when
 *   they are written literally as `process.env.NEXT_PUBLIC_…`, hence the explicit object below.
 * - `serverEnv()`: everything else; throws if called in a browser.
 *
 * Both fail fast with one message naming every missing or invalid variable.
 */

const url = z.url({ protocol: /^https?$/ });
const nonEmpty = z.string().trim().min(1);

const DESCRIPTIONS: Record<string, string> = {
  NEXT_PUBLIC_SUPABASE_URL: "the Supabase project URL, e.g. https://<ref>.supabase.co",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "the Supabase anon (publishable) key",
  NEXT_PUBLIC_SITE_URL: "the public URL of this app, e.g. https://app.patchline.dev",
  MAIL_TRANSPORT: '"mailbox" (devstack) or "resend" (production)',
  MAILBOX_URL: "the devstack mailbox URL, required when MAIL_TRANSPORT=mailbox",
  RESEND_API_KEY: "the Resend API key, required when MAIL_TRANSPORT=resend",
  MAIL_FROM: 'the sender, e.g. "Patchline <no-reply@patchline.dev>"',
  INNGEST_SIGNING_KEY: "the Inngest signing key, required in production unless INNGEST_DEV is set",
  INNGEST_EVENT_KEY: "the Inngest event key, required in production unless INNGEST_DEV is set",
  ENCRYPTION_KEYS: "comma-separated <keyId>:<base64 32-byte key>, the first one encrypts",
  OAUTH_STATE_SECRET:
    "at least 32 characters; signs OAuth state (default: derived from ENCRYPTION_KEYS)",
  ZENDESK_BASE_URL:
    "Zendesk base URL with a {subdomain} placeholder, e.g. https://{subdomain}.zendesk.com",
  GITHUB_APP_PRIVATE_KEY: "the GitHub App's private key (PEM; \\n escapes allowed)",
  GITHUB_WEBHOOK_SECRET: "the GitHub App's webhook secret",
  RAZORPAY_WEBHOOK_SECRET: "the Razorpay webhook secret set in the dashboard",
};

/** A URL template with a `{subdomain}` placeholder (Zendesk's per-account hosts). */
const subdomainTemplate = z
  .string()
  .trim()
  .refine((v) => v.includes("{subdomain}") && /^https?:\/\//.test(v), "needs {subdomain}")
  .refine((v) => URL.canParse(v.replaceAll("{subdomain}", "acme")), "is not a URL");

export const publicEnvSchema = z.object({
  NEXT_PUBLIC_SUPABASE_URL: url,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: nonEmpty,
  NEXT_PUBLIC_SITE_URL: url,
  NEXT_PUBLIC_SENTRY_DSN: url.optional(),
});

export type PublicEnv = z.infer<typeof publicEnvSchema>;

export const serverEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    MAIL_TRANSPORT: z.enum(["mailbox", "resend"]).default("mailbox"),
    MAILBOX_URL: url.optional(),
    RESEND_API_KEY: nonEmpty.optional(),
    MAIL_FROM: nonEmpty.default("Patchline <no-reply@patchline.dev>"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    SENTRY_DSN: url.optional(),
    SENTRY_ENVIRONMENT: nonEmpty.optional(),
    INNGEST_DEV: nonEmpty.optional(),
    INNGEST_BASE_URL: url.optional(),
    INNGEST_EVENT_KEY: nonEmpty.optional(),
    INNGEST_SIGNING_KEY: nonEmpty.optional(),
    INNGEST_SIGNING_KEY_FALLBACK: nonEmpty.optional(),
    /** `<keyId>:<base64 32 bytes>[,…]`, first one encrypts (lib/crypto/keyring.ts). */
    ENCRYPTION_KEYS: nonEmpty.optional(),
    /** Signs OAuth `state` (lib/integrations/oauth-state.ts); derived from ENCRYPTION_KEYS if unset. */
    OAUTH_STATE_SECRET: z.string().trim().min(32).optional(),
    // Provider base URLs: the real hosts by default, the devstack's sandboxes locally.
    ZENDESK_BASE_URL: subdomainTemplate.default("https://{subdomain}.zendesk.com"),
    INTERCOM_API_BASE: url.default("https://api.intercom.io"),
    INTERCOM_OAUTH_BASE: url.default("https://app.intercom.com"),
    GITHUB_API_BASE: url.default("https://api.github.com"),
    GITHUB_WEB_BASE: url.default("https://github.com"),
    RAZORPAY_API_BASE: url.default("https://api.razorpay.com"),
    /** Slack's Web API root (`@slack/web-api` appends the method) and OAuth host. */
    SLACK_API_URL: url.default("https://slack.com/api/"),
    SLACK_OAUTH_BASE: url.default("https://slack.com"),
    // Provider app credentials (required where the matching integration is used).
    ZENDESK_CLIENT_ID: nonEmpty.optional(),
    ZENDESK_CLIENT_SECRET: nonEmpty.optional(),
    INTERCOM_CLIENT_ID: nonEmpty.optional(),
    INTERCOM_CLIENT_SECRET: nonEmpty.optional(),
    GITHUB_APP_ID: nonEmpty.optional(),
    GITHUB_APP_SLUG: nonEmpty.optional(),
    GITHUB_APP_PRIVATE_KEY: nonEmpty.optional(),
    /** Razorpay API keys (lib/billing/razorpay/client.ts); billing cannot subscribe without them. */
    RAZORPAY_KEY_ID: nonEmpty.optional(),
    RAZORPAY_KEY_SECRET: nonEmpty.optional(),
    /** The Slack app's OAuth credentials (lib/notifications/slack/); Slack cannot be connected without. */
    SLACK_CLIENT_ID: nonEmpty.optional(),
    SLACK_CLIENT_SECRET: nonEmpty.optional(),
    /**
     * App-wide webhook signing secrets (lib/webhooks/; INTERCOM_CLIENT_SECRET above signs
     * Intercom's). Each `_PREVIOUS` twin is accepted too while a rotation is under way; a
     * provider whose secret is unset has every delivery refused.
     */
    INTERCOM_CLIENT_SECRET_PREVIOUS: nonEmpty.optional(),
    GITHUB_WEBHOOK_SECRET: nonEmpty.optional(),
    GITHUB_WEBHOOK_SECRET_PREVIOUS: nonEmpty.optional(),
    RAZORPAY_WEBHOOK_SECRET: nonEmpty.optional(),
    RAZORPAY_WEBHOOK_SECRET_PREVIOUS: nonEmpty.optional(),
    // Optional LLM providers (lib/pipeline/llm): a workspace can choose one only when its key is
    // set. The base URLs default to the real APIs; the devstack points them at its stand-ins.
    ANTHROPIC_API_KEY: nonEmpty.optional(),
    ANTHROPIC_BASE_URL: url.default("https://api.anthropic.com"),
    OPENAI_API_KEY: nonEmpty.optional(),
    OPENAI_BASE_URL: url.default("https://api.openai.com/v1"),
  })
  .superRefine((env, ctx) => {
    if (env.MAIL_TRANSPORT === "mailbox" && !env.MAILBOX_URL) {
      ctx.addIssue({ code: "custom", path: ["MAILBOX_URL"], message: "is required" });
    }
    if (env.MAIL_TRANSPORT === "resend" && !env.RESEND_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["RESEND_API_KEY"], message: "is required" });
    }
    if (env.NODE_ENV === "production" && !env.INNGEST_DEV) {
      for (const key of ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required" });
      }
    }
  });

export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Thrown when the environment is invalid; the message names each bad variable. */
export class EnvError extends Error {
  readonly variables: string[];
  constructor(variables: string[], lines: string[]) {
    super(`Invalid environment:\n${lines.map((l) => `  - ${l}`).join("\n")}`);
    this.name = "EnvError";
    this.variables = variables;
  }
}

function describeIssues(error: z.ZodError, source: Record<string, string | undefined>): EnvError {
  const variables: string[] = [];
  const lines: string[] = [];
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? "?");
    if (variables.includes(name)) continue;
    variables.push(name);
    const missing = source[name] === undefined || source[name]?.trim() === "";
    const hint = DESCRIPTIONS[name] ? ` (${DESCRIPTIONS[name]})` : "";
    lines.push(
      missing ? `${name} is missing${hint}` : `${name} is invalid: ${issue.message}${hint}`,
    );
  }
  return new EnvError(variables, lines);
}

/** Treats empty strings as unset, as dotenv files and CI secrets often leave them empty. */
function withoutEmpty(source: Record<string, string | undefined>) {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(source)) {
    out[key] = value === undefined || value.trim() === "" ? undefined : value;
  }
  return out;
}

/** Parses the public half from any source (pure; used by tests). */
export function parsePublicEnv(source: Record<string, string | undefined>): PublicEnv {
  const cleaned = withoutEmpty(source);
  const parsed = publicEnvSchema.safeParse(cleaned);
  if (!parsed.success) throw describeIssues(parsed.error, cleaned);
  return parsed.data;
}

/** Parses the server half from any source (pure; used by tests). */
export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const cleaned = withoutEmpty(source);
  const parsed = serverEnvSchema.safeParse(cleaned);
  if (!parsed.success) throw describeIssues(parsed.error, cleaned);
  return parsed.data;
}

let publicCache: PublicEnv | undefined;
let serverCache: ServerEnv | undefined;

/** The public environment (browser and server). Throws `EnvError` naming what is missing. */
export function publicEnv(): PublicEnv {
  publicCache ??= parsePublicEnv({
    NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
    NEXT_PUBLIC_SITE_URL: process.env.NEXT_PUBLIC_SITE_URL,
    NEXT_PUBLIC_SENTRY_DSN: process.env.NEXT_PUBLIC_SENTRY_DSN,
  });
  return publicCache;
}

/** The server environment. Throws in a browser, and `EnvError` naming what is missing. */
export function serverEnv(): ServerEnv {
  if (typeof window !== "undefined") {
    throw new Error("serverEnv() was called in the browser; use publicEnv() there.");
  }
  serverCache ??= parseServerEnv(process.env);
  return serverCache;
}

/**
 * The Sentry DSN for the current runtime, without validating the rest of the environment (Sentry
 * starts before anything else and must not fail because of an unrelated variable).
 */
export function sentryDsn(): string | undefined {
  const dsn =
    typeof window === "undefined"
      ? (process.env.SENTRY_DSN ?? process.env.NEXT_PUBLIC_SENTRY_DSN)
      : process.env.NEXT_PUBLIC_SENTRY_DSN;
  return dsn && /^https?:\/\//.test(dsn) ? dsn : undefined;
}

/** The app's public origin, for links in emails and auth redirects (no trailing slash). */
export function siteUrl(): string {
  return publicEnv().NEXT_PUBLIC_SITE_URL.replace(/\/+$/, "");
}

/**
 * Whether this is `next dev` (looser CSP for React's dev tooling). Read directly rather than
 * through `serverEnv()`: middleware runs on every request and must not fail on an unrelated
 * variable, and Next inlines `process.env.NODE_ENV` at build time.
 */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === "development";
}

/**
 * The environment name Sentry tags events with. Unvalidated like `sentryDsn()`, for the same
 * reason: Sentry starts first and must not fail on an unrelated variable.
 */
export function sentryEnvironment(): string | undefined {
  return process.env.SENTRY_ENVIRONMENT ?? process.env.VERCEL_ENV ?? process.env.NODE_ENV;
}

/**
 * The log level asked for by `LOG_LEVEL` (silent under test by default), or undefined. Read
 * without validating the rest: the logger must work before, and whatever, the environment is.
 */
export function logLevelFromEnv(): string | undefined {
  if (typeof process === "undefined") return undefined;
  return process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : undefined);
}

/** Whether the app is served over HTTPS (decides the Secure cookie flag). */
export function isSecureSite(): boolean {
  return publicEnv().NEXT_PUBLIC_SITE_URL.startsWith("https://");
}

/** For tests only: forget the cached values so a changed `process.env` is read again. */
export function resetEnvCacheForTests(): void {
  publicCache = undefined;
  serverCache = undefined;
}
