import { AuthApiError } from "@supabase/supabase-js";
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
  linkAndCode,
  openLink,
  raw,
  ssrClient,
  uniqueEmail,
} from "./auth-support";

afterAll(closeDb);

const CALLBACK = "http://localhost:3000/auth/callback";
const COOKIE = `sb-${new URL(env().API_URL).hostname.split(".")[0]}-auth-token`;

describe("email confirmation links", () => {
  it("implicit flow: the link redirects with the session in the fragment", async () => {
    const email = uniqueEmail("implicit");
    await anonClient().auth.signUp({
      email,
      password: GOOD_PASSWORD,
      options: { emailRedirectTo: `${CALLBACK}?next=%2Fhome` },
    });
    const { link } = linkAndCode(await latestMail(email));
    expect(new URL(link).searchParams.get("type")).toBe("signup");
    const to = await openLink(link);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get("next")).toBe("/home");
    const frag = new URLSearchParams(to.hash.slice(1));
    expect(frag.get("type")).toBe("signup");
    expect(frag.get("token_type")).toBe("bearer");
    expect(claimsOf(frag.get("access_token") ?? "").email).toBe(email);
    const { data } = await anonClient().auth.signInWithPassword({ email, password: GOOD_PASSWORD });
    expect(data.user?.email_confirmed_at).toBeTruthy();
  });

  it("a used or unknown link redirects with otp_expired in the fragment", async () => {
    const email = uniqueEmail();
    await anonClient().auth.signUp({ email, password: GOOD_PASSWORD });
    const { link } = linkAndCode(await latestMail(email));
    await openLink(link);
    const again = await openLink(link);
    const frag = new URLSearchParams(again.hash.slice(1));
    expect(frag.get("error")).toBe("access_denied");
    expect(frag.get("error_code")).toBe("otp_expired");
    expect(frag.get("error_description")).toBe("Email link is invalid or has expired");
  });

  it("a redirect_to outside the allow list falls back to the site URL", async () => {
    const email = uniqueEmail();
    await anonClient().auth.signUp({
      email,
      password: GOOD_PASSWORD,
      options: { emailRedirectTo: "https://evil.example.net/steal" },
    });
    const to = await openLink(linkAndCode(await latestMail(email)).link);
    expect(to.origin).toBe(new URL(env().NEXT_PUBLIC_SITE_URL ?? "http://localhost:3000").origin);
    expect(to.hostname).not.toBe("evil.example.net");
  });
});

describe("PKCE with @supabase/ssr (cookie storage)", () => {
  it("sign-up → email link → ?code → exchangeCodeForSession sets the session cookie", async () => {
    const jar = new CookieJar();
    const ssr = ssrClient(jar);
    const email = uniqueEmail("pkce");
    const { data, error } = await ssr.auth.signUp({
      email,
      password: GOOD_PASSWORD,
      options: { emailRedirectTo: `${CALLBACK}?next=%2Fapp` },
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    const { link } = linkAndCode(await latestMail(email));
    expect(new URL(link).searchParams.get("token")).toMatch(/^pkce_[0-9a-f]{56}$/);
    const to = await openLink(link);
    expect(to.searchParams.get("next")).toBe("/app");
    const code = to.searchParams.get("code");
    expect(code).toMatch(/^[0-9a-f-]{36}$/);
    const ex = await ssr.auth.exchangeCodeForSession(code!);
    expect(ex.error).toBeNull();
    expect(ex.data.session?.user.email).toBe(email);
    expect(claimsOf(ex.data.session!.access_token).amr).toEqual([
      { method: "email/signup", timestamp: expect.any(Number) },
    ]);
    expect(jar.values.get(COOKIE)).toMatch(/^base64-/);
    const server = ssrClient(jar);
    const user = await server.auth.getUser();
    expect(user.data.user?.email).toBe(email);
    // The code is single-use.
    const replay = await raw("/token?grant_type=pkce", {
      method: "POST",
      body: JSON.stringify({ auth_code: code, code_verifier: "x".repeat(43) }),
    });
    expect(replay.status).toBe(404);
    expect(((await replay.json()) as { code: string }).code).toBe("flow_state_not_found");
  });

  it("answers bad_code_verifier for a wrong verifier and flow_state_expired after 5 minutes", async () => {
    const jar = new CookieJar();
    const email = uniqueEmail();
    await ssrClient(jar).auth.signUp({
      email,
      password: GOOD_PASSWORD,
      options: { emailRedirectTo: CALLBACK },
    });
    const code = (await openLink(linkAndCode(await latestMail(email)).link)).searchParams.get(
      "code",
    );
    const wrong = await raw("/token?grant_type=pkce", {
      method: "POST",
      body: JSON.stringify({ auth_code: code, code_verifier: "y".repeat(50) }),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { code: string }).code).toBe("bad_code_verifier");
    await db().query(
      "update auth.flow_state set created_at = now() - interval '6 minutes' where auth_code = $1",
      [code],
    );
    const { error } = await ssrClient(jar).auth.exchangeCodeForSession(code!);
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("flow_state_expired");
  });

  it("password recovery: link → code → session with amr recovery → new password", async () => {
    const u = await confirmedUser();
    const jar = new CookieJar();
    const ssr = ssrClient(jar);
    const { error } = await ssr.auth.resetPasswordForEmail(u.email, {
      redirectTo: `${CALLBACK}?next=/reset`,
    });
    expect(error).toBeNull();
    const mail = await latestMail(u.email, "Reset Your Password");
    const to = await openLink(linkAndCode(mail).link);
    const ex = await ssr.auth.exchangeCodeForSession(to.searchParams.get("code")!);
    expect(ex.error).toBeNull();
    expect((claimsOf(ex.data.session!.access_token).amr as { method: string }[])[0]?.method).toBe(
      "recovery",
    );
    const next = "brand-New-passphrase-88";
    expect((await ssr.auth.updateUser({ password: next })).error).toBeNull();
    const signIn = await anonClient().auth.signInWithPassword({ email: u.email, password: next });
    expect(signIn.error).toBeNull();
  });
});

describe("recover and verifyOtp", () => {
  it("answers 200 {} for an unknown email and sends nothing", async () => {
    const email = uniqueEmail("ghost");
    const r = await raw("/recover", { method: "POST", body: JSON.stringify({ email }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    const list = await fetch(`${env().MAILBOX_URL}/api/v1/messages?to=${email}`);
    expect(((await list.json()) as { total: number }).total).toBe(0);
  });

  it("refuses a second recovery mail within a minute with 429 over_email_send_rate_limit", async () => {
    const u = await confirmedUser();
    expect((await anonClient().auth.resetPasswordForEmail(u.email)).error).toBeNull();
    const again = await anonClient().auth.resetPasswordForEmail(u.email);
    expect(again.error?.status).toBe(429);
    expect(again.error?.code).toBe("over_email_send_rate_limit");
  });

  it("verifies a recovery code sent by email (email + token)", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.resetPasswordForEmail(u.email);
    const { code } = linkAndCode(await latestMail(u.email, "Reset Your Password"));
    const { data, error } = await c.auth.verifyOtp({
      email: u.email,
      token: code,
      type: "recovery",
    });
    expect(error).toBeNull();
    expect(data.session?.user.id).toBe(u.id);
    const reuse = await anonClient().auth.verifyOtp({
      email: u.email,
      token: code,
      type: "recovery",
    });
    expect(reuse.error?.status).toBe(403);
    expect(reuse.error?.code).toBe("otp_expired");
  });

  it("verifies a sign-up by token_hash, as the SSR /auth/confirm route does", async () => {
    const email = uniqueEmail("hash");
    await anonClient().auth.signUp({ email, password: GOOD_PASSWORD });
    const tokenHash = new URL(linkAndCode(await latestMail(email)).link).searchParams.get("token")!;
    const bad = await anonClient().auth.verifyOtp({ token_hash: "0".repeat(56), type: "signup" });
    expect(bad.error?.code).toBe("otp_expired");
    const { data, error } = await anonClient().auth.verifyOtp({
      token_hash: tokenHash,
      type: "signup",
    });
    expect(error).toBeNull();
    expect(data.user?.email_confirmed_at).toBeTruthy();
  });

  it("type email accepts a sign-up code and a wrong code fails", async () => {
    const email = uniqueEmail();
    await anonClient().auth.signUp({ email, password: GOOD_PASSWORD });
    const { code } = linkAndCode(await latestMail(email));
    const wrong = await anonClient().auth.verifyOtp({
      email,
      token: code === "000000" ? "111111" : "000000",
      type: "email",
    });
    expect(wrong.error?.code).toBe("otp_expired");
    const ok = await anonClient().auth.verifyOtp({ email, token: code, type: "email" });
    expect(ok.error).toBeNull();
  });
});

describe("email change", () => {
  it("needs both links (secure change), then the new email signs in", async () => {
    const u = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: u.email, password: u.password });
    const newEmail = uniqueEmail("changed");
    const upd = await c.auth.updateUser({ email: newEmail }, { emailRedirectTo: CALLBACK });
    expect(upd.error).toBeNull();
    expect(upd.data.user?.new_email).toBe(newEmail);
    const toNew = await latestMail(newEmail, "Confirm Email Change");
    const toOld = await latestMail(u.email, "Confirm Email Change");
    const first = await openLink(linkAndCode(toOld).link);
    expect(new URLSearchParams(first.hash.slice(1)).get("message")).toMatch(
      /^Confirmation link accepted/,
    );
    const second = await openLink(linkAndCode(toNew).link);
    const frag = new URLSearchParams(second.hash.slice(1));
    expect(claimsOf(frag.get("access_token") ?? "").email).toBe(newEmail);
    const signIn = await anonClient().auth.signInWithPassword({
      email: newEmail,
      password: u.password,
    });
    expect(signIn.error).toBeNull();
  });

  it("under PKCE (@supabase/ssr) the first link says 'accepted', the second returns a code", async () => {
    const u = await confirmedUser();
    const jar = new CookieJar();
    const ssr = ssrClient(jar);
    await ssr.auth.signInWithPassword({ email: u.email, password: u.password });
    const newEmail = uniqueEmail("pkce-change");
    const upd = await ssr.auth.updateUser({ email: newEmail }, { emailRedirectTo: CALLBACK });
    expect(upd.error).toBeNull();
    const oldLink = linkAndCode(await latestMail(u.email, "Confirm Email Change")).link;
    const newLink = linkAndCode(await latestMail(newEmail, "Confirm Email Change")).link;
    expect(new URL(newLink).searchParams.get("token")).toMatch(/^pkce_/);
    const first = await openLink(newLink);
    expect(first.searchParams.get("message")).toMatch(/^Confirmation link accepted/);
    expect(first.searchParams.get("code")).toBeNull();
    const second = await openLink(oldLink);
    const ex = await ssr.auth.exchangeCodeForSession(second.searchParams.get("code")!);
    expect(ex.error).toBeNull();
    expect(ex.data.user?.email).toBe(newEmail);
    expect((claimsOf(ex.data.session!.access_token).amr as { method: string }[])[0]?.method).toBe(
      "email_change",
    );
  });

  it("refuses an email that another user has with email_exists", async () => {
    const a = await confirmedUser();
    const b = await confirmedUser();
    const c = anonClient();
    await c.auth.signInWithPassword({ email: a.email, password: a.password });
    const { error } = await c.auth.updateUser({ email: b.email });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("email_exists");
  });
});

describe("resend and magic links", () => {
  it("resend({type:'signup'}) mails a fresh PKCE link that replaces the old one", async () => {
    const jar = new CookieJar();
    const ssr = ssrClient(jar);
    const email = uniqueEmail("resend");
    await ssr.auth.signUp({
      email,
      password: GOOD_PASSWORD,
      options: { emailRedirectTo: CALLBACK },
    });
    const first = linkAndCode(await latestMail(email)).link;
    // Within config.toml's max_frequency (1 minute) GoTrue refuses another mail of the kind.
    const tooSoon = await ssr.auth.resend({
      type: "signup",
      email,
      options: { emailRedirectTo: CALLBACK },
    });
    expect(tooSoon.error?.status).toBe(429);
    expect(tooSoon.error?.code).toBe("over_email_send_rate_limit");
    expect(tooSoon.error?.message).toMatch(
      /^For security purposes, you can only request this after \d+ seconds\.$/,
    );
    await db().query(
      "update auth.users set confirmation_sent_at = now() - interval '61 seconds' where email = $1",
      [email],
    );
    const { error } = await ssr.auth.resend({
      type: "signup",
      email,
      options: { emailRedirectTo: CALLBACK },
    });
    expect(error).toBeNull();
    const r = await fetch(`${env().MAILBOX_URL}/api/v1/messages?to=${email}`);
    const all = (await r.json()) as { messages: { text: string }[] };
    expect(all.messages).toHaveLength(2);
    const second = linkAndCode(await latestMail(email)).link;
    expect(second).not.toBe(first);
    const stale = await openLink(first);
    expect(new URLSearchParams(stale.hash.slice(1)).get("error_code")).toBe("otp_expired");
    const to = await openLink(second);
    const ex = await ssr.auth.exchangeCodeForSession(to.searchParams.get("code")!);
    expect(ex.error).toBeNull();
    expect(ex.data.user?.email).toBe(email);
  });

  it("resend for a confirmed or unknown email answers success and sends nothing", async () => {
    const u = await confirmedUser();
    const before = await fetch(`${env().MAILBOX_URL}/api/v1/messages?to=${u.email}`);
    const n = ((await before.json()) as { total: number }).total;
    expect((await anonClient().auth.resend({ type: "signup", email: u.email })).error).toBeNull();
    expect(
      (await anonClient().auth.resend({ type: "signup", email: uniqueEmail("x") })).error,
    ).toBeNull();
    const after = await fetch(`${env().MAILBOX_URL}/api/v1/messages?to=${u.email}`);
    expect(((await after.json()) as { total: number }).total).toBe(n);
  });

  it("signInWithOtp mails a magic link that signs in; create_user:false refuses unknown emails", async () => {
    const u = await confirmedUser();
    const { error } = await anonClient().auth.signInWithOtp({
      email: u.email,
      options: { emailRedirectTo: CALLBACK, shouldCreateUser: false },
    });
    expect(error).toBeNull();
    const to = await openLink(linkAndCode(await latestMail(u.email, "Your Magic Link")).link);
    const frag = new URLSearchParams(to.hash.slice(1));
    expect(frag.get("type")).toBe("magiclink");
    expect(claimsOf(frag.get("access_token")!).sub).toBe(u.id);
    const unknown = await anonClient().auth.signInWithOtp({
      email: uniqueEmail("nope"),
      options: { shouldCreateUser: false },
    });
    expect(unknown.error?.status).toBe(422);
    expect(unknown.error?.code).toBe("otp_disabled");
  });
});
