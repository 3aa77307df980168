import {
  type CryptoKey,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  errors as joseErrors,
  jwtVerify,
} from "jose";
import type { SigningJwk } from "../config-toml";
import { RestError } from "./errors";

/**
 * JWT verification for /rest/v1, with PostgREST's errors: PGRST301 for a token that does not
 * decode or verify, PGRST303 for invalid claims ("JWT expired"). As the CLI configures PostgREST
 * (a JWKS of the shared secret plus the public signing keys): a token whose `kid` names an
 * asymmetric signing key (ES256/RS256) verifies with it, any other with the HS256 secret.
 */
export type Claims = Record<string, unknown> & { role?: unknown; exp?: unknown };

function invalidToken(code: "PGRST301" | "PGRST303", message: string): RestError {
  return new RestError(401, code, message, null, null, {
    "WWW-Authenticate": `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
  });
}

const encoder = new TextEncoder();

/** Verified tokens, kept until they expire, so a hot token costs one map lookup. */
export class JwtVerifier {
  private readonly key: Uint8Array;
  private readonly cache = new Map<string, { claims: Claims; exp: number }>();
  private publicKeys: Promise<Map<string, { key: CryptoKey; alg: string }>> | undefined;

  constructor(
    secret: string,
    private readonly signingKeys: readonly SigningJwk[] = [],
  ) {
    this.key = encoder.encode(secret);
  }

  /** The public halves of the asymmetric signing keys, by kid (imported once). */
  private asymmetricKeys(): Promise<Map<string, { key: CryptoKey; alg: string }>> {
    this.publicKeys ??= (async () => {
      const out = new Map<string, { key: CryptoKey; alg: string }>();
      for (const jwk of this.signingKeys) {
        const alg = jwk.alg ?? (jwk.kty === "EC" ? "ES256" : jwk.kty === "RSA" ? "RS256" : "");
        if ((alg !== "ES256" && alg !== "RS256") || typeof jwk.kid !== "string") continue;
        const {
          d: _d,
          p: _p,
          q: _q,
          dp: _dp,
          dq: _dq,
          qi: _qi,
          key_ops: _o,
          use: _u,
          ...pub
        } = jwk;
        out.set(jwk.kid, { key: (await importJWK(pub as JWK, alg)) as CryptoKey, alg });
      }
      return out;
    })();
    return this.publicKeys;
  }

  /** Verifies `token` or throws PostgREST's 401. */
  async verify(token: string): Promise<Claims> {
    const now = Date.now() / 1000;
    const hit = this.cache.get(token);
    if (hit && hit.exp > now) return hit.claims;
    if (hit) this.cache.delete(token);
    if (token === "") throw invalidToken("PGRST301", "Empty JWT is sent in Authorization header");
    const parts = token.split(".").length;
    if (parts !== 3) throw invalidToken("PGRST301", `Expected 3 parts in JWT; got ${parts}`);
    let claims: Claims;
    try {
      const kid = safeKid(token);
      const asymmetric = kid === undefined ? undefined : (await this.asymmetricKeys()).get(kid);
      const { payload } = asymmetric
        ? await jwtVerify(token, asymmetric.key, { algorithms: [asymmetric.alg] })
        : await jwtVerify(token, this.key, { algorithms: ["HS256"] });
      claims = payload as Claims;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw invalidToken("PGRST303", "JWT expired");
      if (e instanceof joseErrors.JWTClaimValidationFailed) {
        if (e.claim === "nbf") throw invalidToken("PGRST303", "JWT not yet valid");
        if (e.claim === "iat") throw invalidToken("PGRST303", "JWT issued at future");
        throw invalidToken("PGRST303", "Parsing claims failed");
      }
      if (e instanceof joseErrors.JOSEAlgNotAllowed || e instanceof joseErrors.JOSENotSupported) {
        throw invalidToken("PGRST301", "Wrong or unsupported encoding algorithm");
      }
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw invalidToken("PGRST301", "JWT cryptographic operation failed");
      }
      throw invalidToken("PGRST301", "JWT couldn't be decoded");
    }
    const exp = typeof claims.exp === "number" ? claims.exp : now + 300;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { claims, exp });
    return claims;
  }
}

/** The `kid` of a token's header, or undefined when it has none or does not decode. */
function safeKid(token: string): string | undefined {
  try {
    const kid = decodeProtectedHeader(token).kid;
    return typeof kid === "string" ? kid : undefined;
  } catch {
    return undefined;
  }
}
