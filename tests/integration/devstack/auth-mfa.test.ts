import type { SupabaseClient } from "@supabase/supabase-js";
import { generateSync } from "otplib";
import { afterAll, describe, expect, it } from "vitest";
import { anonClient, claimsOf, closeDb, confirmedUser, db, raw } from "./auth-support";

afterAll(closeDb);

const code = (secret: string, offsetSeconds = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

async function signedIn() {
  const u = await confirmedUser();
  const c = anonClient();
  const { data } = await c.auth.signInWithPassword({ email: u.email, password: u.password });
  return { u, c, session: data.session! };
}

async function enrollAndVerify(c: SupabaseClient) {
  const enrolled = await c.auth.mfa.enroll({ factorType: "totp", friendlyName: "phone app" });
  if (enrolled.error) throw enrolled.error;
  const secret = enrolled.data.totp.secret;
  const v = await c.auth.mfa.challengeAndVerify({ factorId: enrolled.data.id, code: code(secret) });
  if (v.error) throw v.error;
  return { factorId: enrolled.data.id, secret, session: v.data };
}

describe("TOTP enrollment", () => {
  it("returns the secret, an otpauth URI and an SVG QR code", async () => {
    const { u, c } = await signedIn();
    const { data, error } = await c.auth.mfa.enroll({ factorType: "totp", friendlyName: "laptop" });
    expect(error).toBeNull();
    expect(data?.type).toBe("totp");
    expect(data?.friendly_name).toBe("laptop");
    expect(data?.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(data?.totp.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(data?.totp.uri).toContain(`secret=${data?.totp.secret}`);
    expect(data?.totp.uri).toContain(encodeURIComponent(u.email).replace("%40", "@"));
    expect(data?.totp.qr_code).toMatch(/^data:image\/svg\+xml;utf-8,<svg /);
    const factors = await c.auth.mfa.listFactors();
    expect(factors.data?.all.map((f) => f.status)).toEqual(["unverified"]);
    expect(factors.data?.totp).toEqual([]);
  });

  it("refuses a duplicate friendly name with mfa_factor_name_conflict", async () => {
    const { c } = await signedIn();
    await c.auth.mfa.enroll({ factorType: "totp", friendlyName: "same" });
    const { error } = await c.auth.mfa.enroll({ factorType: "totp", friendlyName: "same" });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("mfa_factor_name_conflict");
  });
});

describe("challenge and verify", () => {
  it("a wrong code fails with mfa_verification_failed; the right one lifts the same session to aal2", async () => {
    const { c, session } = await signedIn();
    const { data: enrolled } = await c.auth.mfa.enroll({ factorType: "totp" });
    const { data: challenge } = await c.auth.mfa.challenge({ factorId: enrolled!.id });
    expect(challenge?.type).toBe("totp");
    expect(challenge!.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(290);
    const good = code(enrolled!.totp.secret);
    const wrong = await c.auth.mfa.verify({
      factorId: enrolled!.id,
      challengeId: challenge!.id,
      code: good === "000000" ? "111111" : "000000",
    });
    expect(wrong.error?.status).toBe(422);
    expect(wrong.error?.code).toBe("mfa_verification_failed");
    const ok = await c.auth.mfa.verify({
      factorId: enrolled!.id,
      challengeId: challenge!.id,
      code: good,
    });
    expect(ok.error).toBeNull();
    const claims = claimsOf(ok.data!.access_token);
    expect(claims.aal).toBe("aal2");
    expect(claims.session_id).toBe(claimsOf(session.access_token).session_id);
    expect((claims.amr as { method: string }[]).map((a) => a.method).sort()).toEqual([
      "password",
      "totp",
    ]);
    const aal = await c.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(aal.data).toMatchObject({ currentLevel: "aal2", nextLevel: "aal2" });
    const refreshed = await c.auth.refreshSession();
    expect(claimsOf(refreshed.data.session!.access_token).aal).toBe("aal2");
    const audit = await db().query(
      `select payload->'traits'->>'success' as success from auth.audit_log_entries
        where payload->>'action' = 'verification_attempted' and payload->'traits'->>'factor_id' = $1
        order by created_at`,
      [enrolled!.id],
    );
    expect(audit.rows.map((r) => r.success)).toEqual(["false", "true"]);
  });

  it("an expired challenge fails with mfa_challenge_expired", async () => {
    const { c } = await signedIn();
    const { data: enrolled } = await c.auth.mfa.enroll({ factorType: "totp" });
    const { data: challenge } = await c.auth.mfa.challenge({ factorId: enrolled!.id });
    await db().query(
      "update auth.mfa_challenges set created_at = now() - interval '6 minutes' where id = $1",
      [challenge!.id],
    );
    const { error } = await c.auth.mfa.verify({
      factorId: enrolled!.id,
      challengeId: challenge!.id,
      code: code(enrolled!.totp.secret),
    });
    expect(error?.code).toBe("mfa_challenge_expired");
  });

  it("an unknown factor is 404 mfa_factor_not_found", async () => {
    const { c } = await signedIn();
    const { error } = await c.auth.mfa.challenge({
      factorId: "6f1c8f7e-0d5e-4c50-8d0e-2c2b4b7e9a01",
    });
    expect(error?.status).toBe(404);
    expect(error?.code).toBe("mfa_factor_not_found");
  });
});

describe("MFA-protected account", () => {
  it("a new sign-in is aal1 with nextLevel aal2 and cannot change the password until verified", async () => {
    const { u, c } = await signedIn();
    const { secret, factorId } = await enrollAndVerify(c);
    const second = anonClient();
    await second.auth.signInWithPassword({ email: u.email, password: u.password });
    const aal = await second.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(aal.data).toMatchObject({ currentLevel: "aal1", nextLevel: "aal2" });
    const blocked = await second.auth.updateUser({ password: "yet-Another-passphrase-5" });
    expect(blocked.error?.status).toBe(401);
    expect(blocked.error?.code).toBe("insufficient_aal");
    const unenrollLow = await second.auth.mfa.unenroll({ factorId });
    expect(unenrollLow.error?.status).toBe(422);
    expect(unenrollLow.error?.code).toBe("insufficient_aal");
    const v = await second.auth.mfa.challengeAndVerify({ factorId, code: code(secret) });
    expect(v.error).toBeNull();
    expect(
      (await second.auth.updateUser({ password: "yet-Another-passphrase-5" })).error,
    ).toBeNull();
  });

  it("unenroll with aal2 removes the factor and the session drops to aal1", async () => {
    const { c } = await signedIn();
    const { factorId } = await enrollAndVerify(c);
    const { data, error } = await c.auth.mfa.unenroll({ factorId });
    expect(error).toBeNull();
    expect(data?.id).toBe(factorId);
    const refreshed = await c.auth.refreshSession();
    expect(claimsOf(refreshed.data.session!.access_token).aal).toBe("aal1");
    expect((await c.auth.mfa.listFactors()).data?.all).toEqual([]);
  });

  it("the API answers insufficient_aal to enroll a second factor from an aal1 session", async () => {
    const { u, c } = await signedIn();
    await enrollAndVerify(c);
    const low = (
      await anonClient().auth.signInWithPassword({ email: u.email, password: u.password })
    ).data.session!;
    const r = await raw("/factors", {
      method: "POST",
      bearer: low.access_token,
      body: JSON.stringify({ factor_type: "totp", friendly_name: "second" }),
    });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe("insufficient_aal");
  });
});
