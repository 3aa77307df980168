import { publicEnv } from "@/lib/env";

/** The app's public origin, for links in emails and auth redirects (no trailing slash). */
export function siteUrl(): string {
  return publicEnv().NEXT_PUBLIC_SITE_URL.replace(/\/+$/, "");
}
