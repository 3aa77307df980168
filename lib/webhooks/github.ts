import {
  decodeHex,
  hmac,
  matchAnySecret,
  type RawBody,
  usableSecrets,
  type VerifyResult,
} from "./signature";

/**
 * GitHub: `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(webhook secret, raw body)>`.
 * The secret is the GitHub App's webhook secret (`GITHUB_WEBHOOK_SECRET`, and
 * `GITHUB_WEBHOOK_SECRET_PREVIOUS` while rotating).
 */
export const GITHUB_SIGNATURE_HEADER = "x-hub-signature-256";
const PREFIX = "sha256=";

export function verifyGithub(input: {
  body: RawBody;
  signature: string | null | undefined;
  secrets: ReadonlyArray<string | null | undefined>;
}): VerifyResult {
  const secrets = usableSecrets(input.secrets);
  if (secrets.length === 0) return { ok: false, reason: "no_secret" };
  if (!input.signature) return { ok: false, reason: "missing_signature" };
  if (!input.signature.startsWith(PREFIX)) return { ok: false, reason: "malformed_signature" };
  const provided = decodeHex(input.signature.slice(PREFIX.length), 32);
  if (!provided) return { ok: false, reason: "malformed_signature" };
  return matchAnySecret(provided, secrets, (secret) => hmac("sha256", secret, [input.body]));
}

/** The header value GitHub would send (tests, the bench and the sandbox use the same formula). */
export function signGithub(body: RawBody | string, secret: string): string {
  return PREFIX + hmac("sha256", secret, [body]).toString("hex");
}
