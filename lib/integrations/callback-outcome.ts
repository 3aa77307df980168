import "server-only";
import { orgRoutes, ROUTES } from "@/lib/auth/routes";
import { siteUrl } from "@/lib/env";
import { toAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { ConnectRefusedError } from "./connect-flow";
import type { OAuthProvider } from "./oauth-state";
import { ProviderRefusedError } from "./provider-errors";

/**
 * Where a connect callback sends the browser: back to Settings → Integrations with a fixed
 * outcome code (the page maps it to a sentence; nothing from the provider is echoed), or to the
 * refusal page when the state was not good. Always an absolute URL on our own site.
 */

export type ConnectOutcome = "connected" | "updated" | "denied" | "conflict" | "failed";

export function backToSettings(slug: string, provider: OAuthProvider, outcome: ConnectOutcome) {
  const url = new URL(`${siteUrl()}${orgRoutes(slug).integrations}`);
  url.searchParams.set(
    outcome === "connected" || outcome === "updated" ? "connected" : "error",
    provider,
  );
  if (outcome !== "connected") url.searchParams.set("outcome", outcome);
  return redirectTo(url.toString());
}

export function refused(reason: string) {
  const url = new URL(`${siteUrl()}${ROUTES.integrationRefused}`);
  url.searchParams.set("reason", reason);
  return redirectTo(url.toString());
}

function redirectTo(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}

const callbackLog = log.child({ module: "integrations.callback" });

/** Turns a failure after an accepted state into the right page; logs what failed (no secrets). */
export function failureOutcome(
  error: unknown,
  slug: string | undefined,
  provider: OAuthProvider,
): Response {
  if (error instanceof ConnectRefusedError) return refused(error.reason);
  const appError = toAppError(error);
  const outcome: ConnectOutcome =
    appError.code === "conflict"
      ? "conflict"
      : error instanceof ProviderRefusedError
        ? "denied"
        : "failed";
  callbackLog.error(
    {
      err: error instanceof ProviderRefusedError ? error.reason : (appError.cause ?? error),
      provider,
      outcome,
    },
    "connect callback failed",
  );
  return slug ? backToSettings(slug, provider, outcome) : refused("failed");
}
