import "server-only";
import { createAdminClient } from "@/lib/supabase/admin";
import { NOTIFICATION_EVENTS, type NotificationEventType } from "./catalog";
import { unsubscribeKeys } from "./unsubscribe-keys";
import { verifyUnsubscribeToken } from "./unsubscribe-token";

export type UnsubscribeResult =
  | { ok: true; eventType: NotificationEventType; workspaceName: string | null }
  | { ok: false; reason: "invalid" | "locked" };

/** What a valid token would turn off, without turning it off (the GET page). */
export function readUnsubscribeToken(token: string) {
  return verifyUnsubscribeToken(token, unsubscribeKeys());
}

/**
 * Turns off one event's email for the person and workspace a genuine token names. There is no
 * session (the person clicked a link in a mail client), so the signed token is the authority and
 * the service role writes the preference, scoped to the token's workspace and user. Repeating it
 * changes nothing. A member who left, or lost the role an admin-only event needs, no longer gets
 * that email anyway: answered as done.
 */
export async function applyUnsubscribe(token: string): Promise<UnsubscribeResult> {
  const claims = verifyUnsubscribeToken(token, unsubscribeKeys());
  if (!claims) return { ok: false, reason: "invalid" };
  const spec = NOTIFICATION_EVENTS[claims.eventType];
  if (spec.lockedEmail) return { ok: false, reason: "locked" };
  const admin = await createAdminClient({
    reason: "one-click unsubscribe from a signed email link",
    organizationId: claims.organizationId,
    actorId: claims.userId,
  });
  const { data: current, error: readError } = await admin
    .from("notification_preferences")
    .select("in_app")
    .eq("organization_id", claims.organizationId)
    .eq("user_id", claims.userId)
    .eq("event_type", claims.eventType)
    .maybeSingle();
  if (readError) throw new Error(`read preference: ${readError.code ?? readError.message}`);
  const { error } = await admin.from("notification_preferences").upsert(
    {
      organization_id: claims.organizationId,
      user_id: claims.userId,
      event_type: claims.eventType,
      in_app: current?.in_app ?? spec.inAppDefault,
      email: false,
    },
    { onConflict: "organization_id,user_id,event_type" },
  );
  // 23503: no longer a member; PT403: no longer an owner or admin. Either way: no such email.
  if (error && error.code !== "23503" && error.code !== "PT403") {
    throw new Error(`save preference: ${error.code ?? error.message}`);
  }
  const { data: org } = await admin
    .from("organizations")
    .select("name")
    .eq("id", claims.organizationId)
    .maybeSingle();
  return { ok: true, eventType: claims.eventType, workspaceName: org?.name ?? null };
}
