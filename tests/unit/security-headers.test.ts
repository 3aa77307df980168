import { describe, expect, it } from "vitest";
import { securityTxt } from "@/lib/security/security-txt";
import { buildCsp } from "@/middleware";
import { securityHeaders } from "@/next.config";

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe("Content-Security-Policy", () => {
  const csp = buildCsp({
    nonce: "abc123==",
    supabaseUrl: "https://ref.supabase.co",
    sentryDsn: "https://key@o1.ingest.sentry.io/42",
    https: true,
  });
  const d = directives(csp);

  it("allows scripts only by nonce (no unsafe-inline, no unsafe-eval in production)", () => {
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp).not.toContain("unsafe-eval");
    expect(buildCsp({ nonce: "n", supabaseUrl: "http://127.0.0.1:54321", dev: true })).toContain(
      "'unsafe-eval'",
    );
  });

  it("forbids plugins, base-tag hijacking and framing", () => {
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("lets the browser reach only the app, Supabase and Sentry", () => {
    expect(d.get("connect-src")).toEqual([
      "'self'",
      "https://ref.supabase.co",
      "wss://ref.supabase.co",
      "https://o1.ingest.sentry.io",
    ]);
  });
});

describe("static security headers", () => {
  const byName = new Map(securityHeaders.map((h) => [h.key.toLowerCase(), h.value]));
  it("sets HSTS for two years with subdomains and preload, nosniff, referrer and permissions", () => {
    expect(byName.get("strict-transport-security")).toBe(
      "max-age=63072000; includeSubDomains; preload",
    );
    expect(byName.get("x-content-type-options")).toBe("nosniff");
    expect(byName.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(byName.get("permissions-policy")).toMatch(/camera=\(\)/);
  });
});

describe("security.txt (RFC 9116)", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const text = securityTxt("https://app.patchline.dev", now);
  const fields = new Map(
    text
      .trim()
      .split("\n")
      .map((line) => {
        const i = line.indexOf(": ");
        return [line.slice(0, i), line.slice(i + 2)] as const;
      }),
  );

  it("has the required fields with valid values", () => {
    expect(fields.get("Contact")).toMatch(/^(mailto:|https:\/\/)/);
    expect(fields.get("Canonical")).toBe("https://app.patchline.dev/.well-known/security.txt");
    expect(fields.get("Policy")).toMatch(/^https:\/\/app\.patchline\.dev\//);
    expect(fields.get("Preferred-Languages")).toBe("en");
    const expires = new Date(fields.get("Expires") ?? "");
    expect(expires.getTime()).toBeGreaterThan(now.getTime());
    expect(expires.getTime() - now.getTime()).toBeLessThan(365 * 24 * 3600 * 1000);
    expect(fields.get("Expires")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});
