import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/supabase/database.types";
import { devstackEnv } from "@/tests/helpers/devstack-env";

/**
 * For HTTP tests against a running `next start` (the test runner builds and starts the app, then
 * runs tests/integration/app/ with APP_URL set). Without APP_URL these tests fail: they must never
 * pass by not running.
 */
export function appUrl(): string {
  const url = process.env.APP_URL;
  if (!url) {
    throw new Error(
      "APP_URL is not set: tests/integration/app/ run against `next start`. Run them with `npm test` " +
        "(it builds and starts the app), or start the app and set APP_URL=http://localhost:3000.",
    );
  }
  return url.replace(/\/$/, "");
}

/** GET without following redirects. */
export function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${appUrl()}${path}`, { redirect: "manual", headers });
}

export function cspNonce(response: Response): string | undefined {
  const csp = response.headers.get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(csp)?.[1];
}

export const PASSWORD = "http-test-password-2026";

export interface AppUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

/** A confirmed user signed in through the devstack's auth API. */
export async function signedIn(
  label: string,
): Promise<AppUser & { client: SupabaseClient<Database> }> {
  const env = devstackEnv();
  const email = `${label}-${randomUUID().slice(0, 8)}@http.test`;
  const admin = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const created = await admin.auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
  });
  if (created.error) throw new Error(`createUser: ${created.error.message}`);
  const client = createClient<Database>(env.API_URL, env.ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { data, error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error || !data.session) throw new Error(`signIn: ${error?.message}`);
  return {
    id: data.user.id,
    email,
    accessToken: data.session.access_token,
    refreshToken: data.session.refresh_token,
    expiresAt: data.session.expires_at ?? Math.floor(Date.now() / 1000) + 3600,
    client,
  };
}

/** The cookie @supabase/ssr reads for this Supabase URL (`sb-<host label>-auth-token`). */
export function sessionCookie(session: {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  userId: string;
}): string {
  const host = new URL(devstackEnv().API_URL).hostname.split(".")[0];
  const value = {
    access_token: session.accessToken,
    refresh_token: session.refreshToken,
    expires_at: session.expiresAt,
    expires_in: Math.max(0, session.expiresAt - Math.floor(Date.now() / 1000)),
    token_type: "bearer",
    user: { id: session.userId, aud: "authenticated", role: "authenticated" },
  };
  return `sb-${host}-auth-token=base64-${Buffer.from(JSON.stringify(value)).toString("base64url")}`;
}
