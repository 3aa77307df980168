import { prefixedHexScheme } from "./prefixed-hex";

/**
 * GitHub: `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(webhook secret, raw body)>`.
 * The secret is the GitHub App's webhook secret (`GITHUB_WEBHOOK_SECRET`, and
 * `GITHUB_WEBHOOK_SECRET_PREVIOUS` while rotating).
 */
export const GITHUB_SIGNATURE_HEADER = "x-hub-signature-256";
const scheme = prefixedHexScheme("sha256", 32);

export const verifyGithub = scheme.verify;

/** The header value GitHub would send (tests, the bench and the sandbox use the same formula). */
export const signGithub = scheme.sign;
