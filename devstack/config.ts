import path from "node:path";
import { z } from "zod";

/**
 * Every knob of the local platform, read once from the environment.
 * Defaults mirror `supabase start` (ports 54321/54322/54324, the CLI's demo JWT secret) and the
 * Inngest dev server (8288). DEVSTACK_PORT_OFFSET shifts every port so the test runner can run its
 * own devstack beside a developer's.
 */
const schema = z.object({
  DEVSTACK_HOME: z.string().default(".devstack"),
  DEVSTACK_PORT_OFFSET: z.coerce.number().int().min(0).max(10000).default(0),
  DEVSTACK_HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32).default("super-secret-jwt-token-with-at-least-32-characters-long"),
  JWT_EXPIRY: z.coerce.number().int().positive().default(3600),
  SITE_URL: z.string().url().default("http://localhost:3000"),
  ADDITIONAL_REDIRECT_URLS: z.string().default(""),
  AUTH_AUTOCONFIRM: z.enum(["true", "false"]).default("false"),
  AUTH_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(6).default(12),
  AUTH_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  AUTH_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(300),
  REST_MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  // supabase/config.toml `[api] max_rows`: the most rows one read returns.
  REST_MAX_ROWS: z.coerce.number().int().positive().default(1000),
  // PostgREST's db-aggregates-enabled and db-plan-enabled, off by default as in PostgREST (the
  // database can also turn them on: `alter role authenticator set pgrst.db_aggregates_enabled`).
  PGRST_DB_AGGREGATES_ENABLED: z.enum(["true", "false"]).default("false"),
  PGRST_DB_PLAN_ENABLED: z.enum(["true", "false"]).default("false"),
  // `[api] schemas` and `extra_search_path` of supabase/config.toml, with the CLI's defaults.
  PGRST_DB_SCHEMAS: z.string().default("public"),
  PGRST_DB_EXTRA_SEARCH_PATH: z.string().default("public,extensions"),
  INNGEST_APP_URLS: z.string().default("http://localhost:3000/api/inngest"),
  // Provider sandboxes (devstack/sandboxes): first retry delay of a refused webhook, token lifetime.
  SANDBOX_RETRY_BASE_MS: z.coerce.number().int().min(10).default(1000),
  SANDBOX_ACCESS_TOKEN_TTL: z.coerce.number().int().min(1).default(7200),
  SANDBOX_GITHUB_SETUP_URL: z.string().url().optional(),
});

export type DevstackConfig = ReturnType<typeof loadConfig>;

const list = (v: string): string[] =>
  v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`devstack: invalid ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const e = parsed.data;
  const host = e.DEVSTACK_HOST;
  const off = e.DEVSTACK_PORT_OFFSET;
  const home = path.resolve(e.DEVSTACK_HOME);
  const apiPort = 54321 + off;
  return {
    home,
    host,
    dataDir: path.join(home, "pg"),
    envFile: path.join(home, "env"),
    externalDatabaseUrl: e.DATABASE_URL,
    dbPort: 54322 + off,
    apiPort,
    mailboxPort: 54324 + off,
    executorPort: 8288 + off,
    sandboxPort: 54330 + off,
    sandboxUrl: `http://${host}:${54330 + off}`,
    apiUrl: `http://${host}:${apiPort}`,
    mailboxUrl: `http://${host}:${54324 + off}`,
    executorUrl: `http://${host}:${8288 + off}`,
    jwtSecret: e.JWT_SECRET,
    jwtExpiry: e.JWT_EXPIRY,
    jwtIssuer: `http://${host}:${apiPort}/auth/v1`,
    siteUrl: e.SITE_URL,
    additionalRedirectUrls: e.ADDITIONAL_REDIRECT_URLS.split(",").filter(Boolean),
    auth: {
      autoconfirm: e.AUTH_AUTOCONFIRM === "true",
      passwordMinLength: e.AUTH_PASSWORD_MIN_LENGTH,
      lockoutAttempts: e.AUTH_LOCKOUT_ATTEMPTS,
      lockoutSeconds: e.AUTH_LOCKOUT_SECONDS,
    },
    rest: {
      maxBodyBytes: e.REST_MAX_BODY_BYTES,
      maxRows: e.REST_MAX_ROWS,
      schemas: list(e.PGRST_DB_SCHEMAS),
      extraSearchPath: list(e.PGRST_DB_EXTRA_SEARCH_PATH),
      aggregatesEnabled: e.PGRST_DB_AGGREGATES_ENABLED === "true",
      planEnabled: e.PGRST_DB_PLAN_ENABLED === "true",
    },
    inngestAppUrls: e.INNGEST_APP_URLS.split(",").filter(Boolean),
    sandbox: {
      retryBaseMs: e.SANDBOX_RETRY_BASE_MS,
      accessTokenTtlSeconds: e.SANDBOX_ACCESS_TOKEN_TTL,
      githubSetupUrl: e.SANDBOX_GITHUB_SETUP_URL,
    },
  };
}
