import "server-only";
import { createServerClient } from "@supabase/ssr";
import type { SupabaseClient } from "@supabase/supabase-js";
import { cookies } from "next/headers";
import { publicEnv } from "@/lib/env";
import { sessionCookieOptions } from "./cookie-options";
import type { Database } from "./database.types";

export type ServerSupabaseClient = SupabaseClient<Database>;

/**
 * The per-request Supabase client for server components, server actions and route handlers,
 * acting as the signed-in user (RLS applies). Create one per request; never keep it in a global.
 * Identify the user with `supabase.auth.getUser()` (verified by the auth server), never with
 * the unverified session the cookie carries.
 */
export async function createClient(): Promise<ServerSupabaseClient> {
  const env = publicEnv();
  const cookieStore = await cookies();
  return createServerClient<Database>(
    env.NEXT_PUBLIC_SUPABASE_URL,
    env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
    {
      cookieOptions: sessionCookieOptions(env.NEXT_PUBLIC_SITE_URL),
      cookies: {
        getAll() {
          return cookieStore.getAll();
        },
        setAll(cookiesToSet) {
          try {
            for (const { name, value, options } of cookiesToSet) {
              cookieStore.set(name, value, options);
            }
          } catch {
            // Server components cannot set cookies; middleware.ts refreshes the session instead.
          }
        },
      },
    },
  );
}
