import { randomBytes } from "node:crypto";
import type { SandboxContext } from "./context";
import type { AuthCode, Provider } from "./state";

const CODE_TTL_MS = 10 * 60 * 1000;

/** Whether a redirect URI points at an origin the app registered (the app's site URL). */
export function redirectAllowed(ctx: SandboxContext, redirectUri: string): boolean {
  try {
    const u = new URL(redirectUri);
    return (
      ctx.redirectOrigins.includes(u.origin) && (u.protocol === "http:" || u.protocol === "https:")
    );
  } catch {
    return false;
  }
}

/** `redirect_uri` with `params` added to its query. */
export function withQuery(redirectUri: string, params: Record<string, string | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

export function issueCode(
  ctx: SandboxContext,
  c: Omit<AuthCode, "code" | "expiresAt" | "used">,
): string {
  const code = randomBytes(20).toString("hex");
  ctx.state.codes.push({
    ...c,
    code,
    expiresAt: new Date(Date.now() + CODE_TTL_MS).toISOString(),
    used: false,
  });
  // Old codes are of no use; keep the list short.
  ctx.state.codes = ctx.state.codes.filter(
    (x) => Date.parse(x.expiresAt) > Date.now() - CODE_TTL_MS,
  );
  ctx.store.changed();
  return code;
}

/**
 * Redeems a code once. A code used twice is refused (RFC 6749 §4.1.2), as is one issued to another
 * client, for another redirect URI, or expired.
 */
export function redeemCode(
  ctx: SandboxContext,
  provider: Provider,
  code: string,
  clientId: string,
  redirectUri: string | undefined,
): AuthCode | undefined {
  const found = ctx.state.codes.find((c) => c.code === code && c.provider === provider);
  if (!found || found.used || found.clientId !== clientId) return undefined;
  if (Date.parse(found.expiresAt) <= Date.now()) return undefined;
  if (redirectUri !== undefined && redirectUri !== found.redirectUri) return undefined;
  found.used = true;
  ctx.store.changed();
  return found;
}
