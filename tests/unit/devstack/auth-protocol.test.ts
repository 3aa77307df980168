import type { IncomingMessage } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AuthError, apiVersionOf } from "@/devstack/auth/errors";
import { tokenHash } from "@/devstack/auth/mail";
import { challengeFor, parsePkce } from "@/devstack/auth/pkce";
import { isRedirectAllowed, resolveRedirect } from "@/devstack/auth/redirect";
import { loadConfig } from "@/devstack/config";

const req = (version?: string) =>
  ({
    headers: version === undefined ? {} : { "x-supabase-api-version": version },
  }) as IncomingMessage;

describe("apiVersionOf (GoTrue's DetermineClosestAPIVersion)", () => {
  it("selects 2024-01-01 for that date and later, initial otherwise", () => {
    expect(apiVersionOf(req("2024-01-01"))).toBe("2024-01-01");
    expect(apiVersionOf(req("2025-06-30"))).toBe("2024-01-01");
    expect(apiVersionOf(req("2023-12-31"))).toBe("initial");
    expect(apiVersionOf(req("yesterday"))).toBe("initial");
    expect(apiVersionOf(req())).toBe("initial");
  });
});

describe("PKCE", () => {
  it("computes the RFC 7636 appendix B S256 challenge", () => {
    expect(challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "s256")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
    expect(challengeFor("plain-verifier", "plain")).toBe("plain-verifier");
  });

  it("accepts both fields or neither, 43-128 unreserved characters, s256/plain in any case", () => {
    expect(parsePkce(null, null)).toBeUndefined();
    expect(parsePkce("a".repeat(43), "S256")).toEqual({
      codeChallenge: "a".repeat(43),
      method: "s256",
    });
    for (const [c, m] of [
      ["a".repeat(43), null],
      [null, "s256"],
      ["a".repeat(42), "s256"],
      ["a".repeat(129), "s256"],
      [`${"a".repeat(42)}!`, "s256"],
      ["a".repeat(43), "md5"],
    ] as const) {
      expect(() => parsePkce(c, m)).toThrow(AuthError);
    }
  });

  it("never accepts a challenge outside the unreserved alphabet (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 43, maxLength: 128 }), (s) => {
        const ok = /^[a-zA-Z._~0-9-]+$/.test(s);
        if (ok) expect(parsePkce(s, "s256")?.codeChallenge).toBe(s);
        else expect(() => parsePkce(s, "s256")).toThrow(AuthError);
      }),
    );
  });
});

describe("email token hash", () => {
  it("is the hex SHA-224 of email followed by the code (GoTrue's GenerateTokenHash)", () => {
    // sha224("ada@example.com123456"), computed independently with `printf … | sha224sum`.
    expect(tokenHash("ada@example.com", "123456")).toBe(
      "b3e6748f730bb25fa8ce9a5fda7fd5bf5f56ee21419043fe1c94d975",
    );
  });
});

describe("redirect allow list (GoTrue's IsRedirectURLValid)", () => {
  const config = loadConfig({
    ...process.env,
    SITE_URL: "http://localhost:3000",
    ADDITIONAL_REDIRECT_URLS:
      "https://*.patchline.dev/**,https://preview.example.com/auth/callback",
  });

  it("allows the site host on any port and path, and glob matches", () => {
    expect(isRedirectAllowed(config, "http://localhost:4000/auth/callback?next=/x")).toBe(true);
    expect(isRedirectAllowed(config, "https://app.patchline.dev/auth/confirm")).toBe(true);
    expect(isRedirectAllowed(config, "https://preview.example.com/auth/callback")).toBe(true);
  });

  it("refuses other hosts, look-alikes and garbage, falling back to the site URL", () => {
    expect(isRedirectAllowed(config, "https://evil.example.net/")).toBe(false);
    expect(isRedirectAllowed(config, "https://patchline.dev.evil.net/x")).toBe(false);
    expect(isRedirectAllowed(config, "https://a.b.patchline.dev/x")).toBe(false);
    expect(isRedirectAllowed(config, "javascript:alert(1)")).toBe(false);
    expect(resolveRedirect(config, "https://evil.example.net/")).toBe("http://localhost:3000");
    expect(resolveRedirect(config, undefined)).toBe("http://localhost:3000");
  });
});
