import { createHmac } from "node:crypto";

/**
 * The providers' webhook signature schemes, exactly as /work/shared/reference/webhooks.md states
 * them (and as the app's verifiers check them). Each returns the headers a delivery carries.
 */

/** Zendesk: base64(HMAC-SHA256(secret, timestamp + body)); the secret is used as a literal string. */
export function zendeskSignature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret)
    .update(timestamp + body, "utf8")
    .digest("base64");
}

/** Intercom: `sha1=` + hex HMAC-SHA1 of the body, keyed with the app's OAuth client secret. */
export function intercomSignature(clientSecret: string, body: string): string {
  return `sha1=${createHmac("sha1", clientSecret).update(body, "utf8").digest("hex")}`;
}

/** GitHub: `sha256=` + hex HMAC-SHA256 of the body, keyed with the App's webhook secret. */
export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Razorpay: hex HMAC-SHA256 of the body, no prefix, keyed with the webhook secret. */
export function razorpaySignature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("hex");
}
