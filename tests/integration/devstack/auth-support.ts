import { randomUUID } from "node:crypto";
import { createServerClient } from "@supabase/ssr";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { devstackEnv } from "../../helpers/devstack-env";

/** Shared helpers of the auth conformance tests (tests/integration/devstack/auth-*.test.ts). */

export const env = () => devstackEnv();
export const authUrl = () => `${env().API_URL}/auth/v1`;

/** A password that passes the default policy (12+ characters, not on the common list). */
export const GOOD_PASSWORD = "correct-Horse-battery-42";

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.com`;
}

/** A supabase-js client as a browser or script would make it (no storage between tests). */
export function anonClient(options: { flowType?: "implicit" | "pkce" } = {}): SupabaseClient {
  return createClient(env().API_URL, env().ANON_KEY, {
    auth: {
      persistSession: false,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      flowType: options.flowType ?? "implicit",
    },
  });
}

/** The service-role client (admin API). */
export function serviceClient(): SupabaseClient {
  return createClient(env().API_URL, env().SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

/** A cookie jar that behaves like Next.js cookies() for @supabase/ssr's createServerClient. */
export class CookieJar {
  readonly values = new Map<string, string>();
  getAll() {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }
  setAll(cookies: { name: string; value: string; options?: { maxAge?: number } }[]) {
    for (const c of cookies) {
      if (c.value === "" || c.options?.maxAge === 0) this.values.delete(c.name);
      else this.values.set(c.name, c.value);
    }
  }
}

/** An @supabase/ssr server client bound to a cookie jar (always PKCE, as in the app). */
export function ssrClient(jar: CookieJar): SupabaseClient {
  return createServerClient(env().API_URL, env().ANON_KEY, {
    cookies: { getAll: () => jar.getAll(), setAll: (c) => jar.setAll(c) },
  }) as unknown as SupabaseClient;
}

let pool: pg.Pool | undefined;
/** A superuser connection to the devstack database, for assertions on auth.* rows. */
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: env().DB_URL, max: 2 });
  return pool;
}
export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  source: string;
}

/** The newest mail to an address (waits briefly; mail is written before the API answers). */
export async function latestMail(to: string, subject?: string): Promise<Mail> {
  for (let i = 0; i < 20; i++) {
    const r = await fetch(`${env().MAILBOX_URL}/api/v1/messages?to=${encodeURIComponent(to)}`);
    const body = (await r.json()) as { messages: Mail[] };
    const m = body.messages.find((x) => !subject || x.subject === subject);
    if (m) return m;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no mail to ${to}${subject ? ` with subject ${subject}` : ""}`);
}

/** The verify link and 6-digit code of an auth mail. */
export function linkAndCode(mail: Mail): { link: string; code: string } {
  const text = mail.text ?? "";
  const link = /(https?:\/\/\S+\/auth\/v1\/verify\?\S+)/.exec(text)?.[1];
  const code = /code: (\d{6})/.exec(text)?.[1];
  if (!link || !code) throw new Error(`mail without link or code: ${text}`);
  return { link, code };
}

/** Follows an email link without following the redirect; returns the Location. */
export async function openLink(link: string): Promise<URL> {
  const r = await fetch(link, { redirect: "manual" });
  if (r.status !== 303 && r.status !== 302) throw new Error(`link answered ${r.status}`);
  return new URL(r.headers.get("location") ?? "");
}

/** Signs up through the API and confirms through the mailed link: a confirmed password user. */
export async function confirmedUser(
  email = uniqueEmail(),
  password = GOOD_PASSWORD,
): Promise<{ email: string; password: string; id: string }> {
  const c = anonClient();
  const { data, error } = await c.auth.signUp({ email, password });
  if (error || !data.user) throw error ?? new Error("no user");
  const { link } = linkAndCode(await latestMail(email));
  await openLink(link);
  return { email, password, id: data.user.id };
}

/** Raw fetch against /auth/v1 with the anon key and (by default) the 2024 API version. */
export async function raw(
  path: string,
  init: RequestInit & { version?: string | null; bearer?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("apikey", env().ANON_KEY);
  headers.set("authorization", `Bearer ${init.bearer ?? env().ANON_KEY}`);
  if (init.version !== null) headers.set("x-supabase-api-version", init.version ?? "2024-01-01");
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(`${authUrl()}${path}`, { ...init, headers });
}

/** Decodes a JWT payload (no verification; tests compare claims). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}
