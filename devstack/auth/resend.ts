import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";
import { validateEmail } from "./email";
import { badRequest, sendJson, unprocessable } from "./errors";
import { parseBody } from "./http";
import { createFlowState, parsePkce, pkceBodyFields } from "./pkce";
import { sendRecovery } from "./recover";
import { resolveRedirect } from "./redirect";
import { createEmailUser, sendConfirmation } from "./signup";
import { sendEmailChange } from "./user";
import { findUserByEmail, findUserById } from "./users";

const ResendBody = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  ...pkceBodyFields,
  gotrue_meta_security: z.unknown().optional(),
});

/**
 * POST /resend (GoTrue's `Resend`): mails the signup confirmation or the email-change links
 * again. Answers 200 `{}` whether or not there was anything to resend.
 */
export async function handleResend(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await parseBody(req, ResendBody);
  const type = body.type ?? "";
  // GoTrue's ResendConfirmationParams.Validate, in its order.
  if (!["signup", "email_change", "sms", "phone_change"].includes(type)) {
    throw badRequest(
      "validation_failed",
      "Missing one of these types: signup, email_change, sms, phone_change",
    );
  }
  if (!body.email && type === "signup") {
    throw badRequest("validation_failed", "Type provided requires an email address");
  }
  if (!body.phone && type === "sms") {
    throw badRequest("validation_failed", "Type provided requires a phone number");
  }
  if (body.email && body.phone) {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided.",
    );
  }
  if (body.phone || !body.email) {
    // The devstack sends no SMS: with phone sign-in enabled there is still nothing to resend.
    if (body.phone && !deps.config.auth.sms.enableSignup) {
      throw badRequest("phone_provider_disabled", "Phone logins are disabled");
    }
    sendJson(res, 200, {});
    return;
  }
  if (!deps.config.auth.email.enableSignup) {
    throw badRequest("email_provider_disabled", "Email logins are disabled");
  }
  const email = validateEmail(body.email);
  const pkce = parsePkce(body.code_challenge, body.code_challenge_method);
  const redirectTo = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const user = await findUserByEmail(deps.db, email);
  if (!user) {
    sendJson(res, 200, {});
    return;
  }
  if (type === "signup" && user.email_confirmed_at) {
    sendJson(res, 200, {});
    return;
  }
  if (type === "email_change" && !user.email_change) {
    sendJson(res, 200, {});
    return;
  }
  await withTransaction(deps.db, async (tx) => {
    const now = deps.now();
    if (type === "signup") {
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
    } else {
      if (pkce) {
        await createFlowState(tx, {
          providerType: "email_change",
          authenticationMethod: "email_change",
          pkce,
          userId: user.id,
          now,
        });
      }
      await sendEmailChange(deps, tx, user, user.email_change, pkce !== undefined, redirectTo);
    }
  });
  sendJson(res, 200, {});
}

const OtpBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  create_user: z.boolean().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  ...pkceBodyFields,
  gotrue_meta_security: z.unknown().optional(),
});

/**
 * POST /otp (`signInWithOtp`, email): a magic link and code to an existing user, or a sign-up
 * confirmation to a new one when `create_user` is set. Answers 200 `{}`.
 */
export async function handleOtp(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await parseBody(req, OtpBody);
  // GoTrue's `Otp`: OtpParams.Validate, then MagicLink for email or SmsOtp for phone.
  if (body.email && body.phone) {
    throw badRequest(
      "validation_failed",
      "Only an email address or phone number should be provided",
    );
  }
  if (!body.email) {
    if (!body.phone) throw badRequest("validation_failed", "One of email or phone must be set");
    // `SmsOtp` refuses before looking at the number when phone sign-in is off (the CLI default).
    if (!deps.config.auth.sms.enableSignup) {
      throw badRequest("phone_provider_disabled", "Unsupported phone provider");
    }
    throw badRequest("sms_send_failed", "Error sending sms OTP: no SMS provider in the devstack");
  }
  if (!deps.config.auth.email.enableSignup) {
    throw badRequest("email_provider_disabled", "Email logins are disabled");
  }
  const email = validateEmail(body.email);
  const pkce = parsePkce(body.code_challenge, body.code_challenge_method);
  const redirectTo = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const existing = await findUserByEmail(deps.db, email);
  if (!existing && body.create_user === false) {
    throw unprocessable("otp_disabled", "Signups not allowed for otp");
  }
  await withTransaction(deps.db, async (tx) => {
    const now = deps.now();
    if (!existing) {
      const id = await createEmailUser(tx, {
        email,
        passwordHash: null,
        userMetadata: body.data ?? {},
        confirmedAt: null,
        now,
      });
      const user = await findUserById(tx, id);
      if (!user) throw new Error("otp user missing");
      await audit(tx, req, user, "user_confirmation_requested", { provider: "email" });
      if (pkce) {
        await createFlowState(tx, {
          providerType: "email",
          authenticationMethod: "email/signup",
          pkce,
          userId: id,
          now,
        });
      }
      await sendConfirmation(deps, tx, user, pkce !== undefined, redirectTo);
      return;
    }
    await audit(tx, req, existing, "user_recovery_requested", { type: "magiclink" });
    if (pkce) {
      await createFlowState(tx, {
        providerType: "email",
        authenticationMethod: "magiclink",
        pkce,
        userId: existing.id,
        now,
      });
    }
    await sendRecovery(deps, tx, existing, "magiclink", pkce !== undefined, redirectTo);
  });
  sendJson(res, 200, {});
}
