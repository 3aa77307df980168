import { generateSync } from "otplib";

/** The TOTP code for a base32 secret (SHA-1, 6 digits, 30 s: what GoTrue uses) at `epoch` seconds. */
export function totp(secret: string, epoch: number = Math.floor(Date.now() / 1000)): string {
  return generateSync({ secret, epoch });
}

/**
 * A code that differs from `previous`, since the auth server may refuse a code it has already
 * accepted: when the current window's code is the one used, the next window's, which the server
 * accepts (GoTrue allows one period of skew either way), rather than sitting out the window.
 */
export async function freshTotp(secret: string, previous?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const code = totp(secret, now);
  if (code !== previous) return code;
  // two windows' codes coincide one time in a million: then the previous window's, also accepted
  for (const other of [totp(secret, now + 30), totp(secret, now - 30)]) {
    if (other !== previous) return other;
  }
  throw new Error("TOTP codes of three windows are equal");
}
