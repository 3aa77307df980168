import "server-only";
import { createServerClient } from "@supabase/ssr";
import { cookies } from "next/headers";

/**
 * The per-request Supabase client for pages, layouts and server actions (anon key + the user's
 * session cookie; RLS decides what it sees). Created per call, never shared between requests.
 * Setting cookies fails in a server component render; the middleware refreshes them instead.
 */
export async function getSupabase() {
  const url = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const anonKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  if (!url) throw new Error("Missing environment variable NEXT_PUBLIC_SUPABASE_URL");
  if (!anonKey) throw new Error("Missing environment variable NEXT_PUBLIC_SUPABASE_ANON_KEY");
  const cookieStore = await cookies();
  return createServerClient(url, anonKey, {
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll: (toSet) => {
        try {
          for (const { name, value, options } of toSet) cookieStore.set(name, value, options);
        } catch {
          // Called from a server component: cookies are read-only there; the middleware
          // writes the refreshed session on the next request.
        }
      },
    },
  });
}

export type ServerSupabase = Awaited<ReturnType<typeof getSupabase>>;
