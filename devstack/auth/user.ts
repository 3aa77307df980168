import type { IncomingMessage, ServerResponse } from "node:http";
import { compare, hash } from "bcryptjs";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { validateEmail } from "./email";
import { AuthError, badRequest, forbidden, sendJson, unprocessable } from "./errors";
import { requireUser } from "./guard";
import { parseBody } from "./http";
import {
  assertEmailFrequency,
  generateOtp,
  saveOneTimeToken,
  sendAuthMail,
  tokenHash,
  verifyLink,
} from "./mail";
import { checkPasswordStrength } from "./password-policy";
import { createFlowState, parsePkce, pkceBodyFields } from "./pkce";
import { needsReauthentication, verifyReauthentication } from "./reauthenticate";
import { resolveRedirect } from "./redirect";
import { findUserByEmail, loadUserJson, type UserRow } from "./users";

/** GET /user: the caller's user (GoTrue's `UserGet`). */
export async function handleGetUser(deps: AuthDeps, req: IncomingMessage, res: ServerResponse) {
  const caller = await requireUser(deps, req);
  sendJson(res, 200, await loadUserJson(deps.db, caller.user.id));
}

const UpdateBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  nonce: z.string().nullish(),
  current_password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  app_data: z.record(z.string(), z.unknown()).nullish(),
  channel: z.string().nullish(),
  ...pkceBodyFields,
});

/** GoTrue's `UpdateUserMetaData`: keys merge in, a null value removes its key. */
export function mergeMetadata(
  current: Record<string, unknown> | null,
  update: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(update)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Whether the user has a verified factor (`HasMFAEnabled`). */
export async function hasVerifiedFactor(db: Db, userId: string): Promise<boolean> {
  const r = await db.query(
    `select 1 from auth.mfa_factors where user_id = $1 and status = 'verified' limit 1`,
    [userId],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function sessionAal(db: Db, sessionId: string | undefined): Promise<string> {
  if (!sessionId) return "aal1";
  const r = await db.query<{ aal: string | null }>(
    `select aal::text as aal from auth.sessions where id = $1`,
    [sessionId],
  );
  return r.rows[0]?.aal ?? "aal1";
}

/**
 * Email change (`sendEmailChange`). With `[auth.email] double_confirm_changes` (GoTrue's
 * MAILER_SECURE_EMAIL_CHANGE_ENABLED, the CLI default) one link goes to the current address and
 * one to the new, and both must be followed; without it only the new address gets a link.
 */
export async function sendEmailChange(
  deps: AuthDeps,
  db: Db,
  user: UserRow,
  newEmail: string,
  pkce: boolean,
  redirectTo: string,
): Promise<void> {
  assertEmailFrequency(deps, user.email_change_sent_at);
  const prefix = pkce ? "pkce_" : "";
  const otpNew = generateOtp();
  const hashNew = prefix + tokenHash(newEmail, otpNew);
  const current = deps.config.auth.email.doubleConfirmChanges ? (user.email ?? "") : "";
  const otpCurrent = generateOtp();
  const hashCurrent = current ? prefix + tokenHash(current, otpCurrent) : "";
  await db.query(
    `update auth.users set email_change = $2, email_change_token_new = $3,
        email_change_token_current = $4, email_change_sent_at = $5,
        email_change_confirm_status = 0
      where id = $1`,
    [user.id, newEmail, hashNew, hashCurrent, deps.now()],
  );
  await saveOneTimeToken(db, user.id, "email_change_token_new", hashNew, newEmail);
  const api = deps.config.apiUrl;
  await sendAuthMail(
    deps,
    "email_change",
    newEmail,
    verifyLink(api, hashNew, "email_change", redirectTo),
    otpNew,
  );
  if (current) {
    await saveOneTimeToken(db, user.id, "email_change_token_current", hashCurrent, current);
    await sendAuthMail(
      deps,
      "email_change",
      current,
      verifyLink(api, hashCurrent, "email_change", redirectTo),
      otpCurrent,
    );
  }
}

/** PUT /user (GoTrue's `UserUpdate`): metadata, password, email change. */
export async function handleUpdateUser(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const caller = await requireUser(deps, req);
  // GoTrue limits PUT /user (sign_in_sign_ups) after authenticating the caller.
  deps.rateLimits.assertRequest("user", req);
  const body = await parseBody(req, UpdateBody);
  const user = caller.user;
  const isAdmin = caller.claims.role === "service_role" || caller.claims.role === "supabase_admin";
  if (body.app_data && !isAdmin) {
    throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  }
  const newEmail = body.email ? validateEmail(body.email) : "";
  const password = body.password ?? undefined;
  const changingPassword = password !== undefined && password !== "";
  const changingEmail = newEmail !== "" && newEmail !== user.email;
  if (body.phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  const pkce = parsePkce(body.code_challenge, body.code_challenge_method);

  if ((changingPassword || changingEmail) && (await hasVerifiedFactor(deps.db, user.id))) {
    if ((await sessionAal(deps.db, caller.sessionId)) !== "aal2") {
      throw new AuthError(
        401,
        "insufficient_aal",
        "AAL2 session is required to update email or password when MFA is enabled.",
      );
    }
  }
  let passwordHash: string | undefined;
  if (password !== undefined) {
    if (await needsReauthentication(deps, caller.sessionId)) {
      if (!body.nonce) {
        throw badRequest("reauthentication_needed", "Password update requires reauthentication");
      }
      await verifyReauthentication(deps, deps.db, user, body.nonce);
    }
    checkPasswordStrength(password, deps.policy);
    if (user.encrypted_password && (await compare(password, user.encrypted_password))) {
      throw unprocessable(
        "same_password",
        "New password should be different from the old password.",
      );
    }
    passwordHash = await hash(password, 10);
  }
  if (changingEmail) {
    const other = await findUserByEmail(deps.db, newEmail);
    if (other && other.id !== user.id) {
      throw unprocessable(
        "email_exists",
        "A user with this email address has already been registered",
      );
    }
  }
  const redirectTo = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const now = deps.now();
  await withTransaction(deps.db, async (tx) => {
    if (passwordHash !== undefined) {
      await tx.query(
        `update auth.users set encrypted_password = $2, confirmation_token = '',
            confirmation_sent_at = null, recovery_token = '', recovery_sent_at = null,
            email_change_token_current = '', email_change_token_new = '',
            email_change_sent_at = null, reauthentication_token = '',
            reauthentication_sent_at = null, updated_at = $3
          where id = $1`,
        [user.id, passwordHash, now],
      );
      await tx.query(`delete from auth.one_time_tokens where user_id = $1`, [user.id]);
      if (caller.sessionId) {
        await tx.query(`delete from auth.sessions where user_id = $1 and id <> $2`, [
          user.id,
          caller.sessionId,
        ]);
      } else {
        await tx.query(`delete from auth.sessions where user_id = $1`, [user.id]);
      }
      await audit(tx, req, user, "user_updated_password");
      deps.lockout.clear(user.email ?? "");
    }
    if (body.data) {
      await tx.query(
        `update auth.users set raw_user_meta_data = $2, updated_at = $3 where id = $1`,
        [user.id, JSON.stringify(mergeMetadata(user.raw_user_meta_data, body.data)), now],
      );
    }
    if (body.app_data) {
      await tx.query(
        `update auth.users set raw_app_meta_data = $2, updated_at = $3 where id = $1`,
        [user.id, JSON.stringify(mergeMetadata(user.raw_app_meta_data, body.app_data)), now],
      );
    }
    if (changingEmail) {
      if (pkce) {
        await createFlowState(tx, {
          providerType: "email_change",
          authenticationMethod: "email_change",
          pkce,
          userId: user.id,
          now,
        });
      }
      await sendEmailChange(deps, tx, user, newEmail, pkce !== undefined, redirectTo);
    }
    await audit(tx, req, user, "user_modified");
  });
  sendJson(res, 200, await loadUserJson(deps.db, user.id));
}
