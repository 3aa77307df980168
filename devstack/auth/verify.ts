import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { validateEmail } from "./email";
import { AuthError, badRequest, sendJson, unprocessable } from "./errors";
import { parseBody, redirect } from "./http";
import { clearOneTimeToken } from "./mail";
import { issueAuthCode } from "./pkce";
import { resolveRedirect } from "./redirect";
import { type AccessTokenResponse, issueSession } from "./tokens";
import type { UserRow } from "./users";
import { EMAIL_TYPES, type EmailType, userByEmailAndOtp, userByTokenHash } from "./verify-lookup";

const VerifyBody = z.object({
  type: z.string().nullish(),
  token: z.string().nullish(),
  token_hash: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  redirect_to: z.string().nullish(),
  gotrue_meta_security: z.unknown().optional(),
});

export const SINGLE_CONFIRMATION =
  "Confirmation link accepted. Please proceed to confirm link sent to the other email";

/** GoTrue's `ParseAuthenticationMethod` for verification types. */
function authMethodOf(type: string): string {
  return type.endsWith("signup") ? "email/signup" : type;
}

/**
 * Applies a verified token (signupVerify / recoverVerify / emailChangeVerify). Returns false when
 * only the first half of a secure email change was confirmed.
 */
async function applyVerification(
  deps: AuthDeps,
  tx: Db,
  req: IncomingMessage,
  user: UserRow,
  type: EmailType,
  usedHash: string,
): Promise<boolean> {
  const now = deps.now();
  switch (type) {
    case "signup":
    case "invite": {
      await tx.query(
        `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, $2),
            confirmation_token = '', updated_at = $2 where id = $1`,
        [user.id, now],
      );
      await tx.query(
        `update auth.identities set identity_data = identity_data || '{"email_verified":true}'
          where user_id = $1 and provider = 'email'`,
        [user.id],
      );
      await clearOneTimeToken(tx, user.id, "confirmation_token");
      await audit(tx, req, user, type === "invite" ? "invite_accepted" : "user_signedup", {
        provider: "email",
      });
      return true;
    }
    case "recovery":
    case "magiclink": {
      await tx.query(
        `update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, $2),
            updated_at = $2 where id = $1`,
        [user.id, now],
      );
      await clearOneTimeToken(tx, user.id, "recovery_token");
      await audit(tx, req, user, "login", { provider: "email", type });
      return true;
    }
    case "email_change": {
      if (user.email_change_confirm_status === 0 && user.email && user.email_change_token_current) {
        const isCurrent = usedHash === user.email_change_token_current;
        await tx.query(
          `update auth.users set email_change_confirm_status = 1,
              ${isCurrent ? "email_change_token_current" : "email_change_token_new"} = ''
            where id = $1`,
          [user.id],
        );
        await clearOneTimeToken(
          tx,
          user.id,
          isCurrent ? "email_change_token_current" : "email_change_token_new",
        );
        return false;
      }
      const newEmail = user.email_change;
      await tx.query(
        `update auth.users set email = $2, email_change = '', email_change_token_current = '',
            email_change_token_new = '', email_change_sent_at = null,
            email_change_confirm_status = 0, email_confirmed_at = $3, updated_at = $3
          where id = $1`,
        [user.id, newEmail, now],
      );
      await tx.query(
        `update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = $3
          where user_id = $1 and provider = 'email'`,
        [user.id, JSON.stringify({ email: newEmail, email_verified: true }), now],
      );
      await clearOneTimeToken(tx, user.id, "email_change_token_current");
      await clearOneTimeToken(tx, user.id, "email_change_token_new");
      await audit(tx, req, user, "user_modified");
      return true;
    }
    default:
      throw badRequest("validation_failed", "Unsupported verification type");
  }
}

function isEmailType(t: string): t is EmailType {
  return (EMAIL_TYPES as readonly string[]).includes(t);
}

const OAUTH_ERROR_BY_STATUS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

/** GoTrue's `prepErrorRedirectURL`: error in the fragment always, in the query under PKCE. */
export function errorRedirectUrl(target: string, err: AuthError, pkce: boolean): string {
  const u = new URL(target);
  const hq = new URLSearchParams();
  const name = OAUTH_ERROR_BY_STATUS[err.status];
  if (name) {
    hq.set("error", name);
    if (pkce) u.searchParams.set("error", name);
  }
  hq.set("error_code", err.code);
  hq.set("error_description", err.message);
  if (pkce) {
    u.searchParams.set("error_code", err.code);
    u.searchParams.set("error_description", err.message);
  }
  hq.set("sb", "");
  u.hash = hq.toString();
  return u.toString();
}

/** GoTrue's `AsRedirectURL`: the session in the fragment (implicit flow), keys sorted like Go's url.Values. */
export function sessionRedirectUrl(
  target: string,
  s: AccessTokenResponse,
  extra: Record<string, string>,
): string {
  const values: Record<string, string> = {
    ...extra,
    access_token: s.access_token,
    expires_at: String(s.expires_at),
    expires_in: String(s.expires_in),
    refresh_token: s.refresh_token,
    token_type: s.token_type,
  };
  const q = new URLSearchParams();
  for (const k of Object.keys(values).sort()) q.set(k, values[k] ?? "");
  q.set("sb", "");
  return `${target}#${q.toString()}`;
}

/** GET /verify?token&type&redirect_to: the email link; always answers 303. */
export async function handleVerifyGet(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const token = url.searchParams.get("token") ?? "";
  const type = url.searchParams.get("type") ?? "";
  const redirectTo = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const pkce = token.startsWith("pkce_");
  if (!token) throw badRequest("validation_failed", "Verify requires a token or a token hash");
  if (!isEmailType(type) || type === "email") {
    throw badRequest("validation_failed", "Verify requires a verification type");
  }
  try {
    const out = await withTransaction(deps.db, async (tx) => {
      const found = await userByTokenHash(deps, tx, type, token);
      const done = await applyVerification(deps, tx, req, found.user, found.type, token);
      if (!done) return { kind: "single" as const };
      if (pkce) {
        const code = await issueAuthCode(tx, found.user.id, authMethodOf(found.type), deps.now());
        if (!code) {
          throw badRequest(
            "flow_state_not_found",
            "No associated flow state found. No valid flow state found for user.",
          );
        }
        return { kind: "code" as const, code };
      }
      const session = await issueSession(deps, tx, req, found.user.id, "otp");
      return { kind: "session" as const, session };
    });
    if (out.kind === "single") {
      const u = new URL(redirectTo);
      if (pkce) u.searchParams.set("message", SINGLE_CONFIRMATION);
      const hq = new URLSearchParams({ message: SINGLE_CONFIRMATION, sb: "" });
      u.hash = hq.toString();
      redirect(res, 303, u.toString());
    } else if (out.kind === "code") {
      const u = new URL(redirectTo);
      u.searchParams.set("code", out.code);
      redirect(res, 303, u.toString());
    } else {
      redirect(res, 303, sessionRedirectUrl(redirectTo, out.session, { type }));
    }
  } catch (err) {
    if (err instanceof AuthError && err.status < 500) {
      redirect(res, 303, errorRedirectUrl(redirectTo, err, pkce));
      return;
    }
    throw err;
  }
}

/** POST /verify (verifyOtp): token_hash, or email + token; answers a session. */
export async function handleVerifyPost(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await parseBody(req, VerifyBody);
  const type = body.type ?? "";
  const token = body.token ?? "";
  const hashParam = body.token_hash ?? "";
  if ((token === "" && hashParam === "") || (token !== "" && hashParam !== "")) {
    throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  }
  if (type === "sms" || type === "phone_change") {
    throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  }
  if (!isEmailType(type)) throw badRequest("validation_failed", "Unsupported verification type");
  let email = "";
  if (token !== "") {
    if (body.phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
    if (!body.email) {
      throw badRequest(
        "validation_failed",
        "Only an email address or phone number should be provided on verify",
      );
    }
    try {
      email = validateEmail(body.email);
    } catch {
      throw unprocessable("validation_failed", "Invalid email format");
    }
  } else if (body.email || body.phone || body.redirect_to) {
    throw badRequest("validation_failed", "Only the token_hash and type should be provided");
  }
  const out = await withTransaction(deps.db, async (tx) => {
    const found =
      token !== ""
        ? await userByEmailAndOtp(deps, tx, type, email, token)
        : { ...(await userByTokenHash(deps, tx, type, hashParam)), hash: hashParam };
    const done = await applyVerification(deps, tx, req, found.user, found.type, found.hash);
    if (!done) return undefined;
    return issueSession(deps, tx, req, found.user.id, "otp");
  });
  if (!out) {
    sendJson(res, 200, { msg: SINGLE_CONFIRMATION, code: "200" });
    return;
  }
  sendJson(res, 200, out);
}
