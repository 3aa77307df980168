import {
  decodeBase64,
  hmac,
  matchAnySecret,
  type RawBody,
  usableSecrets,
  type VerifyResult,
} from "./signature";

/**
 * Zendesk: `X-Zendesk-Webhook-Signature: base64(HMAC-SHA256(secret, timestamp + raw body))`, where
 * `timestamp` is the `X-Zendesk-Webhook-Signature-Timestamp` header used verbatim (ISO-8601) and
 * there is no separator. The secret is the per-webhook signing secret Zendesk generated for the
 * workspace, used as the literal string (not base64-decoded); during a rotation the previous one
 * is accepted too.
 *
 * Zendesk documents no replay window, so we chose one: the signed timestamp must lie within
 * ZENDESK_TIMESTAMP_TOLERANCE_SECONDS (5 minutes) of our clock, either way. Five minutes covers
 * clock skew and Zendesk's quick retries (each retry is signed afresh); an older replay is refused
 * even before the dedupe ledger would drop it. See docs/webhooks.md.
 */
export const ZENDESK_SIGNATURE_HEADER = "x-zendesk-webhook-signature";
export const ZENDESK_TIMESTAMP_HEADER = "x-zendesk-webhook-signature-timestamp";
export const ZENDESK_TIMESTAMP_TOLERANCE_SECONDS = 300;

/** ISO-8601 date-time with a zone, as Zendesk sends it (`2021-03-25T05:09:27Z`). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function verifyZendesk(input: {
  body: RawBody;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  secrets: ReadonlyArray<string | null | undefined>;
  now?: Date;
  toleranceSeconds?: number;
}): VerifyResult {
  const secrets = usableSecrets(input.secrets);
  if (secrets.length === 0) return { ok: false, reason: "no_secret" };
  if (!input.signature) return { ok: false, reason: "missing_signature" };
  if (!input.timestamp) return { ok: false, reason: "missing_timestamp" };
  const provided = decodeBase64(input.signature, 32);
  if (!provided) return { ok: false, reason: "malformed_signature" };
  if (!ISO_TIMESTAMP.test(input.timestamp)) return { ok: false, reason: "malformed_timestamp" };
  const signedAt = Date.parse(input.timestamp);
  if (!Number.isFinite(signedAt)) return { ok: false, reason: "malformed_timestamp" };
  const tolerance = (input.toleranceSeconds ?? ZENDESK_TIMESTAMP_TOLERANCE_SECONDS) * 1000;
  const now = (input.now ?? new Date()).getTime();
  // Checked after the signature would be pointless to an attacker either way; checked before it,
  // a stale delivery costs no HMAC.
  if (Math.abs(now - signedAt) > tolerance) return { ok: false, reason: "stale_timestamp" };
  const timestamp = input.timestamp;
  return matchAnySecret(provided, secrets, (secret) =>
    hmac("sha256", secret, [timestamp, input.body]),
  );
}

/** The header values Zendesk would send for `body` at `timestamp`. */
export function signZendesk(
  body: RawBody | string,
  secret: string,
  timestamp: string,
): { signature: string; timestamp: string } {
  return { signature: hmac("sha256", secret, [timestamp, body]).toString("base64"), timestamp };
}
