import { AuthApiError } from "@supabase/supabase-js";
import { afterAll, describe, expect, it } from "vitest";
import {
  anonClient,
  closeDb,
  confirmedUser,
  db,
  env,
  GOOD_PASSWORD,
  openLink,
  raw,
  serviceClient,
  uniqueEmail,
} from "./auth-support";

afterAll(closeDb);

describe("admin user API (service role)", () => {
  it("creates a confirmed user who can sign in at once", async () => {
    const admin = serviceClient().auth.admin;
    const email = uniqueEmail("admin-made");
    const { data, error } = await admin.createUser({
      email,
      password: GOOD_PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: "Made By Admin" },
      app_metadata: { plan: "pro" },
    });
    expect(error).toBeNull();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.user?.app_metadata).toEqual({
      provider: "email",
      providers: ["email"],
      plan: "pro",
    });
    const signIn = await anonClient().auth.signInWithPassword({ email, password: GOOD_PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.session?.user.app_metadata.plan).toBe("pro");
  });

  it("refuses a duplicate email with 422 email_exists and a weak password with weak_password", async () => {
    const admin = serviceClient().auth.admin;
    const u = await confirmedUser();
    const dup = await admin.createUser({ email: u.email, password: GOOD_PASSWORD });
    expect(dup.error?.status).toBe(422);
    expect(dup.error?.code).toBe("email_exists");
    const weak = await admin.createUser({ email: uniqueEmail(), password: "short" });
    expect(weak.error?.code).toBe("weak_password");
  });

  it("lists users with pagination headers auth-js understands", async () => {
    const admin = serviceClient().auth.admin;
    await confirmedUser();
    await confirmedUser();
    const { data, error } = await admin.listUsers({ page: 1, perPage: 1 });
    expect(error).toBeNull();
    if (!("aud" in data)) throw new Error("listUsers answered no page");
    expect(data.users).toHaveLength(1);
    expect(data.aud).toBe("authenticated");
    expect(data.total).toBeGreaterThanOrEqual(2);
    expect(data.nextPage).toBe(2);
    const r = await fetch(`${env().API_URL}/auth/v1/admin/users?page=1&per_page=1`, {
      headers: {
        apikey: env().SERVICE_ROLE_KEY,
        authorization: `Bearer ${env().SERVICE_ROLE_KEY}`,
      },
    });
    expect(r.headers.get("link")).toMatch(
      /^<\/admin\/users\?page=2&per_page=1>; rel="next", <\/admin\/users\?page=\d+&per_page=1>; rel="last"$/,
    );
  });

  it("gets, updates (ban, metadata, password) and deletes a user", async () => {
    const admin = serviceClient().auth.admin;
    const u = await confirmedUser();
    expect((await admin.getUserById(u.id)).data.user?.email).toBe(u.email);
    const upd = await admin.updateUserById(u.id, {
      user_metadata: { team: "core" },
      app_metadata: { role: "owner" },
    });
    expect(upd.data.user?.user_metadata).toMatchObject({ team: "core" });
    expect(upd.data.user?.app_metadata).toMatchObject({ role: "owner", provider: "email" });
    await admin.updateUserById(u.id, { ban_duration: "24h" });
    const banned = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: u.password,
    });
    expect(banned.error?.code).toBe("user_banned");
    await admin.updateUserById(u.id, { ban_duration: "none", password: "admin-Set-passphrase-3" });
    const ok = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: "admin-Set-passphrase-3",
    });
    expect(ok.error).toBeNull();
    const del = await admin.deleteUser(u.id);
    expect(del.error).toBeNull();
    const gone = await admin.getUserById(u.id);
    expect(gone.error?.status).toBe(404);
    expect(gone.error?.code).toBe("user_not_found");
    const token = await raw("/user", { bearer: ok.data.session!.access_token });
    expect(token.status).toBe(403);
  });

  it("generate_link returns a working action link, OTP and hashed token without sending mail", async () => {
    const admin = serviceClient().auth.admin;
    const u = await confirmedUser();
    const { data, error } = await admin.generateLink({
      type: "magiclink",
      email: u.email,
      options: { redirectTo: "http://localhost:3000/welcome" },
    });
    expect(error).toBeNull();
    expect(data.properties?.verification_type).toBe("magiclink");
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
    expect(data.properties?.hashed_token).toMatch(/^[0-9a-f]{56}$/);
    expect(data.user?.id).toBe(u.id);
    const to = await openLink(data.properties!.action_link);
    expect(to.pathname).toBe("/welcome");
    expect(new URLSearchParams(to.hash.slice(1)).get("type")).toBe("magiclink");
    const recovery = await admin.generateLink({ type: "recovery", email: u.email });
    const v = await anonClient().auth.verifyOtp({
      token_hash: recovery.data.properties!.hashed_token,
      type: "recovery",
    });
    expect(v.error).toBeNull();
    const missing = await admin.generateLink({ type: "recovery", email: uniqueEmail("nobody") });
    expect(missing.error?.status).toBe(404);
  });

  it("invites a user by email; the invite link confirms them", async () => {
    const admin = serviceClient().auth.admin;
    const email = uniqueEmail("invited");
    const { data, error } = await admin.inviteUserByEmail(email, { data: { org: "acme" } });
    expect(error).toBeNull();
    expect(data.user?.invited_at).toBeTruthy();
    const r = await fetch(`${env().MAILBOX_URL}/api/v1/messages?to=${email}`);
    const mail = ((await r.json()) as { messages: { subject: string; text: string }[] })
      .messages[0];
    expect(mail?.subject).toBe("You have been invited");
    const link = /(http\S+verify\?\S+)/.exec(mail?.text ?? "")?.[1];
    const to = await openLink(link!);
    expect(new URLSearchParams(to.hash.slice(1)).get("access_token")).toBeTruthy();
  });

  it("refuses a user's token with 403 not_admin", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    const { data } = await c.auth.signInWithPassword({ email: u.email, password: u.password });
    const r = await raw("/admin/users", { bearer: data.session!.access_token });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ code: "not_admin", message: "User not allowed" });
    const anon = await anonClient().auth.admin.listUsers();
    expect(anon.error).toBeInstanceOf(AuthApiError);
    expect(anon.error?.code).toBe("not_admin");
  });
});

describe("brute-force lockout", () => {
  it("locks an email after 5 failures with 429 over_request_rate_limit, even for the right password", async () => {
    const u = await confirmedUser();
    for (let i = 0; i < 5; i++) {
      const { error } = await anonClient().auth.signInWithPassword({
        email: u.email,
        password: `wrong-guess-${i}-xx`,
      });
      expect(error?.code).toBe("invalid_credentials");
    }
    const locked = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: u.password,
    });
    expect(locked.error).toBeInstanceOf(AuthApiError);
    expect(locked.error?.status).toBe(429);
    expect(locked.error?.code).toBe("over_request_rate_limit");
    const r = await raw("/token?grant_type=password", {
      method: "POST",
      body: JSON.stringify({ email: u.email.toUpperCase(), password: u.password }),
    });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    const audit = await db().query(
      `select payload->>'action' as action from auth.audit_log_entries
        where payload->>'actor_id' = $1 and payload->>'action' in ('login_failed', 'login_locked')`,
      [u.id],
    );
    const actions = audit.rows.map((row) => row.action);
    expect(actions.filter((a) => a === "login_failed")).toHaveLength(5);
    expect(actions).toContain("login_locked");
    // A password reset by an admin lifts the lock.
    await serviceClient().auth.admin.updateUserById(u.id, { password: "after-Lockout-pass-11" });
    const after = await anonClient().auth.signInWithPassword({
      email: u.email,
      password: "after-Lockout-pass-11",
    });
    expect(after.error).toBeNull();
  });

  it("locks unknown emails the same way, revealing nothing", async () => {
    const email = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++)
      await anonClient().auth.signInWithPassword({ email, password: GOOD_PASSWORD });
    const { error } = await anonClient().auth.signInWithPassword({
      email,
      password: GOOD_PASSWORD,
    });
    expect(error?.status).toBe(429);
  });
});
