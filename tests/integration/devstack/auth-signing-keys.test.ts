import { createClient } from "@supabase/supabase-js";
import { decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_DEFAULT_SIGNING_KEY } from "@/devstack/config-toml";
import { claimsOf, closeDb, confirmedUser, env, raw } from "./auth-support";

/**
 * Asymmetric JWT signing keys, as GoTrue serves them with the Supabase CLI's keys
 * (GOTRUE_JWT_KEYS + the legacy GOTRUE_JWT_SECRET): access tokens are ES256 with the key's kid,
 * /.well-known/jwks.json lists the public half, and HS256 tokens of the secret stay accepted by
 * /auth/v1 and /rest/v1 alike.
 */
afterAll(closeDb);

/** A supabase-js client whose requests are recorded, to see which endpoints it calls. */
function recordingClient(urls: string[]) {
  return createClient(env().API_URL, env().ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: {
      fetch: (input, init) => {
        urls.push(
          typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
        );
        return fetch(input, init);
      },
    },
  });
}

async function signedInSession() {
  const u = await confirmedUser();
  const r = await raw("/token?grant_type=password", {
    method: "POST",
    body: JSON.stringify({ email: u.email, password: u.password }),
  });
  const session = (await r.json()) as { access_token: string };
  return { user: u, token: session.access_token };
}

const rest = (path: string, bearer: string) =>
  fetch(`${env().API_URL}/rest/v1${path}`, {
    headers: { apikey: env().ANON_KEY, authorization: `Bearer ${bearer}` },
  });

describe("access tokens and the JWKS", () => {
  it("signs access tokens with ES256 and the CLI key's kid", async () => {
    const { token } = await signedInSession();
    expect(decodeProtectedHeader(token)).toEqual({
      alg: "ES256",
      typ: "JWT",
      kid: CLI_DEFAULT_SIGNING_KEY.kid,
    });
  });

  it("lists exactly GoTrue's public JWK: use sig, key_ops verify, no private member", async () => {
    const r = await fetch(`${env().API_URL}/auth/v1/.well-known/jwks.json`);
    const { x, y, crv, kid } = CLI_DEFAULT_SIGNING_KEY;
    expect(await r.json()).toEqual({
      keys: [
        { kty: "EC", kid, alg: "ES256", ext: true, crv, x, y, use: "sig", key_ops: ["verify"] },
      ],
    });
  });

  it("getClaims() fetches the JWKS once and then verifies without any request", async () => {
    const { user, token } = await signedInSession();
    const urls: string[] = [];
    const c = recordingClient(urls);
    const first = await c.auth.getClaims(token);
    expect(first.error).toBeNull();
    expect(first.data?.claims.sub).toBe(user.id);
    expect(urls.filter((u) => u.endsWith("/auth/v1/.well-known/jwks.json"))).toHaveLength(1);
    expect(urls.some((u) => u.endsWith("/auth/v1/user"))).toBe(false);
    urls.length = 0;
    expect((await c.auth.getClaims(token)).error).toBeNull();
    expect(urls).toEqual([]);
  });

  it("getClaims() refuses a token with the right kid signed by another key", async () => {
    const { token } = await signedInSession();
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(claimsOf(token))
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: CLI_DEFAULT_SIGNING_KEY.kid })
      .sign(privateKey);
    const { data, error } = await recordingClient([]).auth.getClaims(forged);
    expect(data).toBeNull();
    expect(error?.message).toBe("Invalid JWT signature");
    // The servers refuse it too: GoTrue 403 bad_jwt, PostgREST 401 PGRST301.
    const user = await raw("/user", { bearer: forged });
    expect(user.status).toBe(403);
    expect(await user.json()).toMatchObject({ code: "bad_jwt" });
    const r = await rest("/organizations?select=id", forged);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ code: "PGRST301" });
  });

  it("refuses an asymmetric token whose kid is unknown, naming it as GoTrue does", async () => {
    const { token } = await signedInSession();
    const { privateKey } = await generateKeyPair("RS256");
    const stranger = await new SignJWT(claimsOf(token))
      .setProtectedHeader({ alg: "RS256", kid: "not-a-key" })
      .sign(privateKey);
    const r = await raw("/user", { bearer: stranger });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({
      code: "bad_jwt",
      message:
        "invalid JWT: unable to parse or verify signature, unrecognized JWT kid not-a-key for algorithm RS256",
    });
  });
});

describe("the legacy HS256 secret stays accepted", () => {
  it("GET /user, getClaims() (through GET /user) and REST take an HS256 token of the secret", async () => {
    const { user, token } = await signedInSession();
    const hs256 = await new SignJWT(claimsOf(token))
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(env().JWT_SECRET));
    const me = await raw("/user", { bearer: hs256 });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: user.id });
    const urls: string[] = [];
    const { data, error } = await recordingClient(urls).auth.getClaims(hs256);
    expect(error).toBeNull();
    expect(data?.claims.sub).toBe(user.id);
    expect(urls.some((u) => u.endsWith("/auth/v1/user"))).toBe(true);
    expect((await rest("/organizations?select=id", hs256)).status).toBe(200);
    expect((await rest("/organizations?select=id", token)).status).toBe(200);
  });
});
