import type { IncomingMessage, ServerResponse } from "node:http";
import { hash } from "bcryptjs";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { ADMIN_ACTOR, DUPLICATE_EMAIL } from "./admin";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { validateEmail } from "./email";
import { badRequest, notFound, sendJson, unprocessable } from "./errors";
import { requireAdmin } from "./guard";
import { parseBody } from "./http";
import { generateOtp, saveOneTimeToken, sendAuthMail, tokenHash, verifyLink } from "./mail";
import { checkPasswordStrength } from "./password-policy";
import { resolveRedirect } from "./redirect";
import { createEmailUser } from "./signup";
import { findUserByEmail, findUserById, loadUserJson, type UserRow } from "./users";

/** Admin endpoints that make email tokens: POST /admin/generate_link and POST /invite. */

const LinkParams = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  new_email: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  redirect_to: z.string().nullish(),
});

async function setToken(
  tx: Db,
  user: UserRow,
  kind: "confirmation" | "recovery",
  hashed: string,
  now: Date,
): Promise<void> {
  if (kind === "confirmation") {
    await tx.query(
      `update auth.users set confirmation_token = $2, confirmation_sent_at = $3 where id = $1`,
      [user.id, hashed, now],
    );
    await saveOneTimeToken(tx, user.id, "confirmation_token", hashed, user.email ?? "");
  } else {
    await tx.query(
      `update auth.users set recovery_token = $2, recovery_sent_at = $3 where id = $1`,
      [user.id, hashed, now],
    );
    await saveOneTimeToken(tx, user.id, "recovery_token", hashed, user.email ?? "");
  }
}

/**
 * POST /admin/generate_link (`adminGenerateLink`): makes the token an email would carry and answers
 * it with the user instead of sending mail: signup, invite, magiclink, recovery,
 * email_change_current, email_change_new.
 */
export async function handleGenerateLink(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  await requireAdmin(deps, req);
  const p = await parseBody(req, LinkParams);
  const email = validateEmail(p.email);
  const referrer = resolveRedirect(
    deps.config,
    p.redirect_to ?? url.searchParams.get("redirect_to"),
  );
  let type = p.type ?? "";
  const known = [
    "signup",
    "invite",
    "magiclink",
    "recovery",
    "email_change_current",
    "email_change_new",
  ];
  if (!known.includes(type)) {
    throw badRequest("validation_failed", `Invalid email action link type requested: ${type}`);
  }
  const now = deps.now();
  let user = await findUserByEmail(deps.db, email);
  if (!user) {
    if (type === "recovery" || type.startsWith("email_change")) {
      throw notFound("user_not_found", "User with this email not found");
    }
    if (type === "magiclink") type = "signup";
  }
  const otp = generateOtp();
  const hashed = tokenHash(email, otp);
  let newEmail = "";
  await withTransaction(deps.db, async (tx) => {
    switch (type) {
      case "magiclink":
      case "recovery":
        if (!user) throw new Error("unreachable");
        await setToken(tx, user, "recovery", hashed, now);
        break;
      case "invite": {
        if (user?.email_confirmed_at) throw unprocessable("email_exists", DUPLICATE_EMAIL);
        if (!user) {
          const id = await createEmailUser(tx, {
            email,
            passwordHash: null,
            userMetadata: p.data ?? {},
            confirmedAt: null,
            now,
          });
          await tx.query(`update auth.users set invited_at = $2 where id = $1`, [id, now]);
          user = await findUserById(tx, id);
        }
        if (!user) throw new Error("invite user missing");
        await setToken(tx, user, "confirmation", hashed, now);
        await audit(tx, req, ADMIN_ACTOR, "user_invited", { user_id: user.id, user_email: email });
        break;
      }
      case "signup": {
        if (user?.email_confirmed_at) throw unprocessable("email_exists", DUPLICATE_EMAIL);
        if (!user) {
          const password = p.password ?? "";
          if (p.type === "signup") {
            if (password === "")
              throw badRequest("validation_failed", "Signup requires a valid password");
            checkPasswordStrength(password, deps.policy);
          }
          const id = await createEmailUser(tx, {
            email,
            passwordHash: password ? await hash(password, 10) : null,
            userMetadata: p.data ?? {},
            confirmedAt: null,
            now,
          });
          user = await findUserById(tx, id);
        }
        if (!user) throw new Error("signup user missing");
        await setToken(tx, user, "confirmation", hashed, now);
        break;
      }
      default: {
        if (!user) throw new Error("unreachable");
        newEmail = validateEmail(p.new_email);
        const other = await findUserByEmail(tx, newEmail);
        if (other) throw unprocessable("email_exists", DUPLICATE_EMAIL);
        const hashedNew = tokenHash(newEmail, otp);
        await tx.query(
          `update auth.users set email_change = $2, email_change_token_current = $3,
              email_change_token_new = $4, email_change_sent_at = $5, email_change_confirm_status = 0
            where id = $1`,
          [user.id, newEmail, hashed, hashedNew, now],
        );
        await saveOneTimeToken(tx, user.id, "email_change_token_current", hashed, email);
        await saveOneTimeToken(tx, user.id, "email_change_token_new", hashedNew, newEmail);
      }
    }
  });
  if (!user) throw new Error("generate_link user missing");
  const linkType = type.startsWith("email_change")
    ? "email_change"
    : (type as "signup" | "invite" | "magiclink" | "recovery");
  const token = type === "email_change_new" ? tokenHash(newEmail, otp) : hashed;
  const json = await loadUserJson(deps.db, user.id);
  sendJson(res, 200, {
    ...json,
    action_link: verifyLink(deps.config.apiUrl, token, linkType, referrer),
    email_otp: otp,
    hashed_token: token,
    verification_type: type,
    redirect_to: referrer,
  });
}

const InviteParams = z.object({
  email: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

/** POST /invite (`inviteUserByEmail`): creates an invited user and mails the invite link. */
export async function handleInvite(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  await requireAdmin(deps, req);
  const p = await parseBody(req, InviteParams);
  const email = validateEmail(p.email);
  const referrer = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const existing = await findUserByEmail(deps.db, email);
  if (existing?.email_confirmed_at) throw unprocessable("email_exists", DUPLICATE_EMAIL);
  const now = deps.now();
  const otp = generateOtp();
  const hashed = tokenHash(email, otp);
  const id = await withTransaction(deps.db, async (tx) => {
    let user = existing;
    if (!user) {
      const newId = await createEmailUser(tx, {
        email,
        passwordHash: null,
        userMetadata: p.data ?? {},
        confirmedAt: null,
        now,
      });
      user = await findUserById(tx, newId);
    }
    if (!user) throw new Error("invite user missing");
    await tx.query(`update auth.users set invited_at = $2 where id = $1`, [user.id, now]);
    await setToken(tx, user, "confirmation", hashed, now);
    await audit(tx, req, ADMIN_ACTOR, "user_invited", { user_id: user.id, user_email: email });
    return user.id;
  });
  await sendAuthMail(
    deps,
    "invite",
    email,
    verifyLink(deps.config.apiUrl, hashed, "invite", referrer),
    otp,
  );
  sendJson(res, 200, await loadUserJson(deps.db, id));
}
