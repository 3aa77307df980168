import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Store } from "../db/store.js";
import type { Session } from "../db/types.js";
import { readCookie } from "../http/body.js";
import { UnauthorizedError } from "../http/errors.js";
import type { RequestContext } from "../http/router.js";

export const SESSION_COOKIE = "acme_sid";

/** Signed in without "Keep me signed in": the session ends after 30 idle minutes. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** With "Keep me signed in": 30 idle days. */
export const REMEMBER_ME_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** No session lives longer than this, however active. */
export const ABSOLUTE_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
/** Don't write `lastSeenAt` on every request; once a minute is precise enough. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export async function createSession(
  store: Store,
  customerId: string,
  rememberMe: boolean,
  userAgent?: string,
): Promise<Session> {
  const now = new Date();
  const session: Session = {
    id: randomBytes(32).toString("base64url"),
    customerId,
    createdAt: now,
    lastSeenAt: now,
    rememberMe,
    userAgent,
  };
  await store.saveSession(session);
  return session;
}

/**
 * Whether a session has ended: idle for longer than its idle limit, or past the absolute
 * lifetime. Checked on every authenticated request.
 */
export function isSessionExpired(session: Session, now: Date): boolean {
  const idleLimit = session.rememberMe ? REMEMBER_ME_IDLE_MS : IDLE_TIMEOUT_MS;
  const idleFor = now.getTime() - session.lastSeenAt.getTime();
  const age = now.getTime() - session.createdAt.getTime();
  return idleFor > idleLimit && age > ABSOLUTE_LIFETIME_MS;
}

/**
 * The signed-in customer of a request, or 401. Expired sessions are deleted so a stolen cookie
 * stops working; live ones are touched so an active shopper stays signed in.
 */
export async function requireSession(ctx: RequestContext, store: Store): Promise<string> {
  if (ctx.customerId) return ctx.customerId;
  const id = readCookie(ctx.req, SESSION_COOKIE);
  if (!id) throw new UnauthorizedError();
  const session = await store.getSession(id);
  const now = new Date();
  if (!session) throw new UnauthorizedError();
  if (isSessionExpired(session, now)) {
    await store.deleteSession(id);
    throw new UnauthorizedError("Your session has ended, please sign in again");
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await store.saveSession({ ...session, lastSeenAt: now });
  }
  ctx.customerId = session.customerId;
  return session.customerId;
}

/**
 * A remembered session gets a persistent cookie; otherwise a browser-session cookie, which
 * browsers that restore tabs may keep anyway — that is why the server enforces the idle limit.
 */
export function setSessionCookie(res: ServerResponse, session: Session, secure: boolean): void {
  const parts = [
    `${SESSION_COOKIE}=${session.id}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
    ...(session.rememberMe ? [`Max-Age=${Math.floor(REMEMBER_ME_IDLE_MS / 1000)}`] : []),
  ];
  res.setHeader("set-cookie", parts.join("; "));
}

export function clearSessionCookie(res: ServerResponse): void {
  res.setHeader("set-cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}
