/**
 * Process configuration, read once at start-up. Anything missing in production stops the
 * server before it takes traffic.
 */
export interface Config {
  port: number;
  env: "development" | "test" | "production";
  store: "memory" | "postgres";
  databaseUrl?: string;
  paymentsUrl: string;
  paymentsKey: string;
  mailFrom: string;
  sessionSecret: string;
  publicUrl: string;
}

function required(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") {
    throw new Error(`Missing environment variable ${name}`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = (env.NODE_ENV ?? "development") as Config["env"];
  const dev = mode !== "production";
  return {
    port: Number(env.PORT ?? 4000),
    env: mode,
    store: env.DATABASE_URL ? "postgres" : "memory",
    databaseUrl: env.DATABASE_URL,
    paymentsUrl: required("PAYMENTS_URL", dev ? "http://localhost:4010" : undefined),
    paymentsKey: required("PAYMENTS_KEY", dev ? "sk_test_local" : undefined),
    mailFrom: env.MAIL_FROM ?? "Acme Storefront <orders@acme.example>",
    sessionSecret: required("SESSION_SECRET", dev ? "dev-only-session-secret" : undefined),
    publicUrl: env.PUBLIC_URL ?? "http://localhost:4000",
  };
}
