import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { JwtKeyring } from "@/devstack/auth/signing-keys";
import { CLI_DEFAULT_SIGNING_KEY, type SigningJwk } from "@/devstack/config-toml";

const SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
const claims = () => ({ sub: "u", role: "authenticated", exp: Math.floor(Date.now() / 1000) + 60 });
const header = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()) as Record<
    string,
    unknown
  >;

async function rsaKey(kid: string): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid,
    alg: "RS256",
    key_ops: ["sign", "verify"],
  } as SigningJwk;
}

describe("JwtKeyring (GoTrue's JWT keys)", () => {
  it("signs with the CLI's ES256 key, kid in the header, and verifies it", async () => {
    const ring = new JwtKeyring(SECRET, [CLI_DEFAULT_SIGNING_KEY]);
    const token = await ring.sign(claims());
    expect(header(token)).toEqual({ alg: "ES256", typ: "JWT", kid: CLI_DEFAULT_SIGNING_KEY.kid });
    expect(await ring.verify(token)).toMatchObject({ ok: true, claims: { sub: "u" } });
  });

  it("still accepts HS256 tokens signed with the legacy secret, and refuses another secret", async () => {
    const ring = new JwtKeyring(SECRET, [CLI_DEFAULT_SIGNING_KEY]);
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(SECRET));
    expect((await ring.verify(hs)).ok).toBe(true);
    const other = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("x".repeat(40)));
    expect(await ring.verify(other)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("refuses an asymmetric token of an unknown kid, and a known kid signed by another key", async () => {
    const ring = new JwtKeyring(SECRET, [CLI_DEFAULT_SIGNING_KEY]);
    const { privateKey } = await generateKeyPair("ES256");
    const unknown = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid: "nope" })
      .sign(privateKey);
    expect(await ring.verify(unknown)).toMatchObject({
      ok: false,
      message: "unrecognized JWT kid nope for algorithm ES256",
    });
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid: CLI_DEFAULT_SIGNING_KEY.kid })
      .sign(privateKey);
    expect((await ring.verify(forged)).ok).toBe(false);
  });

  it("reports an expired token as expired", async () => {
    const ring = new JwtKeyring(SECRET, [CLI_DEFAULT_SIGNING_KEY]);
    const token = await ring.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 });
    expect(await ring.verify(token)).toMatchObject({ ok: false, reason: "expired" });
  });

  it("publishes public halves only, with use sig and key_ops verify", async () => {
    const rsa = await rsaKey("rsa-1");
    const ring = new JwtKeyring(SECRET, [CLI_DEFAULT_SIGNING_KEY, rsa]);
    const { keys } = await ring.publicJwks();
    expect(keys.map((k) => k.kid)).toEqual([CLI_DEFAULT_SIGNING_KEY.kid, "rsa-1"]);
    for (const k of keys) {
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"])
        expect(k).not.toHaveProperty(secret);
      expect(k).toMatchObject({ use: "sig", key_ops: ["verify"] });
    }
    expect(keys[0]).toMatchObject({
      kty: "EC",
      crv: "P-256",
      alg: "ES256",
      x: CLI_DEFAULT_SIGNING_KEY.x,
    });
  });

  it("signs with the key marked for signing (RS256 here) and never publishes an HMAC key", async () => {
    const rsa = await rsaKey("rsa-2");
    const verifyOnly = { ...CLI_DEFAULT_SIGNING_KEY, key_ops: ["verify"] };
    const hmac: SigningJwk = {
      kty: "oct",
      kid: "hmac",
      alg: "HS256",
      k: Buffer.from(SECRET).toString("base64url"),
    };
    const ring = new JwtKeyring(SECRET, [verifyOnly, rsa, hmac]);
    const token = await ring.sign(claims());
    expect(header(token)).toMatchObject({ alg: "RS256", kid: "rsa-2" });
    expect((await ring.verify(token)).ok).toBe(true);
    expect((await ring.publicJwks()).keys.map((k) => k.kid)).toEqual([
      CLI_DEFAULT_SIGNING_KEY.kid,
      "rsa-2",
    ]);
  });

  it("derives the CLI's HS256 demo API keys unless signing_keys_path is set", async () => {
    const ring = new JwtKeyring(SECRET, [CLI_DEFAULT_SIGNING_KEY]);
    const demo = await ring.apiKeys(false);
    expect(header(demo.anon)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(demo.anon).toMatch(/\.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0$/);
    const signed = await ring.apiKeys(true);
    expect(header(signed.serviceRole)).toMatchObject({
      alg: "ES256",
      kid: CLI_DEFAULT_SIGNING_KEY.kid,
    });
    expect(await ring.verify(signed.serviceRole)).toMatchObject({
      ok: true,
      claims: { role: "service_role" },
    });
  });
});
