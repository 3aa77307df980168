import { publicEnv } from "@/lib/env";
import { securityTxt } from "@/lib/security/security-txt";

/**
 * RFC 9116 security.txt, computed per request so Expires stays 180 days ahead. Not a route
 * guard: public, no input, no session.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response(securityTxt(publicEnv().NEXT_PUBLIC_SITE_URL), {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "public, max-age=86400",
    },
  });
}
