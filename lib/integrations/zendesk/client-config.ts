import { z } from "zod";

/**
 * Where a Zendesk account lives and who Patchline is to it. The base URL is a template with a
 * `{subdomain}` placeholder (ZENDESK_BASE_URL: the real `https://{subdomain}.zendesk.com`, or the
 * devstack sandbox); the subdomain is validated before it reaches a URL, so an account name can
 * never point a request at another host.
 */
export interface ZendeskConfig {
  baseUrlTemplate: string;
  clientId: string;
  clientSecret: string;
}

export const zendeskSubdomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "Use the subdomain only, e.g. acme");

/** `https://acme.zendesk.com` (or the sandbox's `…/zendesk/acme`) for a valid subdomain. */
export function zendeskBaseUrl(template: string, subdomain: string): string {
  const safe = zendeskSubdomain.parse(subdomain);
  return template.replaceAll("{subdomain}", safe).replace(/\/+$/, "");
}
