import { createServerClient } from "@supabase/ssr";
import type { User } from "@supabase/supabase-js";
import { type NextRequest, NextResponse } from "next/server";
import { publicEnv } from "@/lib/env";
import { sessionCookieOptions } from "./cookie-options";
import type { Database } from "./database.types";

export interface SessionUpdate {
  /** The response to return from middleware (or to copy cookies from); carries refreshed cookies. */
  response: NextResponse;
  /** The user verified by the auth server, or null (no session, forged or expired cookie). */
  user: User | null;
  /**
   * The access token's claims, verified by `getClaims()` (null without a user or when they could
   * not be verified). Pass them with `user` to `assuranceOf()` in lib/auth: this module knows
   * clients and cookies, not auth rules.
   */
  claims: { aal?: unknown } | null;
}

/**
 * Refreshes the session in middleware: reads the auth cookies, lets the auth server verify and
 * refresh them (`getUser()`), and writes any new cookies both to the request the app will see and
 * to the response. `requestHeaders` are extra headers for the app (the CSP nonce).
 */
export async function updateSession(
  request: NextRequest,
  options: { requestHeaders?: Record<string, string> } = {},
): Promise<SessionUpdate> {
  const env = publicEnv();
  const extra = options.requestHeaders ?? {};
  const next = () => {
    const headers = new Headers(request.headers);
    for (const [key, value] of Object.entries(extra)) headers.set(key, value);
    return NextResponse.next({ request: { headers } });
  };
  let response = next();

  const supabase = createServerClient<Database>(
    env.NEXT_PUBLIC_SUPABASE_URL,
    env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
    {
      cookieOptions: sessionCookieOptions(env.NEXT_PUBLIC_SITE_URL),
      cookies: {
        getAll() {
          return request.cookies.getAll();
        },
        setAll(cookiesToSet, headers) {
          for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
          response = next();
          for (const { name, value, options: cookieOptions } of cookiesToSet) {
            response.cookies.set(name, value, cookieOptions);
          }
          for (const [key, value] of Object.entries(headers ?? {})) {
            response.headers.set(key, value);
          }
        },
      },
    },
  );

  // Nothing may run between creating the client and getUser(): the refresh must land first.
  let user: User | null = null;
  try {
    const { data } = await supabase.auth.getUser();
    user = data.user;
  } catch {
    user = null; // auth server unreachable: treat as signed out, never as signed in
  }

  let claims: SessionUpdate["claims"] = null;
  if (user) {
    // The session's level is the aal claim of its access token, verified by getClaims().
    try {
      const { data } = await supabase.auth.getClaims();
      claims = data?.claims ?? null;
    } catch {
      claims = null; // unverifiable: no level, so a second factor is demanded
    }
  }
  return { response, user, claims };
}
