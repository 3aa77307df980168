import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { validateEmail } from "./email";
import { sendJson } from "./errors";
import { parseBody } from "./http";
import {
  assertEmailFrequency,
  generateOtp,
  saveOneTimeToken,
  sendAuthMail,
  tokenHash,
  verifyLink,
} from "./mail";
import { createFlowState, parsePkce, pkceBodyFields } from "./pkce";
import { resolveRedirect } from "./redirect";
import { findUserByEmail, type UserRow } from "./users";

const RecoverBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  ...pkceBodyFields,
  gotrue_meta_security: z.unknown().optional(),
});

/** Stores a recovery token and mails the link (`sendPasswordRecovery` / magic link). */
export async function sendRecovery(
  deps: AuthDeps,
  db: Db,
  user: Pick<UserRow, "id" | "email" | "recovery_sent_at">,
  kind: "recovery" | "magiclink",
  pkce: boolean,
  redirectTo: string,
): Promise<{ otp: string; hash: string; link: string }> {
  assertEmailFrequency(deps, user.recovery_sent_at);
  const email = user.email ?? "";
  const otp = generateOtp();
  const hash = (pkce ? "pkce_" : "") + tokenHash(email, otp);
  await db.query(`update auth.users set recovery_token = $2, recovery_sent_at = $3 where id = $1`, [
    user.id,
    hash,
    deps.now(),
  ]);
  await saveOneTimeToken(db, user.id, "recovery_token", hash, email);
  const link = verifyLink(deps.config.apiUrl, hash, kind, redirectTo);
  await sendAuthMail(deps, kind, email, link, otp);
  return { otp, hash, link };
}

/** POST /recover (GoTrue's `Recover`): always 200 `{}`, whether or not the email is known. */
export async function handleRecover(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await parseBody(req, RecoverBody);
  const email = validateEmail(body.email);
  const pkce = parsePkce(body.code_challenge, body.code_challenge_method);
  const redirectTo = resolveRedirect(deps.config, url.searchParams.get("redirect_to"));
  const user = await findUserByEmail(deps.db, email);
  if (user) {
    await withTransaction(deps.db, async (tx) => {
      await audit(tx, req, user, "user_recovery_requested");
      if (pkce) {
        await createFlowState(tx, {
          providerType: "recovery",
          authenticationMethod: "recovery",
          pkce,
          userId: user.id,
          now: deps.now(),
        });
      }
      await sendRecovery(deps, tx, user, "recovery", pkce !== undefined, redirectTo);
    });
  }
  sendJson(res, 200, {});
}
