import { describe, expect, it } from "vitest";
import { appUrl, get, PASSWORD, signedIn } from "./helpers";

/**
 * Signs in the way a browser without JavaScript does (the sign-in page's form, posted as
 * multipart) and checks the session cookies the app sets: HTTP-only, SameSite=Lax, Secure only
 * over HTTPS, and good enough to open a page that needs a user.
 */

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

async function signInForm(): Promise<FormData> {
  const html = await (await get("/sign-in")).text();
  const form = (html.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? []).find((f) =>
    /name="password"/.test(f),
  );
  if (!form) throw new Error("no password form on /sign-in");
  const data = new FormData();
  for (const input of form.match(/<input\b[^>]*>/g) ?? []) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    const type = /\btype="([^"]*)"/.exec(input)?.[1];
    if (!name || type !== "hidden") continue;
    data.append(decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? ""));
  }
  return data;
}

async function postSignIn(email: string, password: string): Promise<Response> {
  const data = await signInForm();
  data.set("email", email);
  data.set("password", password);
  return fetch(`${appUrl()}/sign-in`, { method: "POST", body: data, redirect: "manual" });
}

describe("sign-in sets safe session cookies", () => {
  it("a correct password sets HTTP-only, SameSite=Lax auth cookies that open protected pages", async () => {
    const user = await signedIn("form-sign-in");
    const res = await postSignIn(user.email, PASSWORD);
    expect([200, 303]).toContain(res.status);
    const cookies = res.headers.getSetCookie().filter((c) => /^sb-[^=]+-auth-token/.test(c));
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      if (appUrl().startsWith("https://")) expect(cookie).toMatch(/;\s*Secure/i);
    }
    const jar = cookies.map((c) => c.split(";")[0]).join("; ");
    const page = await get("/onboarding", { cookie: jar });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(PASSWORD);
    const signedOut = await get("/onboarding");
    expect([303, 307, 308]).toContain(signedOut.status);
  });

  it("a wrong password sets no session cookie", async () => {
    const user = await signedIn("form-wrong");
    const res = await postSignIn(user.email, "not-the-password-at-all");
    const cookies = res.headers.getSetCookie().filter((c) => /^sb-[^=]+-auth-token=[^;]/.test(c));
    expect(cookies).toEqual([]);
  });
});
