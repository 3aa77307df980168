import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  inviteUrl,
  isMfaPendingPath,
  isPublicPath,
  safeNextPath,
  signInUrl,
} from "@/lib/auth/routes";

describe("lib/auth/routes", () => {
  it("knows which paths are public", () => {
    expect(isPublicPath("/")).toBe(true);
    expect(isPublicPath("/sign-in")).toBe(true);
    expect(isPublicPath("/auth/callback")).toBe(true);
    expect(isPublicPath("/invite/abc")).toBe(true);
    expect(isPublicPath("/.well-known/security.txt")).toBe(true);
    expect(isPublicPath("/acme")).toBe(false);
    expect(isPublicPath("/acme/members")).toBe(false);
    expect(isPublicPath("/sign-in-evil")).toBe(false);
    expect(isPublicPath("/invitee")).toBe(false);
    expect(isMfaPendingPath("/mfa")).toBe(true);
    expect(isMfaPendingPath("/acme")).toBe(false);
  });

  it("accepts same-site paths as redirect targets and nothing else", () => {
    expect(safeNextPath("/acme/members?tab=1")).toBe("/acme/members?tab=1");
    for (const bad of [
      "//evil.test",
      "/\\evil.test",
      "https://evil.test",
      "javascript:alert(1)",
      "/\t/evil.test",
      "",
      null,
    ]) {
      expect(safeNextPath(bad, "/")).toBe("/");
    }
  });

  it("never yields a redirect that leaves the site, for any input", () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const out = safeNextPath(input, "/");
        const url = new URL(out, "https://app.patchline.test");
        expect(url.origin).toBe("https://app.patchline.test");
        expect(out.startsWith("/")).toBe(true);
        expect(out.startsWith("//")).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("builds sign-in and invite URLs", () => {
    expect(signInUrl("/acme")).toBe("/sign-in?next=%2Facme");
    expect(signInUrl("//evil")).toBe("/sign-in");
    expect(inviteUrl("https://app.patchline.dev", "ab12")).toBe(
      "https://app.patchline.dev/invite/ab12",
    );
  });
});
