import {
  type CryptoKey,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose";
import type { SigningJwk } from "../config-toml";
import { DEMO_KEY_EXP, type JwtClaims, type VerifyResult } from "./jwt";

/** Members of a JWK that hold private material; the JWKS never carries them. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Asymmetric algorithms the devstack signs with (the CLI's `gen signing-key` choices). */
const ASYMMETRIC = new Set(["ES256", "RS256"]);

type Key = CryptoKey | Uint8Array;

interface LoadedKey {
  kid: string | undefined;
  alg: string;
  signing: Key;
  verifying: Key;
  /** What /.well-known/jwks.json lists for it; null for HMAC keys, which GoTrue never publishes. */
  publicJwk: JWK | null;
}

function algOf(jwk: SigningJwk): string {
  if (typeof jwk.alg === "string" && jwk.alg !== "") return jwk.alg;
  if (jwk.kty === "EC") return "ES256";
  if (jwk.kty === "RSA") return "RS256";
  return "HS256";
}

/** GoTrue's `decodePublicKey`: the public half, `use: "sig"`, `key_ops: ["verify"]`. */
function publicHalf(jwk: SigningJwk): JWK {
  const out: Record<string, unknown> = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete out[m];
  out.use = "sig";
  out.key_ops = ["verify"];
  return out as JWK;
}

const encoder = new TextEncoder();

/**
 * The JWT keys of the auth service, as GoTrue holds them with `GOTRUE_JWT_KEYS` (the CLI's
 * signing keys) and `GOTRUE_JWT_SECRET`: the key whose `key_ops` include "sign" (else the first)
 * signs access tokens with its `kid` in the header; tokens verify by `kid`, and an HS256 token
 * without a known `kid` verifies with the legacy shared secret, so both kinds stay accepted.
 */
export class JwtKeyring {
  private loading: Promise<LoadedKey[]> | undefined;

  constructor(
    private readonly secret: string,
    private readonly jwks: readonly SigningJwk[],
  ) {}

  private load(): Promise<LoadedKey[]> {
    this.loading ??= Promise.all(
      this.jwks.map(async (jwk): Promise<LoadedKey> => {
        const alg = algOf(jwk);
        const kid = typeof jwk.kid === "string" ? jwk.kid : undefined;
        if (!ASYMMETRIC.has(alg)) {
          if (jwk.kty !== "oct" || typeof jwk.k !== "string") {
            throw new Error(`signing key ${kid ?? "(no kid)"}: unsupported algorithm ${alg}`);
          }
          const raw = Buffer.from(jwk.k, "base64url");
          return { kid, alg, signing: raw, verifying: raw, publicJwk: null };
        }
        const pub = publicHalf(jwk);
        // key_ops of the file (["sign","verify"]) would refuse one of the two uses: drop them here.
        const { key_ops: _ops, use: _use, ...bare } = jwk;
        const signing = (await importJWK(bare as JWK, alg)) as CryptoKey;
        const { key_ops: _o, use: _u, ...pubBare } = pub;
        const verifying = (await importJWK(pubBare as JWK, alg)) as CryptoKey;
        return { kid, alg, signing, verifying, publicJwk: pub };
      }),
    );
    return this.loading;
  }

  private async signingKey(): Promise<LoadedKey | undefined> {
    const keys = await this.load();
    const marked = this.jwks.findIndex(
      (j) => Array.isArray(j.key_ops) && (j.key_ops as unknown[]).includes("sign"),
    );
    return keys[Math.max(marked, 0)];
  }

  /** Checks every key imports; call at start so a bad signing_keys.json fails loudly. */
  async ready(): Promise<void> {
    await this.load();
  }

  /** GET /.well-known/jwks.json's body: public asymmetric keys only. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.load();
    return { keys: keys.flatMap((k) => (k.publicJwk ? [k.publicJwk] : [])) };
  }

  /** Signs claims with the signing key (`alg`, `kid`, `typ: "JWT"`), or HS256 without keys. */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const key = await this.signingKey();
    if (!key) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .sign(encoder.encode(this.secret));
    }
    const header: { alg: string; typ: string; kid?: string } = { alg: key.alg, typ: "JWT" };
    if (key.kid) header.kid = key.kid;
    return new SignJWT(claims).setProtectedHeader(header).sign(key.signing);
  }

  /**
   * The anon and service-role keys as the CLI derives them: HS256 from the secret, unless
   * `signing_keys_path` is set, then signed with the first key and valid for ten years.
   */
  async apiKeys(
    signWithKeys: boolean,
    now: Date = new Date(),
  ): Promise<{
    anon: string;
    serviceRole: string;
  }> {
    const key = signWithKeys ? (await this.load())[0] : undefined;
    const sign = async (role: string) => {
      if (!key) {
        return new SignJWT({ iss: "supabase-demo", role, exp: DEMO_KEY_EXP })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .sign(encoder.encode(this.secret));
      }
      const exp = Math.floor(now.getTime() / 1000) + 10 * 365 * 24 * 3600;
      const header: { alg: string; typ: string; kid?: string } = { alg: key.alg, typ: "JWT" };
      if (key.kid) header.kid = key.kid;
      return new SignJWT({ iss: "supabase-demo", role, exp })
        .setProtectedHeader(header)
        .sign(key.signing);
    };
    const [anon, serviceRole] = await Promise.all([sign("anon"), sign("service_role")]);
    return { anon, serviceRole };
  }

  /** GoTrue's `parseJWTClaims` key choice: by `kid`, else the shared secret for HS256. */
  async verify(token: string): Promise<VerifyResult> {
    let header: { alg?: string; kid?: string };
    try {
      header = decodeProtectedHeader(token);
    } catch (err) {
      return { ok: false, reason: "invalid", message: (err as Error).message };
    }
    const keys = await this.load();
    const byKid = header.kid === undefined ? undefined : keys.find((k) => k.kid === header.kid);
    let key: Key | undefined = byKid?.verifying;
    let alg = byKid?.alg;
    if (!key && header.alg === "HS256") {
      key = encoder.encode(this.secret);
      alg = "HS256";
    }
    if (!key || !alg) {
      return {
        ok: false,
        reason: "invalid",
        message: `unrecognized JWT kid ${header.kid ?? "<nil>"} for algorithm ${header.alg ?? "<nil>"}`,
      };
    }
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: [alg] });
      return { ok: true, claims: payload as JwtClaims };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        return {
          ok: false,
          reason: "expired",
          message: "token has invalid claims: token is expired",
        };
      }
      return { ok: false, reason: "invalid", message: (err as Error).message };
    }
  }
}
