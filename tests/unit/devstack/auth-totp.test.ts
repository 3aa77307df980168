import { describe, expect, it } from "vitest";
import { totpCode, totpQrSvg, totpUri, verifyTotp } from "@/devstack/auth/totp";

// RFC 6238 appendix B, SHA1 seed "12345678901234567890" (base32), truncated to 6 digits.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const at = (s: number) => new Date(s * 1000);

describe("TOTP", () => {
  it("matches the RFC 6238 SHA1 vectors (6 digits)", () => {
    expect(totpCode(RFC_SECRET, at(59))).toBe("287082");
    expect(totpCode(RFC_SECRET, at(1111111109))).toBe("081804");
    expect(totpCode(RFC_SECRET, at(1234567890))).toBe("005924");
  });

  it("accepts one period of skew either way, not two (GoTrue's Skew: 1)", () => {
    const code = totpCode(RFC_SECRET, at(1111111109));
    expect(verifyTotp(RFC_SECRET, code, at(1111111109))).toBe(true);
    expect(verifyTotp(RFC_SECRET, code, at(1111111109 + 30))).toBe(true);
    expect(verifyTotp(RFC_SECRET, code, at(1111111109 - 30))).toBe(true);
    expect(verifyTotp(RFC_SECRET, code, at(1111111109 + 90))).toBe(false);
    expect(verifyTotp(RFC_SECRET, "12345", at(1111111109))).toBe(false);
    expect(verifyTotp(RFC_SECRET, "abcdef", at(1111111109))).toBe(false);
  });

  it("builds pquerna/otp's otpauth URI and an SVG QR code", async () => {
    const uri = totpUri("patchline.dev", "ada@example.com", RFC_SECRET);
    expect(uri).toBe(
      `otpauth://totp/patchline.dev:ada@example.com?algorithm=SHA1&digits=6&issuer=patchline.dev&period=30&secret=${RFC_SECRET}`,
    );
    const svg = await totpQrSvg(uri);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("</svg>");
  });
});
