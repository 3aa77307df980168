import type { SandboxContext } from "./context";
import { newToken } from "./credentials";
import type { IssuedToken, Provider } from "./state";

/** Issues a token, records it (in clear, for tests), and returns it. */
export function issueToken(
  ctx: SandboxContext,
  t: Omit<IssuedToken, "id" | "value" | "createdAt"> & { prefix: string; ttlSeconds?: number },
): IssuedToken {
  const { prefix, ttlSeconds, ...rest } = t;
  const now = Date.now();
  const token: IssuedToken = {
    ...rest,
    id: ctx.store.nextId(),
    value: newToken(prefix),
    createdAt: new Date(now).toISOString(),
    expiresAt: ttlSeconds ? new Date(now + ttlSeconds * 1000).toISOString() : undefined,
  };
  ctx.state.tokens.push(token);
  ctx.store.changed();
  return token;
}

export function findToken(ctx: SandboxContext, value: string | undefined): IssuedToken | undefined {
  if (!value) return undefined;
  return ctx.state.tokens.find((t) => t.value === value);
}

/** A token that exists, is of this provider and kind, and is neither revoked nor expired. */
export function liveToken(
  ctx: SandboxContext,
  value: string | undefined,
  provider: Provider,
  kinds: IssuedToken["kind"][],
): IssuedToken | undefined {
  const t = findToken(ctx, value);
  if (!t || t.provider !== provider || !kinds.includes(t.kind) || t.revokedAt) return undefined;
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return undefined;
  return t;
}

/** Revokes a token and the one issued with it. */
export function revokeToken(ctx: SandboxContext, token: IssuedToken): void {
  const now = new Date().toISOString();
  token.revokedAt ??= now;
  const pair = findToken(ctx, token.pairedWith);
  if (pair) pair.revokedAt ??= now;
  ctx.store.changed();
}

/**
 * Shows a token on the page: its known prefix and last four characters. The prefix is matched, not
 * cut at the last "_", since the random part (base64url) may itself contain "_".
 */
export function maskToken(value: string): string {
  const prefix = /^(?:sbx_whsec_|ghs_sbx|sbx_[a-z]+_[a-z]+_)/.exec(value)?.[0] ?? value.slice(0, 4);
  return `${prefix}…${value.slice(-4)}`;
}
