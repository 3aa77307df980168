import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Db } from "./deps";
import { clientIp } from "./http";

/**
 * GoTrue's audit actions and their log types (`models/audit_log_entry.go`), plus `login_failed`
 * and `login_locked`: devstack additions so the app's audit page can show failed and refused
 * sign-ins, which GoTrue only writes to its request log.
 */
const LOG_TYPES = {
  login: "account",
  logout: "account",
  login_failed: "account",
  login_locked: "account",
  invite_accepted: "account",
  user_signedup: "team",
  user_invited: "team",
  user_deleted: "team",
  token_revoked: "token",
  token_refreshed: "token",
  user_modified: "user",
  user_recovery_requested: "user",
  user_confirmation_requested: "user",
  user_repeated_signup: "user",
  user_reauthenticate_requested: "user",
  user_updated_password: "user",
  identity_linked: "user",
  factor_in_progress: "factor",
  factor_unenrolled: "factor",
  challenge_created: "factor",
  verification_attempted: "factor",
  factor_deleted: "factor",
} as const;

export type AuditAction = keyof typeof LOG_TYPES;

export interface AuditActor {
  id: string;
  email?: string | null;
  phone?: string | null;
  raw_user_meta_data?: Record<string, unknown> | null;
}

/** Writes one auth.audit_log_entries row with GoTrue's payload shape. */
export async function audit(
  db: Db,
  req: IncomingMessage,
  actor: AuditActor,
  action: AuditAction,
  traits?: Record<string, unknown>,
): Promise<void> {
  const payload: Record<string, unknown> = {
    actor_id: actor.id,
    actor_via_sso: false,
    actor_username: actor.phone || actor.email || "",
    action,
    log_type: LOG_TYPES[action],
  };
  const name = actor.raw_user_meta_data?.full_name;
  if (name !== undefined) payload.actor_name = name;
  if (traits) payload.traits = traits;
  await db.query(
    `insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, now(), $3)`,
    [randomUUID(), JSON.stringify(payload), clientIp(req)],
  );
}
