import * as Sentry from "@sentry/nextjs";

/**
 * Runs once when the server starts: validates the environment (fail fast, naming the missing
 * variable, instead of failing on the first request) and starts Sentry when a DSN is set.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { publicEnv, serverEnv } = await import("@/lib/env");
    publicEnv();
    serverEnv();
    const { checkAdminClientConfig } = await import("@/lib/supabase/admin");
    checkAdminClientConfig();
    await import("./sentry.server.config");
  }
  if (process.env.NEXT_RUNTIME === "edge") {
    await import("./sentry.edge.config");
  }
}

/** Errors thrown while rendering or in route handlers (a no-op without a DSN). */
export const onRequestError = Sentry.captureRequestError;
