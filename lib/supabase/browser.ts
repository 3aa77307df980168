import { createBrowserClient } from "@supabase/ssr";
import type { SupabaseClient } from "@supabase/supabase-js";
import { publicEnv } from "@/lib/env";
import type { Database } from "./database.types";

/**
 * The Supabase client for client components. The session cookies are HTTP-only, so this client
 * runs without a session: use it only for what an anonymous visitor may do. Everything that needs
 * the user goes through a server action or route handler (`lib/supabase/server.ts`).
 */
export function createClient(): SupabaseClient<Database> {
  const env = publicEnv();
  return createBrowserClient<Database>(
    env.NEXT_PUBLIC_SUPABASE_URL,
    env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
  );
}
