import {
  decodeHex,
  hmac,
  matchAnySecret,
  type RawBody,
  usableSecrets,
  type VerifyResult,
} from "./signature";

/**
 * Intercom: `X-Hub-Signature: sha1=<lowercase hex HMAC-SHA1(client secret, raw body)>`. The key is
 * the app's OAuth client secret (`INTERCOM_CLIENT_SECRET`, `_PREVIOUS` while rotating), the same
 * for every workspace that installed the app; the tenant comes from the body's `app_id`.
 */
export const INTERCOM_SIGNATURE_HEADER = "x-hub-signature";
const PREFIX = "sha1=";

export function verifyIntercom(input: {
  body: RawBody;
  signature: string | null | undefined;
  secrets: ReadonlyArray<string | null | undefined>;
}): VerifyResult {
  const secrets = usableSecrets(input.secrets);
  if (secrets.length === 0) return { ok: false, reason: "no_secret" };
  if (!input.signature) return { ok: false, reason: "missing_signature" };
  if (!input.signature.startsWith(PREFIX)) return { ok: false, reason: "malformed_signature" };
  const provided = decodeHex(input.signature.slice(PREFIX.length), 20);
  if (!provided) return { ok: false, reason: "malformed_signature" };
  return matchAnySecret(provided, secrets, (secret) => hmac("sha1", secret, [input.body]));
}

/** The header value Intercom would send. */
export function signIntercom(body: RawBody | string, secret: string): string {
  return PREFIX + hmac("sha1", secret, [body]).toString("hex");
}
