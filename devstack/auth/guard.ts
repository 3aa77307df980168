import type { IncomingMessage } from "node:http";
import type { AuthDeps } from "./deps";
import { AuthError, badRequest, forbidden } from "./errors";
import { bearerToken } from "./http";
import type { JwtClaims } from "./jwt";
import { findUserById, isBanned, isUuid, type UserRow } from "./users";

/** The verified caller of a user endpoint: claims, user row and session id. */
export interface Caller {
  claims: JwtClaims;
  user: UserRow;
  sessionId: string | undefined;
  token: string;
}

/** GoTrue's `requireAuthentication` minus the user lookup: a bearer JWT with a valid signature. */
export async function requireClaims(
  deps: AuthDeps,
  req: IncomingMessage,
): Promise<{ claims: JwtClaims; token: string }> {
  const token = bearerToken(req);
  if (!token) {
    throw new AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  }
  const verified = await deps.keyring.verify(token);
  if (!verified.ok) {
    throw forbidden(
      "bad_jwt",
      `invalid JWT: unable to parse or verify signature, ${verified.message}`,
    );
  }
  return { claims: verified.claims, token };
}

/**
 * GoTrue's `requireAuthentication` + `maybeLoadUserOrSession`: the user of the `sub` claim must
 * exist (403 `user_not_found`), the `session_id` session too (403 `session_not_found`), and the
 * user must not be banned (403 `user_banned`).
 */
export async function requireUser(deps: AuthDeps, req: IncomingMessage): Promise<Caller> {
  const { claims, token } = await requireClaims(deps, req);
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  if (!sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!isUuid(sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(deps.db, sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  let sessionId: string | undefined;
  if (typeof claims.session_id === "string" && claims.session_id !== "") {
    if (!isUuid(claims.session_id)) {
      throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    }
    const s = await deps.db.query(`select 1 from auth.sessions where id = $1`, [claims.session_id]);
    if (s.rowCount === 0) {
      throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
    }
    sessionId = claims.session_id;
  }
  if (isBanned(user, deps.now())) throw forbidden("user_banned", "User is banned");
  return { claims, user, sessionId, token };
}

/** GoTrue's `requireAdmin`: the token's role must be service_role or supabase_admin. */
export async function requireAdmin(deps: AuthDeps, req: IncomingMessage): Promise<JwtClaims> {
  const { claims } = await requireClaims(deps, req);
  if (claims.role === "service_role" || claims.role === "supabase_admin") return claims;
  throw forbidden("not_admin", "User not allowed");
}
