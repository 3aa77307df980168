import { createHmac, randomBytes } from "node:crypto";

/**
 * The app-wide credentials the sandboxes hand the app through the devstack env file. They are
 * derived from the devstack's JWT secret, so they stay the same across restarts (tokens and
 * connected integrations keep working) yet are not constants written in the code.
 */
export interface SandboxCredentials {
  ZENDESK_CLIENT_ID: string;
  ZENDESK_CLIENT_SECRET: string;
  INTERCOM_CLIENT_ID: string;
  INTERCOM_CLIENT_SECRET: string;
  INTERCOM_APP_ID: string;
  GITHUB_APP_ID: string;
  GITHUB_APP_SLUG: string;
  GITHUB_WEBHOOK_SECRET: string;
  RAZORPAY_KEY_ID: string;
  RAZORPAY_KEY_SECRET: string;
  RAZORPAY_WEBHOOK_SECRET: string;
  SLACK_CLIENT_ID: string;
  SLACK_CLIENT_SECRET: string;
}

export function deriveCredentials(seed: string): SandboxCredentials {
  const d = (label: string, n = 24) =>
    createHmac("sha256", seed).update(`patchline-sandbox:${label}`).digest("hex").slice(0, n);
  return {
    ZENDESK_CLIENT_ID: "patchline_sandbox",
    ZENDESK_CLIENT_SECRET: `sbx_zd_cs_${d("zendesk-client-secret", 40)}`,
    INTERCOM_CLIENT_ID: `sbx-${d("intercom-client-id", 8)}`,
    INTERCOM_CLIENT_SECRET: `sbx_ic_cs_${d("intercom-client-secret", 40)}`,
    INTERCOM_APP_ID: `sbx${d("intercom-app-id", 5)}`,
    GITHUB_APP_ID: "424242",
    GITHUB_APP_SLUG: "patchline-sandbox",
    GITHUB_WEBHOOK_SECRET: `sbx_whsec_gh_${d("github-webhook-secret", 40)}`,
    RAZORPAY_KEY_ID: `rzp_test_${d("razorpay-key-id", 14)}`,
    RAZORPAY_KEY_SECRET: `sbx_rzp_ks_${d("razorpay-key-secret", 24)}`,
    RAZORPAY_WEBHOOK_SECRET: `sbx_whsec_${d("razorpay-webhook-secret", 32)}`,
    // Slack client ids are two numbers joined by a dot
    SLACK_CLIENT_ID: `${BigInt(`0x${d("slack-client-id-a", 10)}`)}.${BigInt(`0x${d("slack-client-id-b", 10)}`)}`,
    SLACK_CLIENT_SECRET: d("slack-client-secret", 32),
  };
}

/** A fresh random token with a recognisable prefix, so tests can search for it anywhere. */
export function newToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}
