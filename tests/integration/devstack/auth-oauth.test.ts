import { afterAll, describe, expect, it } from "vitest";
import {
  anonClient,
  authUrl,
  CookieJar,
  claimsOf,
  closeDb,
  confirmedUser,
  env,
  raw,
  ssrClient,
  uniqueEmail,
} from "./auth-support";

afterAll(closeDb);

const CALLBACK = "http://localhost:3000/auth/callback";

async function follow(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: "manual" });
}

/** Drives the stand-in provider as a browser would: authorize → page → Continue → callback. */
async function throughProvider(
  authorizeUrl: string,
  person: { name: string; email: string } | "deny",
): Promise<URL> {
  const toIdp = await follow(authorizeUrl);
  expect(toIdp.status).toBe(302);
  const pageUrl = new URL(toIdp.headers.get("location")!);
  expect(pageUrl.pathname).toMatch(/^\/auth\/v1\/idp\/(github|google)\/authorize$/);
  expect(pageUrl.searchParams.get("redirect_uri")).toBe(`${authUrl()}/callback`);
  const page = await fetch(pageUrl);
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toContain("text/html");
  const html = await page.text();
  expect(html).toContain('data-testid="idp-continue"');
  const form = new URLSearchParams({
    redirect_uri: pageUrl.searchParams.get("redirect_uri")!,
    state: pageUrl.searchParams.get("state")!,
    scope: pageUrl.searchParams.get("scope") ?? "",
  });
  if (person === "deny") form.set("decision", "deny");
  else {
    form.set("decision", "allow");
    form.set("name", person.name);
    form.set("email", person.email);
  }
  const posted = await follow(pageUrl.toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  expect(posted.status).toBe(302);
  const callback = new URL(posted.headers.get("location")!);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${authUrl()}/callback`);
  const back = await follow(callback.toString());
  expect(back.status).toBe(302);
  return new URL(back.headers.get("location")!);
}

describe("OAuth sign-in through the stand-in provider (PKCE, @supabase/ssr)", () => {
  it("GitHub: a new person gets a confirmed user, a session cookie and provider_token", async () => {
    const jar = new CookieJar();
    const ssr = ssrClient(jar);
    const { data, error } = await ssr.auth.signInWithOAuth({
      provider: "github",
      options: { redirectTo: `${CALLBACK}?next=%2Fdashboard` },
    });
    expect(error).toBeNull();
    const authorize = new URL(data.url!);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("s256");
    const email = uniqueEmail("octo");
    const landed = await throughProvider(data.url!, { name: "Octo Cat", email });
    expect(`${landed.origin}${landed.pathname}`).toBe(CALLBACK);
    expect(landed.searchParams.get("next")).toBe("/dashboard");
    const code = landed.searchParams.get("code")!;
    const ex = await ssr.auth.exchangeCodeForSession(code);
    expect(ex.error).toBeNull();
    const s = ex.data.session!;
    expect(s.provider_token).toMatch(/^devstack_github_/);
    expect(s.user.email).toBe(email);
    expect(s.user.email_confirmed_at).toBeTruthy();
    expect(s.user.app_metadata).toEqual({ provider: "github", providers: ["github"] });
    expect(s.user.user_metadata).toMatchObject({
      full_name: "Octo Cat",
      user_name: email.split("@")[0],
      iss: "https://api.github.com",
    });
    expect(s.user.identities?.map((i) => i.provider)).toEqual(["github"]);
    expect((claimsOf(s.access_token).amr as { method: string }[])[0]?.method).toBe("oauth");
    expect((await ssrClient(jar).auth.getUser()).data.user?.id).toBe(s.user.id);
  });

  it("signs the same person in again as the same user", async () => {
    const email = uniqueEmail("again");
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const jar = new CookieJar();
      const ssr = ssrClient(jar);
      const { data } = await ssr.auth.signInWithOAuth({
        provider: "google",
        options: { redirectTo: CALLBACK },
      });
      const landed = await throughProvider(data.url!, { name: "Grace", email });
      const ex = await ssr.auth.exchangeCodeForSession(landed.searchParams.get("code")!);
      ids.push(ex.data.session!.user.id);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it("Google with the email of a password user links the identity to that user", async () => {
    const u = await confirmedUser();
    const jar = new CookieJar();
    const ssr = ssrClient(jar);
    const { data } = await ssr.auth.signInWithOAuth({
      provider: "google",
      options: { redirectTo: CALLBACK },
    });
    const landed = await throughProvider(data.url!, { name: "Linked", email: u.email });
    const ex = await ssr.auth.exchangeCodeForSession(landed.searchParams.get("code")!);
    expect(ex.data.session?.user.id).toBe(u.id);
    expect(ex.data.session?.user.app_metadata.providers).toEqual(["email", "google"]);
    expect(ex.data.session?.user.identities?.map((i) => i.provider).sort()).toEqual([
      "email",
      "google",
    ]);
  });

  it("Cancel on the provider page redirects back with error=access_denied", async () => {
    const ssr = ssrClient(new CookieJar());
    const { data } = await ssr.auth.signInWithOAuth({
      provider: "github",
      options: { redirectTo: CALLBACK },
    });
    const landed = await throughProvider(data.url!, "deny");
    expect(landed.searchParams.get("error")).toBe("access_denied");
    expect(landed.searchParams.get("code")).toBeNull();
    expect(new URLSearchParams(landed.hash.slice(1)).get("error")).toBe("access_denied");
  });
});

describe("OAuth edge cases", () => {
  it("implicit flow puts the session and provider_token in the fragment", async () => {
    const { data } = await anonClient().auth.signInWithOAuth({
      provider: "github",
      options: { redirectTo: CALLBACK, skipBrowserRedirect: true },
    });
    const landed = await throughProvider(data.url!, { name: "Imp", email: uniqueEmail("imp") });
    const frag = new URLSearchParams(landed.hash.slice(1));
    expect(frag.get("provider_token")).toMatch(/^devstack_github_/);
    expect(claimsOf(frag.get("access_token")!).role).toBe("authenticated");
  });

  it("refuses an unknown provider with 400 validation_failed", async () => {
    const r = await raw("/authorize?provider=myspace");
    expect(r.status).toBe(400);
    expect(((await r.json()) as { code: string }).code).toBe("validation_failed");
  });

  it("refuses a callback without state or with an unknown one", async () => {
    const missing = await raw("/callback?code=x");
    expect(await missing.json()).toMatchObject({ code: "bad_oauth_callback" });
    const unknown = await raw("/callback?code=x&state=6f1c8f7e-0d5e-4c50-8d0e-2c2b4b7e9a01");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: "bad_oauth_state" });
  });

  it("answers {url} with skip_http_redirect=true and refuses a foreign redirect_uri on the page", async () => {
    const r = await fetch(`${authUrl()}/authorize?provider=google&skip_http_redirect=true`);
    const { url } = (await r.json()) as { url: string };
    expect(new URL(url).searchParams.get("state")).toMatch(/^[0-9a-f-]{36}$/);
    const evil = new URL(url);
    evil.searchParams.set("redirect_uri", "https://evil.example.net/cb");
    const page = await fetch(evil, { headers: { apikey: env().ANON_KEY } });
    expect(page.status).toBe(400);
  });
});
