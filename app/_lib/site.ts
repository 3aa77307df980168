/**
 * Where the app lives, for links in emails and auth redirects. Reads `NEXT_PUBLIC_SITE_URL`;
 * falls back to the request's own origin so a local `next dev` on any port still works.
 */
export function siteUrl(requestOrigin?: string | null): string {
  const configured = process.env.NEXT_PUBLIC_SITE_URL;
  const url = configured || requestOrigin || "http://localhost:3000";
  return url.replace(/\/+$/, "");
}

/**
 * Keeps a post-sign-in destination on this site: only absolute paths, never `//host` or a
 * scheme, so `?next=` cannot be used as an open redirect.
 */
export function safeNext(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 512) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}
