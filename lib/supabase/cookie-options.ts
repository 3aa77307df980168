import type { CookieOptionsWithName } from "@supabase/ssr";

/**
 * How the session cookies are written by the server and middleware clients: HTTP-only (the
 * browser's JavaScript never sees the tokens), SameSite=Lax, Secure whenever the site is served
 * over HTTPS. All sign-in, sign-out and session work therefore happens on the server (server
 * actions and route handlers), never through the browser client.
 */
export function sessionCookieOptions(siteUrl: string): CookieOptionsWithName {
  return {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    secure: siteUrl.startsWith("https://"),
  };
}
