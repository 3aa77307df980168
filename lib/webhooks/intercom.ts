import { prefixedHexScheme } from "./prefixed-hex";

/**
 * Intercom: `X-Hub-Signature: sha1=<lowercase hex HMAC-SHA1(client secret, raw body)>`. The key is
 * the app's OAuth client secret (`INTERCOM_CLIENT_SECRET`, `_PREVIOUS` while rotating), the same
 * for every workspace that installed the app; the tenant comes from the body's `app_id`.
 */
export const INTERCOM_SIGNATURE_HEADER = "x-hub-signature";
const scheme = prefixedHexScheme("sha1", 20);

export const verifyIntercom = scheme.verify;

/** The header value Intercom would send. */
export const signIntercom = scheme.sign;
