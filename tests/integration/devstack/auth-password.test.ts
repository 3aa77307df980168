import { randomUUID } from "node:crypto";
import {
  AuthApiError,
  AuthSessionMissingError,
  AuthWeakPasswordError,
  isAuthApiError,
} from "@supabase/supabase-js";
import { afterAll, describe, expect, it } from "vitest";
import {
  anonClient,
  CookieJar,
  claimsOf,
  closeDb,
  confirmedUser,
  db,
  env,
  GOOD_PASSWORD,
  latestMail,
  raw,
  ssrClient,
  uniqueEmail,
} from "./auth-support";

afterAll(closeDb);

describe("sign-up", () => {
  it("creates an unconfirmed user, mails a confirmation and gives no session", async () => {
    const email = uniqueEmail("signup");
    const { data, error } = await anonClient().auth.signUp({
      email,
      password: GOOD_PASSWORD,
      options: { data: { full_name: "Ada Lovelace" } },
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.confirmation_sent_at).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeUndefined();
    expect(data.user?.user_metadata).toEqual({ full_name: "Ada Lovelace" });
    expect(data.user?.app_metadata).toEqual({ provider: "email", providers: ["email"] });
    expect(data.user?.identities?.[0]?.provider).toBe("email");
    const mail = await latestMail(email);
    expect(mail.subject).toBe("Confirm Your Email");
    expect(mail.source).toBe("auth");
    expect(mail.text).toContain(`${env().API_URL}/auth/v1/verify?token=`);
    expect(mail.text).toContain("type=signup");
  });

  it("refuses a short password with AuthWeakPasswordError reasons [length]", async () => {
    const { error } = await anonClient().auth.signUp({ email: uniqueEmail(), password: "Sh0rt!" });
    expect(error).toBeInstanceOf(AuthWeakPasswordError);
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("weak_password");
    expect((error as AuthWeakPasswordError).reasons).toEqual(["length"]);
  });

  it("refuses a common password of sufficient length with reasons [pwned]", async () => {
    const { error } = await anonClient().auth.signUp({
      email: uniqueEmail(),
      password: "password1234",
    });
    expect(error).toBeInstanceOf(AuthWeakPasswordError);
    expect((error as AuthWeakPasswordError).reasons).toEqual(["pwned"]);
  });

  it("answers a repeated sign-up of a confirmed email with an obfuscated user", async () => {
    const u = await confirmedUser();
    const { data, error } = await anonClient().auth.signUp({
      email: u.email,
      password: GOOD_PASSWORD,
    });
    expect(error).toBeNull();
    expect(data.user?.id).not.toBe(u.id);
    expect(data.user?.identities).toEqual([]);
    expect(data.session).toBeNull();
  });

  it("requires a password (400 validation_failed) and a valid email", async () => {
    const r = await raw("/signup", {
      method: "POST",
      body: JSON.stringify({ email: uniqueEmail() }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      code: "validation_failed",
      message: "Signup requires a valid password",
    });
    const { error } = await anonClient().auth.signUp({
      email: "not-an-email",
      password: GOOD_PASSWORD,
    });
    expect(isAuthApiError(error)).toBe(true);
    expect(error?.code).toBe("validation_failed");
  });
});

describe("password sign-in", () => {
  it("refuses an unconfirmed email with email_not_confirmed", async () => {
    const email = uniqueEmail();
    await anonClient().auth.signUp({ email, password: GOOD_PASSWORD });
    const { error } = await anonClient().auth.signInWithPassword({
      email,
      password: GOOD_PASSWORD,
    });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error?.status).toBe(400);
    expect(error?.code).toBe("email_not_confirmed");
  });

  it("refuses a wrong password and an unknown email alike with invalid_credentials", async () => {
    const u = await confirmedUser();
    const wrong = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: "not-the-password-at-all",
    });
    const unknown = await anonClient().auth.signInWithPassword({
      email: uniqueEmail("nobody"),
      password: GOOD_PASSWORD,
    });
    for (const { error } of [wrong, unknown]) {
      expect(error?.status).toBe(400);
      expect(error?.code).toBe("invalid_credentials");
      expect(error?.message).toBe("Invalid login credentials");
    }
  });

  it("signs in a user inserted by SQL the way seed.sql files do (pgcrypto bcrypt, NULL tokens)", async () => {
    const email = uniqueEmail("seeded");
    const id = randomUUID();
    await db().query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
          email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
          confirmation_token, recovery_token, email_change_token_new, email_change)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
          extensions.crypt($3, extensions.gen_salt('bf')), now(),
          '{"provider":"email","providers":["email"]}', '{}', now(), now(), null, null, null, null)`,
      [id, email, GOOD_PASSWORD],
    );
    const { data, error } = await anonClient().auth.signInWithPassword({
      email,
      password: GOOD_PASSWORD,
    });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(id);
    expect(data.user?.identities).toEqual([]);
  });

  it("issues GoTrue's session and access-token claims", async () => {
    const u = await confirmedUser();
    const { data, error } = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: u.password,
    });
    expect(error).toBeNull();
    const s = data.session!;
    expect(s.token_type).toBe("bearer");
    expect(s.expires_in).toBe(3600);
    expect(s.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    const claims = claimsOf(s.access_token);
    expect(claims).toMatchObject({
      aud: "authenticated",
      iss: `${env().API_URL}/auth/v1`,
      sub: u.id,
      email: u.email,
      phone: "",
      role: "authenticated",
      aal: "aal1",
      is_anonymous: false,
      app_metadata: { provider: "email", providers: ["email"] },
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(claims.amr).toEqual([{ method: "password", timestamp: expect.any(Number) }]);
    const session = await db().query("select user_id from auth.sessions where id = $1", [
      claims.session_id,
    ]);
    expect(session.rows[0]?.user_id).toBe(u.id);
    const audit = await db().query(
      `select payload->>'action' as action from auth.audit_log_entries
        where payload->>'actor_id' = $1 order by created_at`,
      [u.id],
    );
    expect(audit.rows.map((r) => r.action)).toContain("login");
  });
});

describe("GET and PUT /user", () => {
  it("returns the user for the session and updates metadata", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: u.email, password: u.password });
    const got = await c.auth.getUser();
    expect(got.data.user?.id).toBe(u.id);
    const upd = await c.auth.updateUser({ data: { theme: "dark" } });
    expect(upd.error).toBeNull();
    expect(upd.data.user?.user_metadata).toMatchObject({ theme: "dark" });
  });

  it("refuses the same password with same_password and a weak one with weak_password", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: u.email, password: u.password });
    const same = await c.auth.updateUser({ password: u.password });
    expect(same.error?.status).toBe(422);
    expect(same.error?.code).toBe("same_password");
    const weak = await c.auth.updateUser({ password: "short" });
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError);
  });

  it("changes the password: the old one stops working, the new one signs in", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: u.email, password: u.password });
    const next = "another-Strong-passphrase-7";
    expect((await c.auth.updateUser({ password: next })).error).toBeNull();
    const old = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: u.password,
    });
    expect(old.error?.code).toBe("invalid_credentials");
    const fresh = await anonClient().auth.signInWithPassword({ email: u.email, password: next });
    expect(fresh.error).toBeNull();
  });

  it("refuses app_metadata from a user with 403 not_admin", async () => {
    const u = await confirmedUser();
    const { data } = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: u.password,
    });
    const r = await raw("/user", {
      method: "PUT",
      bearer: data.session!.access_token,
      body: JSON.stringify({ app_data: { plan: "pro" } }),
    });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe("not_admin");
  });

  it("answers GoTrue's JWT errors: 401 no_authorization, 403 bad_jwt, 403 missing sub", async () => {
    const none = await fetch(`${env().API_URL}/auth/v1/user`, {
      headers: { apikey: env().ANON_KEY, "x-supabase-api-version": "2024-01-01" },
    });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { code: string }).code).toBe("no_authorization");
    const bad = await raw("/user", { bearer: "eyJhbGciOiJIUzI1NiJ9.e30.bad-signature" });
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { code: string }).code).toBe("bad_jwt");
    const anon = await raw("/user");
    expect(anon.status).toBe(403);
    expect(await anon.json()).toEqual({
      code: "bad_jwt",
      message: "invalid claim: missing sub claim",
    });
  });
});

describe("refresh-token rotation", () => {
  async function signedIn() {
    const u = await confirmedUser();
    const c = anonClient();
    const { data } = await c.auth.signInWithPassword({ email: u.email, password: u.password });
    return { u, c, session: data.session! };
  }

  it("rotates: a new refresh token, the same session_id", async () => {
    const { c, session } = await signedIn();
    const { data, error } = await c.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    expect(claimsOf(data.session!.access_token).session_id).toBe(
      claimsOf(session.access_token).session_id,
    );
  });

  it("gives back the active token when the parent is replayed (lost response)", async () => {
    const { session } = await signedIn();
    const first = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    const again = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(again.error).toBeNull();
    expect(again.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
  });

  it("allows reuse of an older revoked token within the reuse interval", async () => {
    const { session } = await signedIn();
    const t1 = session.refresh_token;
    const r2 = await anonClient().auth.refreshSession({ refresh_token: t1 });
    const r3 = await anonClient().auth.refreshSession({
      refresh_token: r2.data.session!.refresh_token,
    });
    expect(r3.error).toBeNull();
    // t1 is revoked and no longer the parent of the active token, but revoked < 10 s ago.
    const reuse = await anonClient().auth.refreshSession({ refresh_token: t1 });
    expect(reuse.error).toBeNull();
  });

  it("revokes the family when a revoked token is reused after the interval", async () => {
    const { session } = await signedIn();
    const t1 = session.refresh_token;
    const r2 = await anonClient().auth.refreshSession({ refresh_token: t1 });
    const t2 = r2.data.session!.refresh_token;
    const r3 = await anonClient().auth.refreshSession({ refresh_token: t2 });
    const t3 = r3.data.session!.refresh_token;
    await db().query(
      `update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`,
      [t1],
    );
    const reuse = await anonClient().auth.refreshSession({ refresh_token: t1 });
    expect(reuse.error).toBeInstanceOf(AuthApiError);
    expect(reuse.error?.status).toBe(400);
    expect(reuse.error?.code).toBe("refresh_token_already_used");
    const active = await db().query(
      "select count(*)::int as n from auth.refresh_tokens where token = $1 and revoked = false",
      [t3],
    );
    expect(active.rows[0]?.n).toBe(0);
  });

  it("parallel refreshes with one token (SSR middleware + page) all succeed with one new token", async () => {
    const { session } = await signedIn();
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        anonClient().auth.refreshSession({ refresh_token: session.refresh_token }),
      ),
    );
    for (const r of results) expect(r.error).toBeNull();
    const tokens = new Set(results.map((r) => r.data.session?.refresh_token));
    expect(tokens.size).toBe(1);
    const rows = await db().query(
      "select count(*)::int as n from auth.refresh_tokens where parent = $1",
      [session.refresh_token],
    );
    expect(rows.rows[0]?.n).toBe(1);
  });

  it("answers refresh_token_not_found for an unknown token", async () => {
    const { error } = await anonClient().auth.refreshSession({ refresh_token: "abcdefghijkl" });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe("refresh_token_not_found");
  });
});

describe("logout scopes", () => {
  async function twoSessions() {
    const u = await confirmedUser();
    const a = anonClient();
    const b = anonClient();
    const sa = (await a.auth.signInWithPassword({ email: u.email, password: u.password })).data
      .session!;
    const sb = (await b.auth.signInWithPassword({ email: u.email, password: u.password })).data
      .session!;
    return { u, a, b, sa, sb };
  }

  it("local ends only the current session", async () => {
    const { a, sa, sb } = await twoSessions();
    const r = await raw("/logout?scope=local", { method: "POST", bearer: sa.access_token });
    expect(r.status).toBe(204);
    expect((await raw("/user", { bearer: sa.access_token })).status).toBe(403);
    expect((await raw("/user", { bearer: sb.access_token })).status).toBe(200);
    const after = await a.auth.getUser(sa.access_token);
    expect(after.error).toBeInstanceOf(AuthSessionMissingError);
  });

  it("others ends every other session, global ends all", async () => {
    const { u, sa, sb } = await twoSessions();
    expect(
      (await raw("/logout?scope=others", { method: "POST", bearer: sa.access_token })).status,
    ).toBe(204);
    expect((await raw("/user", { bearer: sa.access_token })).status).toBe(200);
    const gone = await raw("/user", { bearer: sb.access_token });
    expect(await gone.json()).toMatchObject({ code: "session_not_found" });
    const c = anonClient();
    const sc = (await c.auth.signInWithPassword({ email: u.email, password: u.password })).data
      .session!;
    expect((await raw("/logout", { method: "POST", bearer: sc.access_token })).status).toBe(204);
    expect((await raw("/user", { bearer: sa.access_token })).status).toBe(403);
  });

  it("refuses an unknown scope with 400 validation_failed", async () => {
    const { sa } = await twoSessions();
    const r = await raw("/logout?scope=everything", { method: "POST", bearer: sa.access_token });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { code: string }).code).toBe("validation_failed");
  });

  it("signOut() through supabase-js clears the client's session", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: u.email, password: u.password });
    expect((await c.auth.signOut()).error).toBeNull();
    expect((await c.auth.getSession()).data.session).toBeNull();
  });
});

describe("@supabase/ssr session refresh through cookies", () => {
  const cookieName = () => `sb-${new URL(env().API_URL).hostname.split(".")[0]}-auth-token`;
  const decode = (v: string) =>
    JSON.parse(Buffer.from(v.replace(/^base64-/, ""), "base64url").toString("utf8")) as {
      refresh_token: string;
      expires_at: number;
    };
  const encode = (s: unknown) => `base64-${Buffer.from(JSON.stringify(s)).toString("base64url")}`;

  it("getUser() refreshes a session about to expire and rewrites the cookie", async () => {
    const u = await confirmedUser();
    const jar = new CookieJar();
    const signIn = await ssrClient(jar).auth.signInWithPassword({
      email: u.email,
      password: u.password,
    });
    expect(signIn.error).toBeNull();
    const stored = decode(jar.values.get(cookieName())!);
    jar.values.set(
      cookieName(),
      encode({ ...stored, expires_at: Math.floor(Date.now() / 1000) + 30 }),
    );
    const { data, error } = await ssrClient(jar).auth.getUser();
    expect(error).toBeNull();
    expect(data.user?.id).toBe(u.id);
    const rewritten = decode(jar.values.get(cookieName())!);
    expect(rewritten.refresh_token).not.toBe(stored.refresh_token);
    expect(rewritten.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 3000);
  });

  it("a replayed, long-revoked refresh token clears the cookie (refresh_token_already_used)", async () => {
    const u = await confirmedUser();
    const jar = new CookieJar();
    await ssrClient(jar).auth.signInWithPassword({ email: u.email, password: u.password });
    const stale = decode(jar.values.get(cookieName())!);
    // Rotate twice elsewhere, then age the first token past the reuse interval.
    const r1 = await anonClient().auth.refreshSession({ refresh_token: stale.refresh_token });
    await anonClient().auth.refreshSession({ refresh_token: r1.data.session!.refresh_token });
    await db().query(
      `update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`,
      [stale.refresh_token],
    );
    // An expired session: auth-js keeps a session whose stored expires_at is still ahead.
    jar.values.set(
      cookieName(),
      encode({ ...stale, expires_at: Math.floor(Date.now() / 1000) - 10 }),
    );
    const { data, error } = await ssrClient(jar).auth.getUser();
    expect(data.user).toBeNull();
    expect(error?.code).toBe("refresh_token_already_used");
    expect(jar.values.has(cookieName())).toBe(false);
  });
});

describe("secure password change (config.toml secure_password_change = true)", () => {
  it("a session older than 24 h needs the reauthentication nonce sent by mail", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    const { data } = await c.auth.signInWithPassword({ email: u.email, password: u.password });
    await db().query(
      "update auth.sessions set created_at = now() - interval '25 hours' where id = $1",
      [claimsOf(data.session!.access_token).session_id],
    );
    const next = "after-Reauth-passphrase-4";
    const blocked = await c.auth.updateUser({ password: next });
    expect(blocked.error?.status).toBe(400);
    expect(blocked.error?.code).toBe("reauthentication_needed");
    expect((await c.auth.reauthenticate()).error).toBeNull();
    const mail = await latestMail(u.email, "Confirm reauthentication");
    const nonce = /code: (\d{6})/.exec(mail.text ?? "")?.[1];
    expect(nonce).toMatch(/^\d{6}$/);
    const wrong = await c.auth.updateUser({
      password: next,
      nonce: nonce === "000000" ? "111111" : "000000",
    });
    expect(wrong.error?.status).toBe(422);
    expect(wrong.error?.code).toBe("reauthentication_not_valid");
    expect((await c.auth.updateUser({ password: next, nonce })).error).toBeNull();
    const signIn = await anonClient().auth.signInWithPassword({ email: u.email, password: next });
    expect(signIn.error).toBeNull();
  });
});
