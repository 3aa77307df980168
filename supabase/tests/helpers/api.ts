import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/supabase/database.types";
import { devstackEnv } from "@/tests/helpers/devstack-env";

/** supabase-js clients against the devstack gateway, as the app and the seed script use them. */

export const TEST_PASSWORD = "correct-horse-battery-staple-42";

export type Client = SupabaseClient<Database>;

const noSession = { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false };

export function anonClient(): Client {
  const env = devstackEnv();
  return createClient<Database>(env.API_URL, env.ANON_KEY, { auth: noSession });
}

/** The auth admin API (creating confirmed test users); tests only, never the app's code. */
function authAdmin() {
  const env = devstackEnv();
  return createClient(env.API_URL, env.SERVICE_ROLE_KEY, { auth: noSession }).auth.admin;
}

export interface ApiUser {
  id: string;
  email: string;
  client: Client;
  accessToken: string;
}

/** A confirmed user, signed in with a password through the gateway. */
export async function signedInUser(label: string): Promise<ApiUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@api.test`;
  const created = await authAdmin().createUser({
    email,
    password: TEST_PASSWORD,
    email_confirm: true,
  });
  if (created.error) throw new Error(`createUser: ${created.error.message}`);
  const client = anonClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password: TEST_PASSWORD });
  if (error || !data.session) throw new Error(`sign in: ${error?.message}`);
  return { id: data.user.id, email, client, accessToken: data.session.access_token };
}

/** A client that sends an arbitrary bearer token (forged or expired tokens). */
export function clientWithToken(token: string): Client {
  const env = devstackEnv();
  return createClient<Database>(env.API_URL, env.ANON_KEY, {
    auth: noSession,
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}
