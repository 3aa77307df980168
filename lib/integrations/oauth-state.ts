import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * The OAuth / installation `state` of the connect flows (Zendesk, Intercom, GitHub App).
 *
 * `state` = base64url(JSON payload) "." base64url(HMAC-SHA256(key, payload part)). The payload
 * binds the flow to a user, a session (SHA-256 of the auth session id, never the id itself), a
 * workspace and a provider, and expires after 10 minutes. Its random nonce is stored (hashed) in
 * `oauth_states` when the flow starts and consumed by one atomic update when the callback
 * arrives, so a state works once. The callback verifies before it writes anything: a forged,
 * expired, replayed or someone else's state is refused with a reason and no side effect.
 *
 * This module is pure (keys and store are passed in) so every refusal is unit-tested;
 * `oauth-state-store.ts` is the store on the real table and `oauth-state-keys.ts` the keys.
 */

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
export const OAUTH_PROVIDERS = ["zendesk", "intercom", "github"] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];
/**
 * What a state may be bound to: the integrations above, and Slack (a notification channel with
 * its own table, docs/notifications.md), which reuses the same signed single-use state.
 */
export const STATE_PROVIDERS = [...OAUTH_PROVIDERS, "slack"] as const;
export type StateProvider = (typeof STATE_PROVIDERS)[number];

export type OAuthStateRefusal =
  | "malformed"
  | "forged"
  | "expired"
  | "wrong_user"
  | "wrong_session"
  | "wrong_organization"
  | "wrong_provider"
  | "replayed";

/** Why a state was refused; `reason` is safe to log and to map to a page, the state is not. */
export class OAuthStateError extends Error {
  readonly reason: OAuthStateRefusal;
  constructor(reason: OAuthStateRefusal) {
    super(`OAuth state refused: ${reason}`);
    this.name = "OAuthStateError";
    this.reason = reason;
  }
}

const payloadSchema = z.object({
  v: z.literal(1),
  /** random nonce (base64url, 32 bytes) */
  n: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  o: z.uuid(),
  u: z.uuid(),
  /** SHA-256 (base64url) of the session id */
  s: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  p: z.enum(STATE_PROVIDERS),
  /** expiry, ms since epoch */
  e: z.number().int().positive(),
});
export type OAuthStatePayload = z.infer<typeof payloadSchema>;

/** Who started the flow, and for what. */
export interface OAuthStateBinding {
  organizationId: string;
  userId: string;
  /** The auth session id (the access token's `session_id` claim). Only its hash is kept. */
  sessionId: string;
  provider: StateProvider;
}

/** What the callback knows about the request it is handling. */
export interface OAuthCallbackContext {
  userId: string;
  sessionId: string;
  provider: StateProvider;
  /** The workspace the callback is for, when the URL names one; else the state decides. */
  organizationId?: string;
}

export interface OAuthStateRecord {
  nonceHash: string;
  organizationId: string;
  userId: string;
  provider: StateProvider;
  expiresAt: Date;
}

/** Persistence of nonces: insert on start, single atomic consume on callback. */
export interface OAuthStateStore {
  insert(record: OAuthStateRecord): Promise<void>;
  /** Marks the nonce consumed if it exists, is unconsumed and unexpired; true if it did. */
  consume(record: { nonceHash: string; organizationId: string }, now: Date): Promise<boolean>;
}

/** Signing keys: the first signs, every one verifies (so a key rotation keeps flows alive). */
export type OAuthStateKeys = readonly [Buffer, ...Buffer[]];

const b64 = (buf: Buffer) => buf.toString("base64url");
const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** SHA-256 hex of the nonce: the primary key of oauth_states. */
export function nonceHash(nonce: string): string {
  return createHash("sha256").update(nonce, "utf8").digest("hex");
}

function sign(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(body, "utf8").digest();
}

/**
 * Starts a flow: mints and stores a nonce, returns the signed `state` for the authorize URL.
 * The state carries no secret; the store keeps only the nonce's hash.
 */
export async function createOAuthState(
  binding: OAuthStateBinding,
  deps: { keys: OAuthStateKeys; store: OAuthStateStore; now?: Date },
): Promise<{ state: string; expiresAt: Date }> {
  const now = deps.now ?? new Date();
  const nonce = b64(randomBytes(32));
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_TTL_MS);
  const payload: OAuthStatePayload = payloadSchema.parse({
    v: 1,
    n: nonce,
    o: binding.organizationId,
    u: binding.userId,
    s: b64(sha256(binding.sessionId)),
    p: binding.provider,
    e: expiresAt.getTime(),
  });
  const body = b64(Buffer.from(JSON.stringify(payload), "utf8"));
  const state = `${body}.${b64(sign(deps.keys[0], body))}`;
  await deps.store.insert({
    nonceHash: nonceHash(nonce),
    organizationId: binding.organizationId,
    userId: binding.userId,
    provider: binding.provider,
    expiresAt,
  });
  return { state, expiresAt };
}

/**
 * Checks a state without consuming it: signature (timing-safe, any known key), expiry, and that
 * it belongs to this user, session, provider and (if given) workspace. Throws OAuthStateError.
 */
export function verifyOAuthState(
  state: string,
  context: OAuthCallbackContext,
  deps: { keys: OAuthStateKeys; now?: Date },
): OAuthStatePayload {
  if (typeof state !== "string" || state.length > 1024) throw new OAuthStateError("malformed");
  const parts = state.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new OAuthStateError("malformed");
  const [body, mac] = parts as [string, string];
  const given = Buffer.from(mac, "base64url");
  const authentic = deps.keys.some((key) => {
    const expected = sign(key, body);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!authentic) throw new OAuthStateError("forged");

  let payload: OAuthStatePayload;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    throw new OAuthStateError("malformed");
  }
  const now = (deps.now ?? new Date()).getTime();
  if (payload.e <= now) throw new OAuthStateError("expired");
  if (payload.u !== context.userId) throw new OAuthStateError("wrong_user");
  const session = sha256(context.sessionId);
  const bound = Buffer.from(payload.s, "base64url");
  if (bound.length !== session.length || !timingSafeEqual(bound, session)) {
    throw new OAuthStateError("wrong_session");
  }
  if (payload.p !== context.provider) throw new OAuthStateError("wrong_provider");
  if (context.organizationId !== undefined && payload.o !== context.organizationId) {
    throw new OAuthStateError("wrong_organization");
  }
  return payload;
}

/**
 * Verifies and consumes a state in one go: the callback's only entry point. Returns the
 * workspace (and user) the flow was started for. A second use of the same state is `replayed`.
 */
export async function consumeOAuthState(
  state: string,
  context: OAuthCallbackContext,
  deps: { keys: OAuthStateKeys; store: OAuthStateStore; now?: Date },
): Promise<{ organizationId: string; userId: string; provider: StateProvider }> {
  const now = deps.now ?? new Date();
  const payload = verifyOAuthState(state, context, { keys: deps.keys, now });
  const consumed = await deps.store.consume(
    { nonceHash: nonceHash(payload.n), organizationId: payload.o },
    now,
  );
  if (!consumed) throw new OAuthStateError("replayed");
  return { organizationId: payload.o, userId: payload.u, provider: payload.p };
}
