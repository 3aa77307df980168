/**
 * The cookie that carries the Zendesk subdomain from "Connect" to the OAuth callback (the
 * redirect URI is fixed and Zendesk does not echo the account). Not a secret and not trusted for
 * authorization: the signed state is; the value is re-validated as a subdomain in the callback.
 */
export const ZENDESK_SUBDOMAIN_COOKIE = "pl_zendesk_subdomain";
