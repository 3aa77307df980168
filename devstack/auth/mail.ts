import { createHash, randomInt, randomUUID } from "node:crypto";
import type { AuthDeps, Db } from "./deps";
import { AuthError } from "./errors";

/** Six random digits, like GoTrue's `GenerateOtp(6)`. */
export function generateOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** GoTrue's `GenerateTokenHash`: hex SHA-224 of email (or phone) followed by the OTP. */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash("sha224")
    .update(emailOrPhone + otp)
    .digest("hex");
}

export type OneTimeTokenType =
  | "reauthentication_token"
  | "confirmation_token"
  | "recovery_token"
  | "email_change_token_new"
  | "email_change_token_current";

/** Mirrors a token into auth.one_time_tokens (one per user and type), as GoTrue does. */
export async function saveOneTimeToken(
  db: Db,
  userId: string,
  type: OneTimeTokenType,
  hash: string,
  relatesTo: string,
): Promise<void> {
  await db.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
     values ($1, $2, $3, $4, $5)
     on conflict (user_id, token_type)
     do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to,
                   updated_at = now()`,
    [randomUUID(), userId, type, hash, relatesTo],
  );
}

export async function clearOneTimeToken(
  db: Db,
  userId: string,
  type: OneTimeTokenType,
): Promise<void> {
  await db.query(`delete from auth.one_time_tokens where user_id = $1 and token_type = $2`, [
    userId,
    type,
  ]);
}

/** Verification types of GoTrue's email links. */
export type MailKind = "signup" | "recovery" | "invite" | "magiclink" | "email_change";

const SUBJECTS: Record<MailKind, string> = {
  signup: "Confirm Your Email",
  recovery: "Reset Your Password",
  invite: "You have been invited",
  magiclink: "Your Magic Link",
  email_change: "Confirm Email Change",
};

const LEADS: Record<MailKind, string> = {
  signup: "Follow this link to confirm your email:",
  recovery: "Follow this link to reset the password for your user:",
  invite: "You have been invited to create a user. Follow this link to accept the invite:",
  magiclink: "Follow this link to sign in:",
  email_change: "Follow this link to confirm the update of your email:",
};

/** The link an email carries: `<api>/auth/v1/verify?token=…&type=…&redirect_to=…`. */
export function verifyLink(
  apiUrl: string,
  token: string,
  type: MailKind,
  redirectTo: string,
): string {
  const q = new URLSearchParams({ token, type, redirect_to: redirectTo });
  return `${apiUrl}/auth/v1/verify?${q.toString()}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Sends an auth email to the mailbox: the verify link, and the 6-digit code for verifyOtp, like
 * GoTrue's default templates (`{{ .ConfirmationURL }}`, `{{ .Token }}`).
 */
export async function sendAuthMail(
  deps: AuthDeps,
  kind: MailKind,
  to: string,
  link: string,
  otp: string,
): Promise<void> {
  // `[auth.rate_limit] email_sent`: every auth mail spends the service's hourly budget.
  deps.rateLimits.assertEmail();
  const lead = LEADS[kind];
  const text = `${lead}\n\n${link}\n\nOr enter this code: ${otp}\n`;
  const html = `<h2>${escapeHtml(SUBJECTS[kind])}</h2>
<p>${escapeHtml(lead)}</p>
<p><a href="${escapeHtml(link)}">${escapeHtml(kind === "recovery" ? "Reset password" : "Confirm")}</a></p>
<p>Or enter this code: <strong>${otp}</strong></p>`;
  await deps.mailbox.send({ to, subject: SUBJECTS[kind], html, text, source: "auth" });
}

/**
 * GoTrue's per-user email frequency limit (`[auth.email] max_frequency`, 1 minute in
 * supabase/config.toml): another mail of the same kind within the window is refused with
 * 429 `over_email_send_rate_limit`.
 */
export function assertEmailFrequency(deps: AuthDeps, sentAt: Date | null): void {
  if (!sentAt) return;
  const windowMs = deps.timings.emailMaxFrequency * 1000;
  const leftMs = sentAt.getTime() + windowMs - deps.now().getTime();
  if (leftMs > 0) {
    throw new AuthError(
      429,
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${Math.floor(leftMs / 1000)} seconds.`,
    );
  }
}

/** The reauthentication mail (`sendReauthenticationOtp`): a code only, no link. */
export async function sendReauthenticationMail(
  deps: AuthDeps,
  to: string,
  otp: string,
): Promise<void> {
  deps.rateLimits.assertEmail();
  const text = `Enter the code: ${otp}\n`;
  const html = `<h2>Confirm reauthentication</h2>\n<p>Enter the code: <strong>${otp}</strong></p>`;
  await deps.mailbox.send({ to, subject: "Confirm reauthentication", html, text, source: "auth" });
}
