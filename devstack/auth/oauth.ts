import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps, Db } from "./deps";
import { AuthError, badRequest, OAuthError, sendJson } from "./errors";
import { parseForm, redirect } from "./http";
import { exchangeIdpCode, type IdpIdentity, isIdpProvider } from "./idp-page";
import { findFlowStateById, isFlowStateExpired, parsePkce } from "./pkce";
import { resolveRedirect } from "./redirect";
import { issueSession } from "./tokens";
import { findUserByEmail, findUserById, isBanned, isUuid } from "./users";
import { sessionRedirectUrl } from "./verify";

/**
 * GET /authorize?provider=github|google&redirect_to&code_challenge&code_challenge_method&scopes
 * (GoTrue's `ExternalProviderRedirect`): stores a flow state whose id is the OAuth `state`, and
 * sends the browser to the stand-in provider's page (302), or answers `{url}` with
 * `skip_http_redirect=true`.
 */
export async function handleAuthorize(
  deps: AuthDeps,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const q = url.searchParams;
  const provider = q.get("provider") ?? "";
  if (!isIdpProvider(provider)) {
    throw badRequest(
      "validation_failed",
      `Unsupported provider: provider ${provider || "(empty)"} could not be found`,
    );
  }
  // GoTrue's OAuthProviderConfiguration.ValidateOAuth: `[auth.external.<name>] enabled = false`.
  if (!deps.config.auth.external[provider]?.enabled) {
    throw badRequest("validation_failed", "Unsupported provider: provider is not enabled");
  }
  const pkce = parsePkce(q.get("code_challenge"), q.get("code_challenge_method"));
  const referrer = resolveRedirect(deps.config, q.get("redirect_to"));
  const id = randomUUID();
  const now = deps.now();
  await deps.db.query(
    `insert into auth.flow_state (id, auth_code, code_challenge_method, code_challenge,
        provider_type, created_at, updated_at, authentication_method, referrer)
     values ($1, $2, $3, $4, $5, $6, $6, 'oauth', $7)`,
    [
      id,
      pkce ? randomUUID() : null,
      pkce?.method ?? null,
      pkce?.codeChallenge ?? null,
      provider,
      now,
      referrer,
    ],
  );
  const target = new URL(`${deps.config.apiUrl}/auth/v1/idp/${provider}/authorize`);
  target.searchParams.set("client_id", "devstack");
  target.searchParams.set("redirect_uri", `${deps.config.apiUrl}/auth/v1/callback`);
  target.searchParams.set("response_type", "code");
  target.searchParams.set("scope", q.get("scopes") ?? "");
  target.searchParams.set("state", id);
  const hint = q.get("login_hint");
  if (hint) target.searchParams.set("login_hint", hint);
  if (q.get("skip_http_redirect") === "true") {
    sendJson(res, 200, { url: target.toString() });
    return;
  }
  redirect(res, 302, target.toString());
}

/** GoTrue's `redirectErrors`: the error in the query and the fragment of the referrer. */
function errorRedirect(target: string, err: unknown): string {
  const u = new URL(target);
  const q = new URLSearchParams();
  if (err instanceof OAuthError) {
    q.set("error", err.error);
    q.set("error_description", err.description);
  } else if (err instanceof AuthError) {
    const byStatus: Record<number, string> = {
      400: "invalid_request",
      401: "unauthorized_client",
      403: "access_denied",
    };
    q.set(
      "error",
      err.code === "user_banned" ? "access_denied" : (byStatus[err.status] ?? "server_error"),
    );
    q.set("error_description", err.message);
    q.set("error_code", err.code);
  } else {
    q.set("error", "server_error");
    q.set("error_description", "Unexpected failure");
  }
  for (const [k, v] of q) u.searchParams.set(k, v);
  const hq = new URLSearchParams(q);
  hq.set("sb", "");
  u.hash = hq.toString();
  return u.toString();
}

function identityData(i: IdpIdentity): Record<string, unknown> {
  const common = {
    avatar_url: "",
    email: i.email,
    email_verified: true,
    full_name: i.name,
    name: i.name,
    phone_verified: false,
    provider_id: i.providerId,
    sub: i.providerId,
  };
  return i.provider === "github"
    ? {
        ...common,
        iss: "https://api.github.com",
        preferred_username: i.userName,
        user_name: i.userName,
      }
    : { ...common, iss: "https://accounts.google.com", picture: "" };
}

/**
 * Finds or creates the user of a provider identity (GoTrue's `createAccountFromExternalIdentity`
 * with automatic linking): a known identity signs in its user; a verified email matching an
 * existing user links to that user; otherwise a confirmed user is created.
 */
async function userForIdentity(
  deps: AuthDeps,
  tx: Db,
  req: IncomingMessage,
  i: IdpIdentity,
): Promise<string> {
  const now = deps.now();
  const data = identityData(i);
  const known = await tx.query<{ user_id: string }>(
    `select user_id from auth.identities where provider = $1 and provider_id = $2`,
    [i.provider, i.providerId],
  );
  const knownUser = known.rows[0]?.user_id;
  if (knownUser) {
    await tx.query(
      `update auth.identities set identity_data = $3, last_sign_in_at = $4, updated_at = $4
        where provider = $1 and provider_id = $2`,
      [i.provider, i.providerId, JSON.stringify(data), now],
    );
    return knownUser;
  }
  const existing = await findUserByEmail(tx, i.email);
  let userId: string;
  if (existing) {
    userId = existing.id;
    const providers = new Set<string>(
      Array.isArray(existing.raw_app_meta_data?.providers)
        ? (existing.raw_app_meta_data.providers as string[])
        : [],
    );
    providers.add(i.provider);
    await tx.query(
      `update auth.users set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb) || $2::jsonb,
          email_confirmed_at = coalesce(email_confirmed_at, $3), updated_at = $3
        where id = $1`,
      [userId, JSON.stringify({ providers: [...providers] }), now],
    );
    await audit(tx, req, existing, "identity_linked", { provider: i.provider });
  } else {
    userId = randomUUID();
    await tx.query(
      `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at,
          raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_super_admin, is_anonymous)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3,
          $4, $5, $3, $3, false, false)`,
      [
        userId,
        i.email,
        now,
        JSON.stringify({ provider: i.provider, providers: [i.provider] }),
        JSON.stringify(data),
      ],
    );
    await audit(tx, req, { id: userId, email: i.email }, "user_signedup", { provider: i.provider });
  }
  await tx.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $6, $6)`,
    [randomUUID(), i.providerId, userId, JSON.stringify(data), i.provider, now],
  );
  return userId;
}

/**
 * GET|POST /callback?code&state (GoTrue's `ExternalProviderCallback`): exchanges the provider
 * code, signs the identity in, and redirects (302) to the flow's redirect_to with `?code=` under
 * PKCE or the session fragment otherwise. Errors go back as `?error…` and `#error…`.
 */
export async function handleCallback(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const params =
    req.method === "POST" ? await parseForm(req) : new URLSearchParams(url.searchParams);
  const state = params.get("state") ?? "";
  if (!state) throw badRequest("bad_oauth_callback", "OAuth state parameter missing");
  if (!isUuid(state)) throw badRequest("bad_oauth_state", "OAuth state parameter is invalid");
  const flow = await findFlowStateById(deps.db, state);
  if (!flow) throw badRequest("bad_oauth_state", "OAuth state not found or expired");
  const target = flow.referrer ?? deps.config.siteUrl;
  try {
    if (isFlowStateExpired(flow, deps.now(), deps.timings.flowStateExpiry)) {
      throw badRequest("bad_oauth_state", "OAuth state has expired");
    }
    if (flow.user_id) throw badRequest("flow_state_already_used", "State has already been used");
    const providerError = params.get("error");
    if (providerError) {
      throw new OAuthError(providerError, params.get("error_description") ?? providerError);
    }
    const identity = exchangeIdpCode(
      params.get("code") ?? "",
      `${deps.config.apiUrl}/auth/v1/callback`,
    );
    if (!identity || identity.provider !== flow.provider_type) {
      throw new OAuthError("server_error", "Unable to exchange external code");
    }
    const out = await withTransaction(deps.db, async (tx) => {
      const userId = await userForIdentity(deps, tx, req, identity);
      const user = await findUserById(tx, userId);
      if (!user) throw new Error("user vanished");
      if (isBanned(user, deps.now())) throw new AuthError(403, "user_banned", "User is banned");
      await audit(tx, req, user, "login", { provider: identity.provider });
      if (flow.code_challenge && flow.auth_code) {
        const upd = await tx.query(
          `update auth.flow_state set user_id = $2, provider_access_token = $3,
              auth_code_issued_at = $4, updated_at = $4
            where id = $1 and user_id is null`,
          [flow.id, userId, identity.accessToken, deps.now()],
        );
        if (upd.rowCount === 0) {
          throw badRequest("flow_state_already_used", "State has already been used");
        }
        return { code: flow.auth_code };
      }
      const session = await issueSession(deps, tx, req, userId, "oauth");
      await tx.query(`delete from auth.flow_state where id = $1`, [flow.id]);
      return { session };
    });
    if (out.code) {
      const u = new URL(target);
      u.searchParams.set("code", out.code);
      redirect(res, 302, u.toString());
      return;
    }
    if (!out.session) throw new Error("no session issued");
    redirect(
      res,
      302,
      sessionRedirectUrl(target, out.session, { provider_token: identity.accessToken }),
    );
  } catch (err) {
    if (err instanceof AuthError && err.status >= 500) throw err;
    if (!(err instanceof AuthError) && !(err instanceof OAuthError)) throw err;
    redirect(res, 302, errorRedirect(target, err));
  }
}
