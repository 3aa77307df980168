import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthService } from "@/devstack/auth";
import { loadConfig } from "@/devstack/config";
import { untilSchemaShows } from "../../helpers/schema-cache";
import { claimsOf, GOOD_PASSWORD, env as sharedEnv, uniqueEmail } from "./auth-support";
import { startDevstackChild } from "./fixtures/devstack-child";

/**
 * A devstack started with a config.toml that changes every setting the devstack reads from it,
 * each change seen through the HTTP API (the shared test devstack runs Patchline's own file).
 * `enable_signup = false` and `[auth.email] enable_signup = false` would stop the sign-ups the
 * rest needs, so they get an in-process auth service on a second file.
 */
const dir = mkdtempSync(path.join(tmpdir(), "devstack-toml-"));
// Its own folder, as core-lifecycle's: Postgres (run as its own user) must reach the data dir.
const home = mkdtempSync(path.join(tmpdir(), "devstack-toml-home-"));
// Beside the suite's devstack and the other spawning tests (lifecycle from +450, sigterm from +900).
const firstOffset = Number(process.env.TEST_PORT_OFFSET ?? 1000) + 700;
const SITE = "https://site.example.com";

let child: ChildProcess | undefined;
let output = () => "";
const facts: Record<string, string> = {};

function writeProject(): string {
  const supabaseDir = path.join(dir, "supabase");
  mkdirSync(supabaseDir, { recursive: true });
  const file = path.join(supabaseDir, "config.toml");
  writeFileSync(
    file,
    `
[api]
schemas = ["public", "extensions"]
extra_search_path = ["public", "toml_extra"]
max_rows = 2

[auth]
site_url = "env(AUTH16_TOML_SITE)"
additional_redirect_urls = ["https://allowed.example.com/**"]
jwt_expiry = 120
enable_signup = true
enable_anonymous_sign_ins = true
minimum_password_length = 8
password_requirements = "lower_upper_letters_digits"
signing_keys_path = "./keys.json"

[auth.rate_limit]
anonymous_users = 30

[auth.email]
enable_confirmations = false
double_confirm_changes = false
max_frequency = "5s"

[auth.mfa.totp]
enroll_enabled = false
verify_enabled = false

[auth.external.github]
enabled = false

[auth.external.google]
enabled = true
client_id = "env(AUTH16_GOOGLE_ID)"
`,
  );
  return file;
}

function withoutOverrides(e: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...e };
  for (const k of Object.keys(out)) {
    if (
      /^(SITE_URL|ADDITIONAL_REDIRECT_URLS|JWT_EXPIRY|AUTH_|REST_MAX_ROWS|PGRST_|SUPABASE_AUTH_|SUPABASE_API_)/.test(
        k,
      )
    ) {
      delete out[k];
    }
  }
  return out;
}

const api = (p: string) => `${facts.API_URL}${p}`;
const client = (): SupabaseClient =>
  createClient(facts.API_URL ?? "", facts.ANON_KEY ?? "", {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
const authPost = (p: string, body: unknown, bearer = facts.ANON_KEY) =>
  fetch(api(`/auth/v1${p}`), {
    method: "POST",
    headers: {
      apikey: facts.ANON_KEY ?? "",
      authorization: `Bearer ${bearer}`,
      "content-type": "application/json",
      "x-supabase-api-version": "2024-01-01",
    },
    body: JSON.stringify(body),
  });

async function mailsTo(to: string): Promise<{ subject: string; text: string | null }[]> {
  const r = await fetch(`${facts.MAILBOX_URL}/api/v1/messages?to=${encodeURIComponent(to)}`);
  return ((await r.json()) as { messages: { subject: string; text: string | null }[] }).messages;
}

beforeAll(async () => {
  const file = writeProject();
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: "toml-rsa",
    alg: "RS256",
    key_ops: ["sign", "verify"],
  };
  writeFileSync(path.join(path.dirname(file), "keys.json"), JSON.stringify([jwk]));
  const started = await startDevstackChild(
    (offset) =>
      spawn(process.execPath, ["--import", "tsx", "devstack/cli.ts", "reset"], {
        env: {
          // The devstack's own variables would override the file: this test leaves them out.
          ...withoutOverrides(process.env),
          DEVSTACK_HOME: home,
          DEVSTACK_PORT_OFFSET: String(offset),
          DEVSTACK_CONFIG_TOML: file,
          AUTH16_TOML_SITE: SITE,
          AUTH16_GOOGLE_ID: "google-client",
          // Over the file's 30, as the CLI's viper lets SUPABASE_<SECTION>_<KEY> override a key.
          SUPABASE_AUTH_RATE_LIMIT_ANONYMOUS_USERS: "2",
          INNGEST_APP_URLS: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    { envFile: path.join(home, "env"), from: firstOffset, timeoutMs: 90_000 },
  );
  child = started.child;
  output = started.output;
  for (const line of readFileSync(path.join(home, "env"), "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1]) facts[m[1]] = (m[2] ?? "").replace(/^"|"$/g, "");
  }
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe("a devstack started with a custom config.toml", () => {
  it("says where its settings came from", () => {
    expect(output()).toContain("settings from");
    expect(output()).toContain("config.toml");
  });

  it("[auth] and providers show in GET /settings", async () => {
    const r = await fetch(api("/auth/v1/settings"), { headers: { apikey: facts.ANON_KEY ?? "" } });
    const body = (await r.json()) as {
      external: Record<string, boolean>;
      mailer_autoconfirm: boolean;
    };
    expect(body.external).toMatchObject({
      anonymous_users: true,
      github: false,
      google: true,
      email: true,
    });
    expect(body.mailer_autoconfirm).toBe(true);
  });

  it("enable_anonymous_sign_ins: signInAnonymously() gets an anonymous session REST accepts", async () => {
    const c = client();
    const { data, error } = await c.auth.signInAnonymously({
      options: { data: { theme: "dark" } },
    });
    expect(error).toBeNull();
    const session = data.session;
    expect(session?.user.is_anonymous).toBe(true);
    expect(session?.user.app_metadata).toEqual({});
    expect(session?.user.identities).toEqual([]);
    expect(session?.user.email ?? "").toBe("");
    const claims = claimsOf(session?.access_token ?? "");
    expect(claims).toMatchObject({
      role: "authenticated",
      is_anonymous: true,
      user_metadata: { theme: "dark" },
    });
    expect((claims.amr as { method: string }[])[0]?.method).toBe("anonymous");
    const me = await c.auth.getUser();
    expect(me.data.user?.id).toBe(session?.user.id);
    // An anonymous user cannot enrol MFA (GoTrue's requireNotAnonymous).
    const enroll = await authPost("/factors", { factor_type: "totp" }, session?.access_token);
    expect(enroll.status).toBe(403);
  });

  it("[auth.rate_limit] anonymous_users (2 from SUPABASE_AUTH_RATE_LIMIT_*): a third anonymous sign-in from one address is 429", async () => {
    const anonymous = (ip: string) =>
      fetch(api("/auth/v1/signup"), {
        method: "POST",
        headers: {
          apikey: facts.ANON_KEY ?? "",
          "content-type": "application/json",
          "x-supabase-api-version": "2024-01-01",
          "x-forwarded-for": ip,
        },
        body: "{}",
      });
    expect((await anonymous("198.51.100.1")).status).toBe(200);
    expect((await anonymous("198.51.100.1")).status).toBe(200);
    const third = await anonymous("198.51.100.1");
    expect(third.status).toBe(429);
    expect(third.headers.get("x-sb-error-code")).toBe("over_request_rate_limit");
    expect(await third.json()).toEqual({
      code: "over_request_rate_limit",
      message: "Request rate limit reached",
    });
    // Per address: another client is not refused.
    expect((await anonymous("198.51.100.2")).status).toBe(200);
  });

  it("minimum_password_length and password_requirements; no common-password check without devstack.toml", async () => {
    const c = client();
    const short = await c.auth.signUp({ email: uniqueEmail(), password: "Ab1" });
    expect(short.error?.code).toBe("weak_password");
    expect((short.error as { reasons?: string[] }).reasons).toEqual(["length"]);
    const plain = await c.auth.signUp({ email: uniqueEmail(), password: "alllowercase" });
    expect((plain.error as { reasons?: string[] }).reasons).toEqual(["characters"]);
    expect(plain.error?.message).toBe(
      "Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyz, ABCDEFGHIJKLMNOPQRSTUVWXYZ, 0123456789.",
    );
    // On Patchline's list of common passwords, accepted here: GoTrue's default has no such check.
    const common = await c.auth.signUp({ email: uniqueEmail(), password: "Password1234" });
    expect(common.error).toBeNull();
  });

  it("enable_confirmations = false, jwt_expiry and signing_keys_path (RS256) shape the session", async () => {
    const { data, error } = await client().auth.signUp({
      email: uniqueEmail(),
      password: GOOD_PASSWORD,
    });
    expect(error).toBeNull();
    const session = data.session;
    expect(session?.expires_in).toBe(120);
    expect(decodeProtectedHeader(session?.access_token ?? "")).toEqual({
      alg: "RS256",
      typ: "JWT",
      kid: "toml-rsa",
    });
    const jwks = (await (await fetch(api("/auth/v1/.well-known/jwks.json"))).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(["toml-rsa"]);
    // With signing_keys_path the CLI signs the API keys with the key too; REST accepts both.
    expect(decodeProtectedHeader(facts.ANON_KEY ?? "")).toMatchObject({
      alg: "RS256",
      kid: "toml-rsa",
    });
    const c = client();
    await c.auth.setSession({
      access_token: session?.access_token ?? "",
      refresh_token: session?.refresh_token ?? "",
    });
    expect((await c.auth.getClaims()).data?.header.alg).toBe("RS256");
  });

  it("[api] schemas, extra_search_path and max_rows reach the REST gateway", async () => {
    const db = new pg.Client({ connectionString: facts.DB_URL });
    await db.connect();
    await db.query(`create table public.toml_rows (id int primary key);
      insert into public.toml_rows select generate_series(1, 5);
      grant select on public.toml_rows to anon;
      create function public.toml_search_path() returns text language sql stable
        as $$ select current_setting('search_path') $$;
      notify pgrst, 'reload schema';`);
    await db.end();
    const headers = { apikey: facts.ANON_KEY ?? "", authorization: `Bearer ${facts.ANON_KEY}` };
    let rows: unknown[] = [];
    await untilSchemaShows("toml_rows", async () => {
      const r = await fetch(api("/rest/v1/toml_rows?select=id&order=id"), { headers });
      if (r.status === 200) rows = (await r.json()) as unknown[];
      return r.status === 200;
    });
    expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    // The request's search_path is the schema, then extra_search_path (not the CLI's default
    // "public, extensions"), as PostgREST sets it.
    const sp = await fetch(api("/rest/v1/rpc/toml_search_path"), { headers });
    expect(sp.status).toBe(200);
    expect(await sp.json()).toBe('"public", "public", "toml_extra"');
    const r = await fetch(api("/rest/v1/toml_rows"), {
      headers: { ...headers, "accept-profile": "private" },
    });
    expect(r.status).toBe(406);
    expect(await r.json()).toMatchObject({
      code: "PGRST106",
      message: "Invalid schema: private",
      hint: "Only the following schemas are exposed: public, extensions",
    });
  });

  it("site_url from env(), additional_redirect_urls and max_frequency govern recovery mail", async () => {
    const { data } = await client().auth.signUp({
      email: uniqueEmail("rec"),
      password: GOOD_PASSWORD,
    });
    const email = data.user?.email ?? "";
    const out = await authPost("/recover?redirect_to=https%3A%2F%2Fevil.example.com%2F", { email });
    expect(out.status).toBe(200);
    const again = await authPost("/recover", { email });
    expect(again.status).toBe(429);
    expect(await again.json()).toMatchObject({ code: "over_email_send_rate_limit" });
    const [mail] = await mailsTo(email);
    const link = new URL(
      /(https?:\/\/\S+\/auth\/v1\/verify\?\S+)/.exec(mail?.text ?? "")?.[1] ?? "http://x",
    );
    expect(link.searchParams.get("redirect_to")).toBe(SITE);
    await new Promise((r) => setTimeout(r, 5100)); // "5s" later another mail may go
    const allowed = await authPost("/recover?redirect_to=https%3A%2F%2Fallowed.example.com%2Fcb", {
      email,
    });
    expect(allowed.status).toBe(200);
    const texts = (await mailsTo(email)).map((m) => m.text ?? "");
    expect(
      texts.some((t) => t.includes("redirect_to=https%3A%2F%2Fallowed.example.com%2Fcb")),
    ).toBe(true);
  }, 20_000);

  it("double_confirm_changes = false: an email change mails only the new address", async () => {
    const oldEmail = uniqueEmail("old");
    const newEmail = uniqueEmail("new");
    const c = client();
    await c.auth.signUp({ email: oldEmail, password: GOOD_PASSWORD });
    const { error } = await c.auth.updateUser({ email: newEmail });
    expect(error).toBeNull();
    expect(await mailsTo(newEmail)).toHaveLength(1);
    expect(await mailsTo(oldEmail)).toHaveLength(0);
  });

  it("[auth.mfa.totp] enroll_enabled = false and a disabled provider answer GoTrue's errors", async () => {
    const c = client();
    const { data } = await c.auth.signUp({ email: uniqueEmail("mfa"), password: GOOD_PASSWORD });
    const enroll = await authPost("/factors", { factor_type: "totp" }, data.session?.access_token);
    expect(enroll.status).toBe(422);
    expect(await enroll.json()).toEqual({
      code: "mfa_totp_enroll_not_enabled",
      message: "MFA enroll is disabled for TOTP",
    });
    const gh = await fetch(api("/auth/v1/authorize?provider=github"), {
      redirect: "manual",
      headers: { "x-supabase-api-version": "2024-01-01" },
    });
    expect(gh.status).toBe(400);
    expect(await gh.json()).toEqual({
      code: "validation_failed",
      message: "Unsupported provider: provider is not enabled",
    });
    const google = await fetch(api("/auth/v1/authorize?provider=google"), { redirect: "manual" });
    expect(google.status).toBe(302);
  });
});

describe("enable_signup = false and [auth.email] enable_signup = false (in-process)", () => {
  let server: Server;
  let pool: pg.Pool;
  let url = "";

  async function serve(toml: string): Promise<void> {
    const file = path.join(dir, `signup-${Math.random().toString(36).slice(2)}.toml`);
    writeFileSync(file, toml);
    const config = loadConfig({
      ...process.env,
      DEVSTACK_CONFIG_TOML: file,
      JWT_SECRET: sharedEnv().JWT_SECRET,
    });
    const service = createAuthService({
      config,
      adminPool: pool,
      restPool: pool,
      keys: { anon: sharedEnv().ANON_KEY, serviceRole: sharedEnv().SERVICE_ROLE_KEY },
      mailbox: { send: async () => ({ id: "1" }) },
      log: () => undefined,
    });
    server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      void service.handle(req, res, u.pathname.replace(/^\/auth\/v1/, "") || "/", u);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const stopServer = () => new Promise<void>((r) => server.close(() => r()));
  const post = (p: string, body: unknown, ip = "") =>
    fetch(`${url}${p}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-supabase-api-version": "2024-01-01",
        ...(ip ? { "x-forwarded-for": ip } : {}),
      },
      body: JSON.stringify(body),
    });
  /** Statuses of `n` requests made one after another. */
  async function statuses(n: number, send: () => Promise<Response>): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).status);
    return out;
  }

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: sharedEnv().DB_URL, max: 2 });
  });
  afterAll(() => pool.end());

  it("enable_signup = false refuses sign-ups, anonymous ones too, with 422 signup_disabled", async () => {
    await serve(`[auth]\nenable_signup = false\nenable_anonymous_sign_ins = true\n`);
    try {
      const settings = (await (await fetch(`${url}/settings`)).json()) as {
        disable_signup: boolean;
      };
      expect(settings.disable_signup).toBe(true);
      for (const body of [{ email: uniqueEmail(), password: GOOD_PASSWORD }, {}]) {
        const r = await post("/signup", body);
        expect(r.status).toBe(422);
        expect(await r.json()).toEqual({
          code: "signup_disabled",
          message: "Signups not allowed for this instance",
        });
      }
    } finally {
      await stopServer();
    }
  });

  it("[auth.email] enable_signup = false: 400 email_provider_disabled, 422 on password sign-in", async () => {
    await serve(`[auth.email]\nenable_signup = false\n`);
    try {
      const r = await post("/signup", { email: uniqueEmail(), password: GOOD_PASSWORD });
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({
        code: "email_provider_disabled",
        message: "Email signups are disabled",
      });
      const login = await post("/token?grant_type=password", {
        email: uniqueEmail(),
        password: GOOD_PASSWORD,
      });
      expect(login.status).toBe(422);
      expect(await login.json()).toEqual({
        code: "email_provider_disabled",
        message: "Email logins are disabled",
      });
    } finally {
      await stopServer();
    }
  });

  it("[auth.rate_limit]: GoTrue's per-IP limiters and the hourly email budget, 429 with its codes", async () => {
    await serve(
      `[auth.rate_limit]\ntoken_refresh = 1\ntoken_verifications = 1\nemail_sent = 2\n` +
        `[auth.email]\nenable_confirmations = true\n[auth.email.smtp]\nenabled = true\n`,
    );
    try {
      // token_refresh = 1 per 5 minutes: the burst of 30 GoTrue allows, then nothing.
      const refresh = () =>
        post("/token?grant_type=refresh_token", { refresh_token: "x" }, "192.0.2.1");
      const first = await statuses(30, refresh);
      expect(first.filter((s) => s === 429)).toEqual([]);
      const over = await refresh();
      expect(over.status).toBe(429);
      expect(await over.json()).toEqual({
        code: "over_request_rate_limit",
        message: "Request rate limit reached",
      });
      // The password grant shares the token limiter; another address has its own bucket.
      const login = { email: uniqueEmail(), password: GOOD_PASSWORD };
      expect((await post("/token?grant_type=password", login, "192.0.2.1")).status).toBe(429);
      expect((await post("/token?grant_type=password", login, "192.0.2.2")).status).toBe(400);
      // token_verifications = 1: /verify has its own limiter.
      const verify = () =>
        post("/verify", { type: "signup", token_hash: "nothing-here" }, "192.0.2.1");
      expect((await statuses(30, verify)).filter((s) => s === 429)).toEqual([]);
      expect((await verify()).status).toBe(429);

      // email_sent = 2 per hour for the whole service (read with custom SMTP on, as the CLI
      // passes it to GoTrue only then): the third confirmation mail is refused,
      // and that sign-up is rolled back (GoTrue sends inside the sign-up's transaction).
      for (const ip of ["192.0.2.10", "192.0.2.11"]) {
        const r = await post("/signup", { email: uniqueEmail(), password: GOOD_PASSWORD }, ip);
        expect(r.status).toBe(200);
      }
      const email = uniqueEmail();
      const third = await post("/signup", { email, password: GOOD_PASSWORD }, "192.0.2.12");
      expect(third.status).toBe(429);
      expect(await third.json()).toEqual({
        code: "over_email_send_rate_limit",
        message: "Email rate limit exceeded",
      });
      const stored = await pool.query("select 1 from auth.users where email = $1", [email]);
      expect(stored.rowCount).toBe(0);
    } finally {
      await stopServer();
    }
  });
});
