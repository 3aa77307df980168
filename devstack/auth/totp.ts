import { generateSecret, generateSync, verifySync } from "otplib";
import QRCode from "qrcode";

/** GoTrue's TOTP parameters (`mfa.go`): SHA1, 6 digits, 30-second period, one step of skew. */
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;

/** A fresh base32 secret of 20 bytes, like pquerna/otp's default. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/**
 * The otpauth URI pquerna/otp's `Key.String()` produces:
 * `otpauth://totp/<issuer>:<account>?algorithm=SHA1&digits=6&issuer=<issuer>&period=30&secret=<s>`.
 */
export function totpUri(issuer: string, account: string, secret: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`)
    .replaceAll("%3A", ":")
    .replaceAll("%40", "@");
  const q = new URLSearchParams({
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    issuer,
    period: String(TOTP_PERIOD),
    secret,
  });
  return `otpauth://totp/${label}?${q.toString()}`;
}

/** The QR code of the URI as an SVG document (auth-js turns it into a data URI). */
export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "H", margin: 1 });
}

/** Validates a code at `now` allowing one period of skew either way (GoTrue's `Skew: 1`). */
export function verifyTotp(secret: string, code: string, now: Date): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD,
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
    algorithm: "sha1",
  });
  return result.valid;
}

/** The current code for a secret (tests and the devstack's own helpers). */
export function totpCode(secret: string, now: Date = new Date()): string {
  return generateSync({
    secret,
    epoch: Math.floor(now.getTime() / 1000),
    period: TOTP_PERIOD,
    digits: TOTP_DIGITS,
    algorithm: "sha1",
  });
}
