import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AuthDeps, Db } from "./deps";
import { clientIp } from "./http";
import type { AccessTokenClaims, AmrEntry } from "./jwt";
import { loadUserJson, type UserJson } from "./users";

/** Methods whose amr claim lifts a session to aal2 (GoTrue's `IsAAL2Claim`). */
const AAL2_METHODS = new Set(["totp", "phone", "webauthn"]);

const ALPHANUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** GoTrue's v1 refresh tokens: 12 random lower-case alphanumerics (`crypto.SecureAlphanumeric`). */
export function newRefreshToken(): string {
  const bytes = randomBytes(12);
  let out = "";
  for (const b of bytes) out += ALPHANUM[b % ALPHANUM.length];
  return out;
}

/** The session body GoTrue answers with (`AccessTokenResponse`). */
export interface AccessTokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: UserJson;
  provider_token?: string;
  provider_refresh_token?: string;
  weak_password?: { reasons: string[] } | null;
}

/** aal and amr of a session, computed from its mfa_amr_claims like `CalculateAALAndAMR`. */
export async function sessionAalAmr(
  db: Db,
  sessionId: string,
): Promise<{ aal: "aal1" | "aal2"; amr: AmrEntry[] }> {
  const r = await db.query<{ authentication_method: string; updated_at: Date }>(
    `select authentication_method, updated_at from auth.mfa_amr_claims where session_id = $1`,
    [sessionId],
  );
  let aal: "aal1" | "aal2" = "aal1";
  const amr: AmrEntry[] = r.rows.map((row) => {
    if (AAL2_METHODS.has(row.authentication_method)) aal = "aal2";
    return {
      method: row.authentication_method,
      timestamp: Math.floor(row.updated_at.getTime() / 1000),
    };
  });
  amr.sort((a, b) => b.timestamp - a.timestamp);
  return { aal, amr };
}

/** Adds (or refreshes) an amr claim of the session, like `AddClaimToSession`. */
export async function addAmrClaim(
  db: Db,
  sessionId: string,
  method: string,
  now: Date,
): Promise<void> {
  await db.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, $3, $3, $4)
     on conflict (session_id, authentication_method) do update set updated_at = excluded.updated_at`,
    [randomUUID(), sessionId, now, method],
  );
}

/** Signs an access token for the user and session and builds the AccessTokenResponse. */
export async function accessTokenResponse(
  deps: AuthDeps,
  db: Db,
  userId: string,
  sessionId: string,
  refreshToken: string,
): Promise<AccessTokenResponse> {
  const user = await loadUserJson(db, userId);
  if (!user) throw new Error("user vanished while issuing a token");
  const { aal, amr } = await sessionAalAmr(db, sessionId);
  const iat = Math.floor(deps.now().getTime() / 1000);
  const exp = iat + deps.config.jwtExpiry;
  const claims: AccessTokenClaims = {
    aud: user.aud,
    exp,
    iat,
    iss: deps.config.jwtIssuer,
    sub: user.id,
    email: user.email,
    phone: user.phone,
    app_metadata: user.app_metadata,
    user_metadata: user.user_metadata,
    role: user.role,
    aal,
    amr,
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
  const accessToken = await deps.keyring.sign({ ...claims });
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: deps.config.jwtExpiry,
    expires_at: exp,
    refresh_token: refreshToken,
    user,
  };
}

/**
 * GoTrue's `IssueRefreshToken`: a new session (aal1) with one amr claim for the method, its first
 * refresh token, `last_sign_in_at` stamped; answers the AccessTokenResponse.
 */
export async function issueSession(
  deps: AuthDeps,
  db: Db,
  req: IncomingMessage,
  userId: string,
  method: string,
): Promise<AccessTokenResponse> {
  const now = deps.now();
  const sessionId = randomUUID();
  const ua = req.headers["user-agent"] ?? null;
  await db.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, $3, $3, 'aal1', $4, $5)`,
    [sessionId, userId, now, ua, clientIp(req)],
  );
  await addAmrClaim(db, sessionId, method, now);
  const token = newRefreshToken();
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, $3, $3, $4)`,
    [token, userId, now, sessionId],
  );
  await db.query(`update auth.users set last_sign_in_at = $2 where id = $1`, [userId, now]);
  return accessTokenResponse(deps, db, userId, sessionId, token);
}
