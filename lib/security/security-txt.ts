/**
 * RFC 9116 security.txt: where to report a vulnerability. Expires is always 180 days ahead
 * (the RFC asks for less than a year), so the file never goes stale.
 */
export const SECURITY_CONTACT = "mailto:security@patchline.dev";
const EXPIRES_IN_DAYS = 180;

export function securityTxt(siteUrl: string, now: Date = new Date()): string {
  const expires = new Date(now.getTime() + EXPIRES_IN_DAYS * 24 * 60 * 60 * 1000);
  expires.setUTCMilliseconds(0);
  return [
    `Contact: ${SECURITY_CONTACT}`,
    `Expires: ${expires.toISOString().replace(".000Z", "Z")}`,
    "Preferred-Languages: en",
    `Canonical: ${new URL("/.well-known/security.txt", siteUrl).toString()}`,
    `Policy: ${new URL("/.well-known/security-policy.txt", siteUrl).toString()}`,
    "",
  ].join("\n");
}
