import { describe, expect, it } from "vitest";
import { cspNonce, get } from "./helpers";

/** Security headers on the running app (`next start`). */

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

describe("security headers", () => {
  for (const path of ["/sign-in", "/.well-known/security.txt", "/some-workspace"]) {
    it(`are on ${path}`, async () => {
      const res = await get(path);
      expect(res.headers.get("strict-transport-security")).toBe(
        "max-age=63072000; includeSubDomains; preload",
      );
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
      expect(res.headers.get("x-powered-by")).toBeNull();
      const csp = directives(res.headers.get("content-security-policy") ?? "");
      expect(csp.get("object-src")).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(csp.get("base-uri")).toEqual(["'self'"]);
      expect(csp.get("script-src")).toContain("'strict-dynamic'");
      expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
      expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
    });
  }

  it("the CSP nonce is fresh on every request and is the one on the page's scripts", async () => {
    const first = await get("/sign-in");
    const second = await get("/sign-in");
    const a = cspNonce(first);
    const b = cspNonce(second);
    expect(a).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    expect(b).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    expect(a).not.toBe(b);
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${a}"`);
  });

  it("signed-out visitors of a workspace page are sent to sign-in with where they were going", async () => {
    const res = await get("/some-workspace/members");
    expect([303, 307, 308]).toContain(res.status);
    const location = new URL(res.headers.get("location") ?? "", "http://x");
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("next")).toBe("/some-workspace/members");
  });

  it("signed-out API calls get a 401 JSON error, not a redirect", async () => {
    const res = await get("/api/not-a-public-route");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: "unauthenticated", message: "Sign in to continue." },
    });
  });
});

describe("security.txt", () => {
  it("is valid RFC 9116 plain text", async () => {
    const res = await get("/.well-known/security.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; charset=utf-8/);
    const text = await res.text();
    const fields = new Map<string, string>();
    for (const line of text.split("\n").filter(Boolean)) {
      const m = /^([A-Za-z-]+): (.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      if (m?.[1] && m[2]) fields.set(m[1], m[2]);
    }
    expect(fields.get("Contact")).toMatch(/^(mailto:|https:\/\/)/);
    const expires = Date.parse(fields.get("Expires") ?? "");
    expect(expires).toBeGreaterThan(Date.now());
    expect(expires - Date.now()).toBeLessThan(365 * 24 * 3600 * 1000);
    expect(fields.get("Preferred-Languages")).toBe("en");
    expect(fields.get("Canonical")).toMatch(/\/\.well-known\/security\.txt$/);
    const policy = fields.get("Policy") ?? "";
    const policyRes = await get(new URL(policy).pathname);
    expect(policyRes.status).toBe(200);
    expect(await policyRes.text()).toContain("security@patchline.dev");
  });
});
