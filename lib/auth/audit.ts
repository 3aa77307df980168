import "server-only";
import { log } from "@/lib/log";
import { createAdminClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";

/**
 * Auth events for the workspace audit logs (owners and admins see them on the audit page):
 * call from the sign-in, sign-out, password and MFA server actions, after the auth call.
 */
export const AUTH_EVENTS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_in_locked",
  "auth.sign_out",
  "auth.sign_up",
  "auth.password_reset_requested",
  "auth.password_changed",
  "auth.mfa_enrolled",
  "auth.mfa_challenge_failed",
  "auth.mfa_verified",
  "auth.mfa_removed",
  "auth.oauth_sign_in",
] as const;
export type AuthEvent = (typeof AUTH_EVENTS)[number];

const auditLog = log.child({ module: "auth.audit" });

/**
 * Records an auth event in the audit log of every workspace the user belongs to (by user id, or
 * by email for failed sign-ins). Never throws: a failed record is logged as an error, and the
 * person's sign-in goes on.
 */
export async function recordAuthEvent(
  event: AuthEvent,
  subject: { userId?: string | null; email?: string | null },
  metadata: Record<string, Json> = {},
): Promise<void> {
  try {
    const admin = await createAdminClient({
      reason: `record ${event}`,
      noOrganization: "auth-event",
      actorId: subject.userId ?? null,
    });
    const { error } = await admin.rpc("record_auth_event", {
      p_action: event,
      ...(subject.userId ? { p_user_id: subject.userId } : {}),
      ...(subject.email ? { p_email: subject.email } : {}),
      p_metadata: metadata,
    });
    if (error) throw error;
    auditLog.info({ event, userId: subject.userId ?? null }, "auth event recorded");
  } catch (error) {
    auditLog.error({ event, err: error }, "auth event not recorded");
  }
}
