import { generateSync } from "otplib";

/** The current TOTP code for a base32 secret (SHA-1, 6 digits, 30 s: what GoTrue uses). */
export function totp(secret: string): string {
  return generateSync({ secret });
}

/**
 * A code that differs from `previous`: waits for the next 30-second window when needed, since
 * the auth server may refuse a code it has already accepted.
 */
export async function freshTotp(secret: string, previous?: string): Promise<string> {
  for (let i = 0; i < 35; i++) {
    const code = totp(secret);
    if (code !== previous) return code;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("TOTP code did not change within 35 s");
}
