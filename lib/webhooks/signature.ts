import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The pieces every webhook verifier shares. Each scheme signs the raw request bytes; a verifier
 * decodes the signature the provider sent into bytes, computes the expected digest with each
 * accepted secret (current first, then the previous one during a rotation) and compares the two
 * byte strings in constant time. Nothing here throws on hostile input: a malformed header is a
 * refusal, not an exception.
 */

/** Why a delivery was refused. Logged (never the body, never the signature) and tested. */
export type RefusalReason =
  | "no_secret"
  | "missing_signature"
  | "malformed_signature"
  | "missing_timestamp"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "mismatch";

export type VerifyResult =
  | {
      ok: true /** 0 = the current secret, 1 = the previous one (rotation window). */;
      secretIndex: number;
    }
  | { ok: false; reason: RefusalReason };

/** The bytes a provider signed: the raw body, never a re-serialised value. */
export type RawBody = Uint8Array;

/** The secrets to try, current first; empty or missing values are dropped (an empty key is forgeable). */
export function usableSecrets(secrets: ReadonlyArray<string | null | undefined>): string[] {
  return secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
}

/** HMAC of the concatenation of `parts` (strings are UTF-8). */
export function hmac(
  algorithm: "sha1" | "sha256",
  secret: string,
  parts: ReadonlyArray<string | Uint8Array>,
): Buffer {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Strict lowercase-or-uppercase hex of exactly `bytes` bytes, decoded; null when malformed. */
export function decodeHex(value: string, bytes: number): Buffer | null {
  if (value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value)) return null;
  return Buffer.from(value, "hex");
}

/**
 * Strict padded standard base64 of exactly `bytes` bytes, decoded; null when malformed. Node's own
 * decoder skips junk characters silently, so the shape is checked first.
 */
export function decodeBase64(value: string, bytes: number): Buffer | null {
  const expectedLength = Math.ceil(bytes / 3) * 4;
  if (value.length !== expectedLength || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const decoded = Buffer.from(value, "base64");
  if (decoded.length !== bytes) return null;
  // a non-canonical encoding (stray bits in the last character) is not what the provider sent
  if (decoded.toString("base64") !== value) return null;
  return decoded;
}

/** Constant-time equality of two digests; unequal lengths are simply unequal (no throw). */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * Compares `provided` with the digest each secret gives and returns the first that matches. Every
 * secret is tried (no early exit), so the time taken does not depend on which one matched.
 */
export function matchAnySecret(
  provided: Uint8Array,
  secrets: readonly string[],
  digest: (secret: string) => Buffer,
): VerifyResult {
  let matched = -1;
  secrets.forEach((secret, index) => {
    if (digestsEqual(provided, digest(secret)) && matched === -1) matched = index;
  });
  return matched >= 0 ? { ok: true, secretIndex: matched } : { ok: false, reason: "mismatch" };
}
