import { z } from "zod";
import type { SandboxContext } from "../context";
import {
  bearerToken,
  bodyObject,
  html,
  json,
  ProviderError,
  parseWith,
  queryObject,
  redirect,
  type SandboxRequest,
  type SandboxResponse,
} from "../http";
import { consentPage, errorPage } from "../layout";
import { issueCode, redeemCode, redirectAllowed, withQuery } from "../oauth-common";
import { findToken, issueToken, liveToken, revokeToken } from "../tokens";
import { account } from "./account";

const authorizeSchema = z.object({
  response_type: z.literal("code"),
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  scope: z.string().default("read write"),
  state: z.string().optional(),
  decision: z.enum(["allow", "deny"]).optional(),
});

const tokenSchema = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("authorization_code"),
    code: z.string().min(1),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    redirect_uri: z.string().optional(),
    scope: z.string().optional(),
    expires_in: z.coerce.number().int().min(300).max(172_800).optional(),
    refresh_token_expires_in: z.coerce.number().int().min(604_800).max(7_776_000).optional(),
  }),
  z.object({
    grant_type: z.literal("refresh_token"),
    refresh_token: z.string().min(1),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    scope: z.string().optional(),
    expires_in: z.coerce.number().int().min(300).max(172_800).optional(),
    refresh_token_expires_in: z.coerce.number().int().min(604_800).max(7_776_000).optional(),
  }),
]);

const oauthError = (status: number, error: string, description: string) =>
  new ProviderError(status, { error, error_description: description });

const INVALID_GRANT =
  "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";

/** GET shows the consent page; POST (the person's click) redirects back with `code` or an error. */
export function authorize(ctx: SandboxContext, req: SandboxRequest, sub: string): SandboxResponse {
  const acc = account(ctx, sub);
  const input = req.method === "POST" ? bodyObject(req) : queryObject(req);
  const parsed = authorizeSchema.safeParse(input);
  if (!parsed.success)
    return html(400, errorPage("Invalid request", "The authorization request is malformed."));
  const p = parsed.data;
  if (p.client_id !== ctx.credentials.ZENDESK_CLIENT_ID) {
    return html(400, errorPage("Invalid client", `No OAuth client "${p.client_id}" in ${sub}.`));
  }
  if (!redirectAllowed(ctx, p.redirect_uri)) {
    return html(
      400,
      errorPage("Invalid redirect URI", "The redirect URI is not registered for this client."),
    );
  }
  if (req.method === "GET" || !p.decision) {
    return html(
      200,
      consentPage({
        provider: "Zendesk",
        account: `${sub}.zendesk.com`,
        appName: "Patchline",
        scope: p.scope,
        action: req.url.pathname,
        params: {
          response_type: p.response_type,
          client_id: p.client_id,
          redirect_uri: p.redirect_uri,
          scope: p.scope,
          state: p.state,
        },
      }),
    );
  }
  if (p.decision === "deny") {
    return redirect(
      withQuery(p.redirect_uri, {
        error: "access_denied",
        error_description: "The end-user or authorization server denied the request.",
        state: p.state,
      }),
    );
  }
  const code = issueCode(ctx, {
    provider: "zendesk",
    account: acc.subdomain,
    clientId: p.client_id,
    redirectUri: p.redirect_uri,
    scope: p.scope,
  });
  return redirect(withQuery(p.redirect_uri, { code, state: p.state }));
}

/** `POST /oauth/tokens`: authorization_code and refresh_token grants; refresh rotates both tokens. */
export function token(ctx: SandboxContext, req: SandboxRequest, sub: string): SandboxResponse {
  const acc = account(ctx, sub);
  const p = parseWith(tokenSchema, bodyObject(req), (m) => oauthError(400, "invalid_request", m));
  if (
    p.client_id !== ctx.credentials.ZENDESK_CLIENT_ID ||
    p.client_secret !== ctx.credentials.ZENDESK_CLIENT_SECRET
  ) {
    throw oauthError(
      401,
      "invalid_client",
      "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
    );
  }
  let scope: string;
  if (p.grant_type === "authorization_code") {
    const code = redeemCode(ctx, "zendesk", p.code, p.client_id, p.redirect_uri);
    if (!code || code.account !== acc.subdomain)
      throw oauthError(400, "invalid_grant", INVALID_GRANT);
    scope = code.scope;
  } else {
    const old = liveToken(ctx, p.refresh_token, "zendesk", ["refresh"]);
    if (!old || old.account !== acc.subdomain)
      throw oauthError(400, "invalid_grant", INVALID_GRANT);
    scope = old.scope ?? "read write";
    revokeToken(ctx, old);
  }
  const expiresIn = p.expires_in ?? ctx.accessTokenTtlSeconds;
  const refreshExpiresIn = p.refresh_token_expires_in ?? 2_592_000;
  const access = issueToken(ctx, {
    prefix: "sbx_zd_at_",
    provider: "zendesk",
    kind: "access",
    account: acc.subdomain,
    clientId: p.client_id,
    scope,
    ttlSeconds: expiresIn,
  });
  const refresh = issueToken(ctx, {
    prefix: "sbx_zd_rt_",
    provider: "zendesk",
    kind: "refresh",
    account: acc.subdomain,
    clientId: p.client_id,
    scope,
    ttlSeconds: refreshExpiresIn,
  });
  access.pairedWith = refresh.value;
  refresh.pairedWith = access.value;
  return json(200, {
    access_token: access.value,
    token_type: "bearer",
    scope,
    refresh_token: refresh.value,
    expires_in: expiresIn,
    refresh_token_expires_in: refreshExpiresIn,
  });
}

/** Zendesk's 401 for an expired, revoked or unknown access token. */
export const invalidToken = () =>
  new ProviderError(401, {
    error: "invalid_token",
    error_description:
      "The access token provided is expired, revoked, malformed or invalid for other reasons.",
  });

/** The live access token of a request to this account's API, or Zendesk's 401. */
export function requireToken(ctx: SandboxContext, req: SandboxRequest, sub: string) {
  const t = liveToken(ctx, bearerToken(req), "zendesk", ["access"]);
  if (!t || t.account !== sub) throw invalidToken();
  return t;
}

/** `DELETE /api/v2/oauth/tokens/current.json` (the token used) or `/{id}` (any of this account's). */
export function revoke(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  which: string,
): SandboxResponse {
  const caller = requireToken(ctx, req, sub);
  const key = which.replace(/\.json$/, "");
  const target =
    key === "current"
      ? caller
      : ctx.state.tokens.find(
          (t) => t.id === Number(key) && t.provider === "zendesk" && t.account === sub,
        );
  if (!target) throw new ProviderError(404, { error: "RecordNotFound", description: "Not found" });
  revokeToken(ctx, findToken(ctx, target.value)!);
  return { status: 204 };
}
