import { errors as joseErrors, jwtVerify, SignJWT } from "jose";

/** One entry of the `amr` claim, newest first, as GoTrue emits it. */
export interface AmrEntry {
  method: string;
  timestamp: number;
  provider?: string;
}

/** The claims GoTrue puts in an access token (`AccessTokenClaims` in supabase/auth). */
export interface AccessTokenClaims {
  aud: string;
  exp: number;
  iat: number;
  iss: string;
  sub: string;
  email: string;
  phone: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  role: string;
  aal: "aal1" | "aal2";
  amr: AmrEntry[];
  session_id: string;
  is_anonymous: boolean;
}

/** Claims of a verified JWT; anything GoTrue or a custom key put there. */
export type JwtClaims = Record<string, unknown> & {
  role?: string;
  sub?: string;
  session_id?: string;
};

/** The far-future expiry of the Supabase CLI's demo keys (2032-11-12). */
export const DEMO_KEY_EXP = 1983812996;

const encoder = new TextEncoder();

function key(secret: string): Uint8Array {
  return encoder.encode(secret);
}

/**
 * Signs an access token with HS256 and GoTrue's header (`alg`, `typ`; no `kid` for the shared
 * secret, which makes auth-js's getClaims() validate through GET /user as it does against GoTrue).
 */
export async function signAccessToken(claims: AccessTokenClaims, secret: string): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(key(secret));
}

/**
 * Derives the anon and service-role API keys from the JWT secret the way the Supabase CLI does:
 * payload `{iss:"supabase-demo", role, exp:1983812996}`. With the CLI's default secret this
 * reproduces the well-known demo keys byte for byte.
 */
export async function signApiKeys(secret: string): Promise<{ anon: string; serviceRole: string }> {
  const sign = (role: string) =>
    new SignJWT({ iss: "supabase-demo", role, exp: DEMO_KEY_EXP })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(key(secret));
  const [anon, serviceRole] = await Promise.all([sign("anon"), sign("service_role")]);
  return { anon, serviceRole };
}

export type VerifyResult =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: "expired" | "invalid"; message: string };

/**
 * Verifies an HS256 JWT signed with the secret (signature and `exp`; no audience check, like
 * GoTrue and PostgREST with their default settings). Never throws on a bad token.
 */
export async function verifyJwt(token: string, secret: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"] });
    return { ok: true, claims: payload as JwtClaims };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      return {
        ok: false,
        reason: "expired",
        message: "token has invalid claims: token is expired",
      };
    }
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: "invalid", message: detail };
  }
}
