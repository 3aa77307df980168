import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import {
  type AccessTokenClaims,
  signAccessToken,
  signApiKeys,
  verifyJwt,
} from "@/devstack/auth/jwt";

const DEMO_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
const DEMO_ANON =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
const DEMO_SERVICE =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";

const claims = (over: Partial<AccessTokenClaims> = {}): AccessTokenClaims => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    aud: "authenticated",
    exp: iat + 3600,
    iat,
    iss: "http://127.0.0.1:54321/auth/v1",
    sub: "8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e",
    email: "ada@example.com",
    phone: "",
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    role: "authenticated",
    aal: "aal1",
    amr: [{ method: "password", timestamp: iat }],
    session_id: "0b8c1b5e-4a0e-4b55-9a53-3f3e1f1f0a11",
    is_anonymous: false,
    ...over,
  };
};

describe("signApiKeys", () => {
  it("reproduces the Supabase CLI's well-known demo keys from the default secret", async () => {
    const keys = await signApiKeys(DEMO_SECRET);
    expect(keys.anon).toBe(DEMO_ANON);
    expect(keys.serviceRole).toBe(DEMO_SERVICE);
  });

  it("derives different keys from another secret, verifiable only with it", async () => {
    const other = "another-secret-that-is-at-least-32-characters";
    const keys = await signApiKeys(other);
    expect(keys.anon).not.toBe(DEMO_ANON);
    const ok = await verifyJwt(keys.serviceRole, other);
    expect(ok.ok && ok.claims.role).toBe("service_role");
    expect((await verifyJwt(keys.anon, DEMO_SECRET)).ok).toBe(false);
  });
});

describe("access tokens", () => {
  it("carry GoTrue's claims with aud as a string and an HS256 header without kid", async () => {
    const token = await signAccessToken(claims(), DEMO_SECRET);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const v = await verifyJwt(token, DEMO_SECRET);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.claims.aud).toBe("authenticated");
      expect(v.claims).toMatchObject({
        aal: "aal1",
        session_id: claims().session_id,
        is_anonymous: false,
      });
    }
  });

  it("are refused when expired or tampered with", async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const expired = await verifyJwt(
      await signAccessToken(claims({ exp: past }), DEMO_SECRET),
      DEMO_SECRET,
    );
    expect(expired).toMatchObject({ ok: false, reason: "expired" });
    const token = await signAccessToken(claims(), DEMO_SECRET);
    const [h, , s] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ role: "service_role" }))).toString("base64url")}.${s}`;
    expect(await verifyJwt(forged, DEMO_SECRET)).toMatchObject({ ok: false, reason: "invalid" });
    expect((await verifyJwt("not-a-jwt", DEMO_SECRET)).ok).toBe(false);
  });
});
