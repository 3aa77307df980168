import { type NextRequest, NextResponse } from "next/server";
import { type Assurance, assuranceOf, needsMfaChallenge } from "@/lib/auth/assurance";
import { isMfaPendingPath, isPublicPath, ROUTES, safeNextPath } from "@/lib/auth/routes";
import { isDevelopment, publicEnv } from "@/lib/env";
import { AppError, errorBody } from "@/lib/errors";
import { updateSession } from "@/lib/supabase/middleware";

/**
 * Every request (except static assets): a fresh CSP nonce, session refresh, route protection.
 *
 * - The nonce goes to Next on the request's `Content-Security-Policy` header (Next reads it and
 *   puts it on its own scripts; pages render per request for that, see app/layout.tsx) and as
 *   `x-nonce` for any inline script of ours.
 * - Signed-out visitors of protected pages go to sign-in (API routes get 401 JSON).
 * - Users whose account has a verified second factor but whose session is still aal1 go to the
 *   MFA challenge, and the database refuses their workspace data meanwhile (migration
 *   20261123160500).
 */

/** A Content-Security-Policy with a per-request nonce for scripts. */
export function buildCsp(options: {
  nonce: string;
  supabaseUrl: string;
  sentryDsn?: string;
  dev?: boolean;
  https?: boolean;
}): string {
  const supabase = new URL(options.supabaseUrl).origin;
  const supabaseWs = supabase.replace(/^http/, "ws");
  const sentry = options.sentryDsn ? new URL(options.sentryDsn).origin : undefined;
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      `'nonce-${options.nonce}'`,
      "'strict-dynamic'",
      ...(options.dev ? ["'unsafe-eval'"] : []),
    ],
    // React and Radix set style attributes; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", supabase, supabaseWs, ...(sentry ? [sentry] : [])],
    "frame-src": ["'none'"],
    "worker-src": ["'self'", "blob:"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    // sign-in with GitHub/Google posts a form that redirects to the auth server, then the provider
    "form-action": ["'self'", supabase, "https://github.com", "https://accounts.google.com"],
    "frame-ancestors": ["'none'"],
  };
  const parts = Object.entries(directives).map(([name, values]) => `${name} ${values.join(" ")}`);
  if (options.https) parts.push("upgrade-insecure-requests");
  return parts.join("; ");
}

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** A redirect that keeps the cookies the session refresh just set. */
function redirectWith(from: NextResponse, url: URL): NextResponse {
  const redirect = NextResponse.redirect(url, { status: 307 });
  for (const cookie of from.cookies.getAll()) redirect.cookies.set(cookie);
  const cacheControl = from.headers.get("cache-control");
  if (cacheControl) redirect.headers.set("cache-control", cacheControl);
  return redirect;
}

/** API callers get the one error model's 401 body instead of a redirect. */
function unauthenticated(message?: string): NextResponse {
  const error = new AppError("unauthenticated", message);
  return NextResponse.json(errorBody(error), { status: error.status });
}

export async function middleware(request: NextRequest): Promise<NextResponse> {
  const env = publicEnv();
  const scriptNonce = nonce();
  const csp = buildCsp({
    nonce: scriptNonce,
    supabaseUrl: env.NEXT_PUBLIC_SUPABASE_URL,
    sentryDsn: env.NEXT_PUBLIC_SENTRY_DSN,
    dev: isDevelopment(),
    https: env.NEXT_PUBLIC_SITE_URL.startsWith("https://"),
  });

  const { response, user, claims } = await updateSession(request, {
    // x-pathname lets a layout refuse a child page before the page's loading boundary streams.
    requestHeaders: {
      "x-nonce": scriptNonce,
      "content-security-policy": csp,
      "x-pathname": request.nextUrl.pathname,
    },
  });
  const aal: Assurance = user ? assuranceOf(user, claims) : { current: null, next: null };
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");

  let result = response;
  if (!user && !isPublicPath(pathname)) {
    if (isApi) {
      result = unauthenticated();
    } else {
      const url = new URL(ROUTES.signIn, request.url);
      url.searchParams.set("next", safeNextPath(`${pathname}${search}`));
      result = redirectWith(response, url);
    }
  } else if (user && needsMfaChallenge(aal) && !isMfaPendingPath(pathname)) {
    if (isApi) {
      result = unauthenticated("Complete two-factor sign-in first.");
    } else {
      const url = new URL(ROUTES.mfaChallenge, request.url);
      url.searchParams.set("next", safeNextPath(`${pathname}${search}`));
      result = redirectWith(response, url);
    }
  }

  result.headers.set("Content-Security-Policy", csp);
  // Pages vary per user and carry a nonce: never cache them in a shared cache.
  if (!result.headers.has("cache-control")) {
    result.headers.set("Cache-Control", "private, no-store");
  }
  return result;
}

// Webhook deliveries stay outside: the middleware buffers (and past its limit truncates) request
// bodies, and a webhook's signature covers the raw bytes. `/api/inngest` too: its callers are
// Inngest (the executor locally), never a signed-in user; the SDK verifies its signing key itself,
// and the session refresh, nonce and CSP were about 6 % of the app's CPU under webhook load
// (docs/webhooks.md "Where the CPU goes, profiled").
export const config = {
  matcher: [
    {
      source:
        "/((?!api/webhooks/|api/inngest(?:/|$)|_next/static|_next/image|favicon.ico|robots.txt|.*\\.(?:png|jpg|jpeg|gif|svg|webp|ico)$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
