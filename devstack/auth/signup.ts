import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hash } from "bcryptjs";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { handleAnonymousSignup } from "./anonymous";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { validateEmail } from "./email";
import { badRequest, sendJson, unprocessable } from "./errors";
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
import { createFlowState, type PkceParams, parsePkce, pkceBodyFields } from "./pkce";
import { resolveRedirect } from "./redirect";
import { issueSession } from "./tokens";
import { findUserByEmail, loadUserJson, type UserRow } from "./users";

const SignupBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  channel: z.string().nullish(),
  ...pkceBodyFields,
  gotrue_meta_security: z.unknown().optional(),
});

/**
 * Sends the confirmation mail of an unconfirmed user (GoTrue's `sendConfirmation`): a 6-digit
 * code, its hash stored (prefixed `pkce_` under PKCE) as confirmation_token, the verify link.
 */
export async function sendConfirmation(
  deps: AuthDeps,
  db: Db,
  user: Pick<UserRow, "id" | "email" | "confirmation_sent_at">,
  pkce: boolean,
  redirectTo: string,
): Promise<void> {
  assertEmailFrequency(deps, user.confirmation_sent_at);
  const email = user.email ?? "";
  const otp = generateOtp();
  const hash = (pkce ? "pkce_" : "") + tokenHash(email, otp);
  await db.query(
    `update auth.users set confirmation_token = $2, confirmation_sent_at = $3 where id = $1`,
    [user.id, hash, deps.now()],
  );
  await saveOneTimeToken(db, user.id, "confirmation_token", hash, email);
  await sendAuthMail(
    deps,
    "signup",
    email,
    verifyLink(deps.config.apiUrl, hash, "signup", redirectTo),
    otp,
  );
}

/** Creates an email user with identity; used by sign-up and the admin API. */
export async function createEmailUser(
  db: Db,
  params: {
    email: string;
    passwordHash: string | null;
    userMetadata: Record<string, unknown>;
    appMetadata?: Record<string, unknown>;
    confirmedAt: Date | null;
    now: Date;
    id?: string;
    role?: string;
  },
): Promise<string> {
  const id = params.id ?? randomUUID();
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
        email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
        is_super_admin, is_anonymous)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3, $4, $5, $6, $7,
        $8, $8, false, false)`,
    [
      id,
      params.role ?? "authenticated",
      params.email,
      params.passwordHash,
      params.confirmedAt,
      JSON.stringify({ provider: "email", providers: ["email"], ...(params.appMetadata ?? {}) }),
      JSON.stringify(params.userMetadata),
      params.now,
    ],
  );
  const identityData: Record<string, unknown> = {
    sub: id,
    email: params.email,
    email_verified: params.confirmedAt !== null,
    phone_verified: false,
  };
  for (const [k, v] of Object.entries(params.userMetadata)) {
    if (!(k in identityData)) identityData[k] = v;
  }
  await db.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, created_at, updated_at)
     values ($1, $2::text, $2::uuid, $3, 'email', $4, $4)`,
    [randomUUID(), id, JSON.stringify(identityData), params.now],
  );
  return id;
}

/**
 * POST /signup, in the order GoTrue checks (its /signup route, then `Signup`): neither email nor
 * phone is an anonymous sign-in (`enable_anonymous_sign_ins`); then `enable_signup`, the password
 * (required, then its strength), email and phone together, and last the provider: email needs
 * `[auth.email] enable_signup`, phone `[auth.sms] enable_signup` (the devstack sends no SMS, so a
 * phone sign-up never gets further than that check).
 */
export async function handleSignup(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await parseBody(req, SignupBody);
  if (!body.email && !body.phone) {
    if (!deps.config.auth.enableAnonymousSignIns) {
      throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    }
    // GoTrue picks the limiter after reading the body: anonymous sign-ins have their own.
    deps.rateLimits.assertRequest("anonymous", req);
    await handleAnonymousSignup(deps, req, res, body.data ?? {});
    return;
  }
  deps.rateLimits.assertRequest("signups", req);
  if (!deps.config.auth.enableSignup) {
    throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  }
  const password = body.password ?? "";
  if (password === "") throw badRequest("validation_failed", "Signup requires a valid password");
  checkPasswordStrength(password, deps.policy);
  if (body.email && body.phone) {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided on signup.",
    );
  }
  if (!body.email) {
    if (!deps.config.auth.sms.enableSignup) {
      throw badRequest("phone_provider_disabled", "Phone signups are disabled");
    }
    throw badRequest(
      "sms_send_failed",
      "Error sending confirmation OTP to provider: no SMS provider in the devstack",
    );
  }
  if (!deps.config.auth.email.enableSignup) {
    throw badRequest("email_provider_disabled", "Email signups are disabled");
  }
  const email = validateEmail(body.email);
  const pkce: PkceParams | undefined = parsePkce(body.code_challenge, body.code_challenge_method);
  const redirectTo = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const data = body.data ?? {};
  const autoconfirm = deps.config.auth.autoconfirm;
  const now = deps.now();

  const outcome = await withTransaction(deps.db, async (tx) => {
    let user = await findUserByEmail(tx, email);
    if (user?.email_confirmed_at) {
      await audit(tx, req, user, "user_repeated_signup", { provider: "email" });
      return { kind: "exists" as const };
    }
    if (!user) {
      const passwordHash = await hash(password, 10);
      const id = await createEmailUser(tx, {
        email,
        passwordHash,
        userMetadata: data,
        confirmedAt: null,
        now,
      });
      user = await findUserByEmail(tx, email);
      if (!user || user.id !== id) throw new Error("user insert not visible");
    }
    if (autoconfirm) {
      await audit(tx, req, user, "user_signedup", { provider: "email" });
      await tx.query(
        `update auth.users set email_confirmed_at = $2, updated_at = $2 where id = $1`,
        [user.id, now],
      );
      await tx.query(
        `update auth.identities set identity_data = identity_data || '{"email_verified":true}'
          where user_id = $1 and provider = 'email'`,
        [user.id],
      );
      await audit(tx, req, user, "login", { provider: "email" });
      const session = await issueSession(deps, tx, req, user.id, "password");
      return { kind: "session" as const, session };
    }
    await audit(tx, req, user, "user_confirmation_requested", { provider: "email" });
    if (pkce) {
      await createFlowState(tx, {
        providerType: "email",
        authenticationMethod: "email/signup",
        pkce,
        userId: user.id,
        now,
      });
    }
    await sendConfirmation(deps, tx, user, pkce !== undefined, redirectTo);
    const json = await loadUserJson(tx, user.id);
    return { kind: "user" as const, user: json };
  });

  if (outcome.kind === "exists") {
    if (autoconfirm) throw unprocessable("user_already_exists", "User already registered");
    // GoTrue answers a repeated sign-up with a made-up user so the response reveals nothing.
    sendJson(res, 200, obfuscatedUser(email, data, now));
    return;
  }
  if (outcome.kind === "session") {
    sendJson(res, 200, outcome.session);
    return;
  }
  sendJson(res, 200, outcome.user);
}

/** GoTrue's `sanitizeUser`: a fresh id, no confirmation, no identities. */
function obfuscatedUser(email: string, data: Record<string, unknown>, now: Date) {
  const t = now.toISOString();
  return {
    id: randomUUID(),
    aud: "authenticated",
    role: "",
    email,
    phone: "",
    confirmation_sent_at: t,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: data,
    identities: [],
    created_at: t,
    updated_at: t,
    is_anonymous: false,
  };
}
