import type { AuthDeps, Db } from "./deps";
import { forbidden } from "./errors";
import { tokenHash } from "./mail";
import {
  findUserByEmail,
  findUserByToken,
  findUserForEmailChange,
  isBanned,
  type UserRow,
} from "./users";

/** Email verification types GoTrue accepts. */
export const EMAIL_TYPES = [
  "signup",
  "invite",
  "recovery",
  "magiclink",
  "email_change",
  "email",
] as const;
export type EmailType = (typeof EMAIL_TYPES)[number];

function otpExpired(sentAt: Date | null, deps: AuthDeps): boolean {
  if (!sentAt) return true;
  return deps.now().getTime() > sentAt.getTime() + deps.timings.otpExpiry * 1000;
}

function otpValid(actual: string, expected: string, sentAt: Date | null, deps: AuthDeps): boolean {
  if (!expected || !sentAt) return false;
  return !otpExpired(sentAt, deps) && (actual === expected || `pkce_${actual}` === expected);
}

const linkInvalid = () => forbidden("otp_expired", "Email link is invalid or has expired");
const tokenInvalid = () => forbidden("otp_expired", "Token has expired or is invalid");

/** GoTrue's `verifyTokenHash`: finds the user by a hashed token (link or token_hash). */
export async function userByTokenHash(
  deps: AuthDeps,
  db: Db,
  type: EmailType,
  hash: string,
): Promise<{ user: UserRow; type: EmailType }> {
  let user: UserRow | undefined;
  let resolved = type;
  let sentAt: Date | null = null;
  switch (type) {
    case "email": {
      user = await findUserByToken(db, "confirmation_token", hash);
      resolved = "signup";
      sentAt = user?.confirmation_sent_at ?? null;
      if (!user) {
        user = await findUserByToken(db, "recovery_token", hash);
        resolved = "magiclink";
        sentAt = user?.recovery_sent_at ?? null;
      }
      break;
    }
    case "signup":
    case "invite":
      user = await findUserByToken(db, "confirmation_token", hash);
      sentAt = user?.confirmation_sent_at ?? null;
      break;
    case "recovery":
    case "magiclink":
      user = await findUserByToken(db, "recovery_token", hash);
      sentAt = user?.recovery_sent_at ?? null;
      break;
    case "email_change":
      user =
        (await findUserByToken(db, "email_change_token_current", hash)) ??
        (await findUserByToken(db, "email_change_token_new", hash));
      sentAt = user?.email_change_sent_at ?? null;
      break;
  }
  if (!user) throw linkInvalid();
  if (isBanned(user, deps.now())) throw forbidden("user_banned", "User is banned");
  if (otpExpired(sentAt, deps)) throw linkInvalid();
  return { user, type: resolved };
}

/** GoTrue's `verifyUserAndToken`: email + 6-digit code. */
export async function userByEmailAndOtp(
  deps: AuthDeps,
  db: Db,
  type: EmailType,
  email: string,
  otp: string,
): Promise<{ user: UserRow; type: EmailType; hash: string }> {
  const hash = tokenHash(email, otp);
  let user: UserRow | undefined;
  if (type === "email_change") {
    user = await findUserForEmailChange(db, email);
  } else {
    user = await findUserByEmail(db, email);
  }
  if (!user) throw tokenInvalid();
  if (isBanned(user, deps.now())) throw forbidden("user_banned", "User is banned");
  let resolved = type;
  let valid = false;
  switch (type) {
    case "email":
      if (otpValid(hash, user.confirmation_token, user.confirmation_sent_at, deps)) {
        valid = true;
        resolved = "signup";
      } else if (otpValid(hash, user.recovery_token, user.recovery_sent_at, deps)) {
        valid = true;
        resolved = "magiclink";
      }
      break;
    case "signup":
    case "invite":
      valid = otpValid(hash, user.confirmation_token, user.confirmation_sent_at, deps);
      break;
    case "recovery":
    case "magiclink":
      valid = otpValid(hash, user.recovery_token, user.recovery_sent_at, deps);
      break;
    case "email_change":
      valid =
        otpValid(hash, user.email_change_token_current, user.email_change_sent_at, deps) ||
        otpValid(hash, user.email_change_token_new, user.email_change_sent_at, deps);
      break;
  }
  if (!valid) throw tokenInvalid();
  const candidates =
    resolved === "signup" || resolved === "invite"
      ? [user.confirmation_token]
      : resolved === "email_change"
        ? [user.email_change_token_current, user.email_change_token_new]
        : [user.recovery_token];
  const stored = candidates.find((t) => t === hash || t === `pkce_${hash}`) ?? hash;
  return { user, type: resolved, hash: stored };
}
