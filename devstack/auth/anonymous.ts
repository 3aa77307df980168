import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { withTransaction } from "../shared/transaction";
import type { AuthDeps } from "./deps";
import { sendJson, unprocessable } from "./errors";
import { issueSession } from "./tokens";

/**
 * GoTrue's `SignupAnonymously` (POST /signup with neither email nor phone, behind
 * `enable_anonymous_sign_ins`): a user without email, phone, password or identity,
 * `is_anonymous = true`, empty app_metadata (GoTrue's `ToUserModel` sets no provider for it), and
 * a session whose amr is `anonymous`. The access token carries `role: authenticated` and
 * `is_anonymous: true`, so RLS tells anonymous users apart with `auth.jwt()->>'is_anonymous'`.
 */
export async function handleAnonymousSignup(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  data: Record<string, unknown>,
): Promise<void> {
  if (!deps.config.auth.enableSignup) {
    throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  }
  const now = deps.now();
  const session = await withTransaction(deps.db, async (tx) => {
    const id = randomUUID();
    await tx.query(
      `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,
          raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_super_admin, is_anonymous)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated',
          null, null, '', '{}', $2, $3, $3, false, true)`,
      [id, JSON.stringify(data), now],
    );
    return issueSession(deps, tx, req, id, "anonymous");
  });
  sendJson(res, 200, session);
}
