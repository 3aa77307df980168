import type { IncomingMessage, ServerResponse } from "node:http";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { badRequest, sendJson, unprocessable } from "./errors";
import { requireUser } from "./guard";
import {
  assertEmailFrequency,
  clearOneTimeToken,
  generateOtp,
  saveOneTimeToken,
  sendReauthenticationMail,
  tokenHash,
} from "./mail";
import type { UserRow } from "./users";

const INVALID_NONCE = "Nonce has expired or is invalid";

/** GET /reauthenticate (`Reauthenticate`): mails a 6-digit nonce for a sensitive update. */
export async function handleReauthenticate(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { user } = await requireUser(deps, req);
  const email = user.email ?? "";
  if (!email) {
    throw badRequest(
      "validation_failed",
      "Reauthentication requires the user to have an email or a phone number",
    );
  }
  if (!user.email_confirmed_at) {
    throw unprocessable("email_not_confirmed", "Please verify your email first.");
  }
  const reauth = await deps.db.query<{ reauthentication_sent_at: Date | null }>(
    `select reauthentication_sent_at from auth.users where id = $1`,
    [user.id],
  );
  assertEmailFrequency(deps, reauth.rows[0]?.reauthentication_sent_at ?? null);
  const otp = generateOtp();
  const hash = tokenHash(email, otp);
  await withTransaction(deps.db, async (tx) => {
    await audit(tx, req, user, "user_reauthenticate_requested");
    await tx.query(
      `update auth.users set reauthentication_token = $2, reauthentication_sent_at = $3 where id = $1`,
      [user.id, hash, deps.now()],
    );
    await saveOneTimeToken(tx, user.id, "reauthentication_token", hash, email);
  });
  await sendReauthenticationMail(deps, email, otp);
  sendJson(res, 200, {});
}

/**
 * GoTrue's `verifyReauthentication`: the nonce must hash to the stored token and be younger than
 * the OTP expiry; a valid nonce is used up.
 */
export async function verifyReauthentication(
  deps: AuthDeps,
  db: Db,
  user: UserRow,
  nonce: string,
): Promise<void> {
  const r = await db.query<{ token: string | null; sent_at: Date | null }>(
    `select reauthentication_token as token, reauthentication_sent_at as sent_at
       from auth.users where id = $1`,
    [user.id],
  );
  const row = r.rows[0];
  if (!row?.token || !row.sent_at) {
    throw unprocessable("reauthentication_not_valid", INVALID_NONCE);
  }
  const fresh = deps.now().getTime() <= row.sent_at.getTime() + deps.timings.otpExpiry * 1000;
  if (!fresh || tokenHash(user.email ?? "", nonce) !== row.token) {
    throw unprocessable("reauthentication_not_valid", INVALID_NONCE);
  }
  await db.query(
    `update auth.users set reauthentication_token = '', reauthentication_sent_at = null where id = $1`,
    [user.id],
  );
  await clearOneTimeToken(db, user.id, "reauthentication_token");
}

/** Whether a password update from this session needs a nonce (`secure_password_change`). */
export async function needsReauthentication(
  deps: AuthDeps,
  sessionId: string | undefined,
): Promise<boolean> {
  if (!deps.securePasswordChange) return false;
  if (!sessionId) return true;
  const r = await deps.db.query<{ created_at: Date | null }>(
    `select created_at from auth.sessions where id = $1`,
    [sessionId],
  );
  const created = r.rows[0]?.created_at;
  return !created || deps.now().getTime() > created.getTime() + 24 * 3600 * 1000;
}
