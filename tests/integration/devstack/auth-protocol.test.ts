import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthService } from "@/devstack/auth";
import { loadConfig } from "@/devstack/config";
import type { OutgoingMail } from "@/devstack/shared/context";
import {
  anonClient,
  authUrl,
  closeDb,
  confirmedUser,
  env,
  GOOD_PASSWORD,
  raw,
  uniqueEmail,
} from "./auth-support";

afterAll(closeDb);

describe("service endpoints", () => {
  it("GET /health answers GoTrue's health body", async () => {
    const r = await fetch(`${authUrl()}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ name: "GoTrue" });
  });

  it("GET /settings lists email, github and google as enabled", async () => {
    const r = await fetch(`${authUrl()}/settings`, { headers: { apikey: env().ANON_KEY } });
    const body = (await r.json()) as {
      external: Record<string, boolean>;
      mailer_autoconfirm: boolean;
    };
    expect(body.external).toMatchObject({
      email: true,
      github: true,
      google: true,
      phone: false,
      apple: false,
    });
    expect(body.mailer_autoconfirm).toBe(false);
  });

  it("GET /.well-known/jwks.json publishes the signing key's public half and no HMAC key", async () => {
    const r = await fetch(`${authUrl()}/.well-known/jwks.json`);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("public, max-age=600");
    const { keys } = (await r.json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((k) => [k.kty, k.alg])).toEqual([["EC", "ES256"]]);
    expect(keys[0]).not.toHaveProperty("d");
    expect(keys[0]).not.toHaveProperty("k");
  });

  it("getClaims() verifies the ES256 access token locally (JWKS), without GET /user", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: u.email, password: u.password });
    const { data, error } = await c.auth.getClaims();
    expect(error).toBeNull();
    expect(data?.claims.sub).toBe(u.id);
    expect(data?.header.alg).toBe("ES256");
  });
});

describe("error format and X-Supabase-Api-Version", () => {
  // A fresh unknown email per run: the lockout (5 failures in 5 minutes) outlives one run.
  const badLogin = JSON.stringify({ email: uniqueEmail("nobody"), password: "whatever-password" });

  it("2024-01-01: {code, message}, the header echoed, x-sb-error-code set", async () => {
    const r = await raw("/token?grant_type=password", { method: "POST", body: badLogin });
    expect(r.status).toBe(400);
    expect(r.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(r.headers.get("x-sb-error-code")).toBe("invalid_credentials");
    expect(await r.json()).toEqual({
      code: "invalid_credentials",
      message: "Invalid login credentials",
    });
  });

  it("no header or an older date: the legacy {code:<status>, error_code, msg}", async () => {
    for (const version of [null, "2023-05-01", "garbage"]) {
      const r = await raw("/token?grant_type=password", {
        method: "POST",
        body: badLogin,
        version,
      });
      expect(r.headers.get("x-supabase-api-version")).toBeNull();
      expect(r.headers.get("x-sb-error-code")).toBe("invalid_credentials");
      expect(await r.json()).toEqual({
        code: 400,
        error_code: "invalid_credentials",
        msg: "Invalid login credentials",
      });
    }
  });

  it("weak passwords carry weak_password.reasons in both formats", async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: "short" });
    const modern = await raw("/signup", { method: "POST", body });
    expect(await modern.json()).toMatchObject({
      code: "weak_password",
      weak_password: { reasons: ["length"] },
    });
    const legacy = await raw("/signup", { method: "POST", body, version: null });
    expect(await legacy.json()).toMatchObject({
      code: 422,
      error_code: "weak_password",
      weak_password: { reasons: ["length"] },
    });
  });

  it("malformed JSON is 400 bad_json; an unknown grant is 400; refresh without token is an OAuth error", async () => {
    const bad = await raw("/token?grant_type=password", { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe("bad_json");
    const wrongType = await raw("/signup", { method: "POST", body: JSON.stringify({ email: 42 }) });
    expect(((await wrongType.json()) as { code: string }).code).toBe("bad_json");
    const grant = await raw("/token?grant_type=magic", { method: "POST", body: "{}" });
    expect(grant.status).toBe(400);
    const refresh = await raw("/token?grant_type=refresh_token", { method: "POST", body: "{}" });
    expect(await refresh.json()).toEqual({
      error: "invalid_request",
      error_description: "refresh_token required",
    });
  });

  it("unknown paths are 404 and wrong methods 405", async () => {
    expect((await raw("/nope")).status).toBe(404);
    expect((await raw("/signup")).status).toBe(405);
  });
});

describe("auto-confirm (AUTH_AUTOCONFIRM=true)", () => {
  let server: Server;
  let pool: pg.Pool;
  let url = "";
  const mails: OutgoingMail[] = [];

  beforeAll(async () => {
    const config = loadConfig({
      ...process.env,
      AUTH_AUTOCONFIRM: "true",
      JWT_SECRET: env().JWT_SECRET,
    });
    pool = new pg.Pool({ connectionString: env().DB_URL, max: 4 });
    const service = createAuthService({
      config,
      adminPool: pool,
      restPool: pool,
      keys: { anon: env().ANON_KEY, serviceRole: env().SERVICE_ROLE_KEY },
      mailbox: {
        send: async (m) => {
          mails.push(m);
          return { id: String(mails.length) };
        },
      },
      log: () => undefined,
    });
    server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      void service.handle(req, res, u.pathname.replace(/^\/auth\/v1/, "") || "/", u);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await pool.end();
  });

  it("sign-up answers a session and sends no mail; a second sign-up is 422 user_already_exists", async () => {
    const client = createClient(url, env().ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const email = uniqueEmail("auto");
    const { data, error } = await client.auth.signUp({ email, password: GOOD_PASSWORD });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(mails.filter((m) => m.to === email)).toEqual([]);
    const again = await client.auth.signUp({ email, password: GOOD_PASSWORD });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe("user_already_exists");
  });
});
