import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { NOTIFICATION_EVENT_TYPES, type NotificationEventType } from "./catalog";

/**
 * The one-click unsubscribe token in a notification email's link and List-Unsubscribe header:
 * base64url(JSON {v, u, o, e}) "." base64url(HMAC-SHA256(key, payload part)). It names one
 * person, one workspace and one event type, and turns that event's email off; nothing else.
 * It does not expire (an unsubscribe link must keep working), it is only ever an "off" switch,
 * and it is never logged. Pure: the keys are passed in (`unsubscribe-keys.ts` derives them);
 * the first key signs, every key verifies, so a key rotation keeps old links working.
 */

export interface UnsubscribeClaims {
  userId: string;
  organizationId: string;
  eventType: NotificationEventType;
}

const payloadSchema = z.object({
  v: z.literal(1),
  u: z.uuid(),
  o: z.uuid(),
  e: z.enum(NOTIFICATION_EVENT_TYPES),
});

const tokenShape = /^[A-Za-z0-9_-]{10,400}\.[A-Za-z0-9_-]{43}$/;

function mac(key: Buffer, payloadPart: string): Buffer {
  return createHmac("sha256", key).update(payloadPart).digest();
}

/** Signs a token with the first key. */
export function signUnsubscribeToken(claims: UnsubscribeClaims, keys: readonly Buffer[]): string {
  const key = keys[0];
  if (!key) throw new Error("no key to sign the unsubscribe token");
  const payload = { v: 1, u: claims.userId, o: claims.organizationId, e: claims.eventType };
  const payloadPart = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${payloadPart}.${mac(key, payloadPart).toString("base64url")}`;
}

/** The claims of a genuine token, or null for anything else (malformed, forged, unknown event). */
export function verifyUnsubscribeToken(
  token: string,
  keys: readonly Buffer[],
): UnsubscribeClaims | null {
  if (!tokenShape.test(token)) return null;
  const [payloadPart = "", macPart = ""] = token.split(".");
  const given = Buffer.from(macPart, "base64url");
  const genuine = keys.some((key) => {
    const expected = mac(key, payloadPart);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!genuine) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return null;
  return { userId: parsed.data.u, organizationId: parsed.data.o, eventType: parsed.data.e };
}
