import {
  decodeHex,
  hmac,
  matchAnySecret,
  type RawBody,
  usableSecrets,
  type VerifyResult,
} from "./signature";

/**
 * Razorpay: `X-Razorpay-Signature: <lowercase hex HMAC-SHA256(webhook secret, raw body)>`, no
 * prefix. Razorpay's retries (24 h) keep the signature they were first sent with, so after a
 * rotation the previous secret (`RAZORPAY_WEBHOOK_SECRET_PREVIOUS`) must stay accepted for a day.
 */
export const RAZORPAY_SIGNATURE_HEADER = "x-razorpay-signature";

export function verifyRazorpay(input: {
  body: RawBody;
  signature: string | null | undefined;
  secrets: ReadonlyArray<string | null | undefined>;
}): VerifyResult {
  const secrets = usableSecrets(input.secrets);
  if (secrets.length === 0) return { ok: false, reason: "no_secret" };
  if (!input.signature) return { ok: false, reason: "missing_signature" };
  const provided = decodeHex(input.signature, 32);
  if (!provided) return { ok: false, reason: "malformed_signature" };
  return matchAnySecret(provided, secrets, (secret) => hmac("sha256", secret, [input.body]));
}

/** The header value Razorpay would send. */
export function signRazorpay(body: RawBody | string, secret: string): string {
  return hmac("sha256", secret, [body]).toString("hex");
}
