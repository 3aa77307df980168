import type { IncomingMessage, ServerResponse } from "node:http";
import { compare } from "bcryptjs";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";
import {
  badRequest,
  notFound,
  OAuthError,
  sendJson,
  unprocessable,
  WeakPasswordError,
} from "./errors";
import { parseBody } from "./http";
import { LockedError } from "./lockout";
import { checkPasswordStrength } from "./password-policy";
import { challengeFor, findFlowStateByAuthCode, isFlowStateExpired } from "./pkce";
import { accessTokenResponse, issueSession, newRefreshToken } from "./tokens";
import { findUserByEmail, findUserById, isBanned } from "./users";

const PasswordBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  gotrue_meta_security: z.unknown().optional(),
});

const RefreshBody = z.object({ refresh_token: z.string().nullish() });

const PkceBody = z.object({
  auth_code: z.string().nullish(),
  code_verifier: z.string().nullish(),
});

/** POST /token?grant_type=… (GoTrue's `Token`). */
export async function handleToken(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const grant = url.searchParams.get("grant_type");
  const handler =
    grant === "password"
      ? passwordGrant
      : grant === "refresh_token"
        ? refreshGrant
        : grant === "pkce"
          ? pkceGrant
          : undefined;
  if (!handler) throw badRequest("invalid_credentials", "unsupported_grant_type");
  // One per-IP limiter (`token_refresh`) for every grant, after the grant type is known, as
  // GoTrue's Token handler does.
  deps.rateLimits.assertRequest("token", req);
  return handler(deps, req, res);
}

const INVALID_LOGIN = "Invalid login credentials";

/** A bcrypt hash (cost 10) of a random string, compared against when the email is unknown. */
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.cHfV2e0gYXtxAo8WvS7a1TXfz0QO";

/**
 * Password grant (`ResourceOwnerPasswordGrant`), with the devstack's lockout in front: a locked
 * email is refused before the password is looked at; each wrong password counts.
 */
async function passwordGrant(deps: AuthDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, PasswordBody);
  if (body.email && body.phone) {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided on login.",
    );
  }
  if (!body.email) {
    if (body.phone && !deps.config.auth.sms.enableSignup) {
      throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
    }
    // No phone users exist in the devstack (it sends no SMS), so a phone never matches.
    if (body.phone) throw badRequest("invalid_credentials", INVALID_LOGIN);
    throw badRequest("validation_failed", "missing email or phone");
  }
  if (!deps.config.auth.email.enableSignup) {
    throw unprocessable("email_provider_disabled", "Email logins are disabled");
  }
  const email = body.email.trim().toLowerCase();
  const password = body.password ?? "";
  const now = deps.now();
  const user = await findUserByEmail(deps.db, email);
  try {
    deps.lockout.assertOpen(email, now);
  } catch (err) {
    if (user) await audit(deps.db, req, user, "login_locked", { provider: "email" });
    if (err instanceof LockedError) res.setHeader("Retry-After", String(err.retryAfterSeconds));
    throw err;
  }

  const fail = async (reason: string): Promise<never> => {
    const locked = deps.lockout.recordFailure(email, now);
    if (user) {
      await audit(deps.db, req, user, "login_failed", { provider: "email", reason, locked });
    }
    throw badRequest("invalid_credentials", INVALID_LOGIN);
  };

  if (!user?.encrypted_password) {
    // Spend the time a real check takes, so response timing does not reveal unknown emails.
    await compare(password, DUMMY_HASH);
    return fail("invalid_credentials");
  }
  if (isBanned(user, now)) throw badRequest("user_banned", "User is banned");
  const valid = password !== "" && (await compare(password, user.encrypted_password));
  if (!valid) return fail("invalid_credentials");
  if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
  deps.lockout.recordSuccess(email);

  let weak: string[] | undefined;
  try {
    checkPasswordStrength(password, deps.policy);
  } catch (err) {
    if (err instanceof WeakPasswordError) weak = err.reasons;
  }
  const session = await withTransaction(deps.db, async (tx) => {
    await audit(tx, req, user, "login", { provider: "email" });
    return issueSession(deps, tx, req, user.id, "password");
  });
  sendJson(res, 200, weak ? { ...session, weak_password: { reasons: weak } } : session);
}

interface RefreshRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

/** Refresh-token grant with rotation and reuse detection (`RefreshTokenGrant`). */
async function refreshGrant(deps: AuthDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, RefreshBody);
  const presented = body.refresh_token ?? "";
  if (presented === "") throw new OAuthError("invalid_request", "refresh_token required");
  const now = deps.now();

  const result = await withTransaction(deps.db, async (tx) => {
    const found = await tx.query<RefreshRow>(
      `select id::text, token, user_id, revoked, updated_at, parent, session_id
         from auth.refresh_tokens where token = $1 for update`,
      [presented],
    );
    const token = found.rows[0];
    if (!token) {
      throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    const user = await findUserById(tx, token.user_id);
    if (!user) {
      throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    if (isBanned(user, now)) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");
    const session = token.session_id
      ? (
          await tx.query<{ id: string; not_after: Date | null }>(
            `select id, not_after from auth.sessions where id = $1 for update`,
            [token.session_id],
          )
        ).rows[0]
      : undefined;
    if (!session) {
      throw badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
    }
    if (session.not_after && session.not_after.getTime() < now.getTime()) {
      throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");
    }

    let issued: string | undefined;
    if (token.revoked) {
      const active = await tx.query<{ token: string; parent: string | null }>(
        `select token, parent from auth.refresh_tokens
          where session_id = $1 and revoked = false order by id desc limit 1`,
        [session.id],
      );
      const current = active.rows[0];
      if (current && current.parent === token.token) {
        // The client lost the answer of its last refresh: hand back the active token.
        issued = current.token;
      } else {
        const reuseUntil =
          token.updated_at.getTime() + deps.timings.refreshTokenReuseInterval * 1000;
        if (now.getTime() > reuseUntil) {
          await tx.query(
            `update auth.refresh_tokens set revoked = true, updated_at = now()
              where session_id = $1 and revoked = false`,
            [session.id],
          );
          await audit(tx, req, user, "token_revoked", { reason: "refresh_token_reused" });
          return { reused: true as const };
        }
      }
    }
    await audit(tx, req, user, "token_refreshed");
    if (!issued) {
      await tx.query(
        `update auth.refresh_tokens set revoked = true, updated_at = $2 where id = $1`,
        [token.id, now],
      );
      issued = newRefreshToken();
      await tx.query(
        `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
         values ('00000000-0000-0000-0000-000000000000', $1, $2, false, $3, $3, $4, $5)`,
        [issued, user.id, now, token.token, session.id],
      );
    }
    await tx.query(`update auth.sessions set refreshed_at = $2, updated_at = $3 where id = $1`, [
      session.id,
      now.toISOString().replace("T", " ").replace("Z", ""),
      now,
    ]);
    const out = await accessTokenResponse(deps, tx, user.id, session.id, issued);
    return { reused: false as const, out };
  });
  // The family is revoked in the committed transaction above; only then is the error answered.
  if (result.reused) {
    throw badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
  }
  sendJson(res, 200, result.out);
}

/** PKCE grant (`PKCE`): exchanges an auth code and its verifier for a session. */
async function pkceGrant(deps: AuthDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await parseBody(req, PkceBody);
  const authCode = body.auth_code ?? "";
  const verifier = body.code_verifier ?? "";
  if (authCode === "" || verifier === "") {
    throw badRequest(
      "validation_failed",
      "invalid request: both auth code and code verifier should be non-empty",
    );
  }
  const now = deps.now();
  const flow = await findFlowStateByAuthCode(deps.db, authCode);
  if (!flow?.user_id) {
    throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
  }
  if (isFlowStateExpired(flow, now, deps.timings.flowStateExpiry)) {
    throw unprocessable("flow_state_expired", "invalid flow state, flow state has expired");
  }
  const user = await findUserById(deps.db, flow.user_id);
  if (!user) throw notFound("user_not_found", "User not found");
  if (!flow.code_challenge || !flow.code_challenge_method) {
    throw badRequest("bad_code_verifier", "PKCE verification not applicable for implicit flow");
  }
  if (challengeFor(verifier, flow.code_challenge_method) !== flow.code_challenge) {
    throw badRequest(
      "bad_code_verifier",
      "code challenge does not match previously saved code verifier",
    );
  }
  const session = await withTransaction(deps.db, async (tx) => {
    const del = await tx.query(`delete from auth.flow_state where id = $1`, [flow.id]);
    if (del.rowCount === 0) {
      throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
    }
    await audit(tx, req, user, "login", { provider_type: flow.provider_type });
    const out = await issueSession(deps, tx, req, user.id, flow.authentication_method);
    return {
      ...out,
      provider_token: flow.provider_access_token ?? undefined,
      provider_refresh_token: flow.provider_refresh_token ?? undefined,
    };
  });
  sendJson(res, 200, session);
}
