import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthDeps } from "./deps";
import { badRequest } from "./errors";
import { parseForm, redirect } from "./http";

/**
 * The stand-in identity provider for GitHub and Google. It plays the provider's side of the
 * OAuth redirect: an authorize page where a person picks a name and email ("Continue"), a
 * redirect back to GoTrue's /callback with `?code&state`, and a code exchange the callback calls
 * in-process. Served under /auth/v1/idp/<provider>/authorize so it works in a browser with no
 * internet. Devstack only: nothing here is a real provider's API.
 */

export const IDP_PROVIDERS = ["github", "google"] as const;
export type IdpProvider = (typeof IDP_PROVIDERS)[number];

export function isIdpProvider(p: string): p is IdpProvider {
  return (IDP_PROVIDERS as readonly string[]).includes(p);
}

/** What the provider tells GoTrue about the person (after the code exchange). */
export interface IdpIdentity {
  provider: IdpProvider;
  /** The provider's stable user id (GitHub: numeric; Google: 21 digits). */
  providerId: string;
  email: string;
  name: string;
  userName: string;
  accessToken: string;
}

interface PendingCode {
  identity: IdpIdentity;
  redirectUri: string;
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const pending = new Map<string, PendingCode>();

/** A stable provider user id for an email, so signing in twice finds the same identity. */
export function providerIdFor(provider: IdpProvider, email: string): string {
  const digest = createHash("sha256").update(`${provider}:${email.toLowerCase()}`).digest();
  if (provider === "github") return String((digest.readUInt32BE(0) % 90_000_000) + 1_000_000);
  return (BigInt(`0x${digest.subarray(0, 9).toString("hex")}`) % 10n ** 21n)
    .toString()
    .padStart(21, "1");
}

/** Exchanges a code issued by the stand-in page; single use. */
export function exchangeIdpCode(code: string, redirectUri: string): IdpIdentity | undefined {
  const p = pending.get(code);
  pending.delete(code);
  if (!p || p.expiresAt < Date.now() || p.redirectUri !== redirectUri) return undefined;
  return p.identity;
}

const esc = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

const TITLES: Record<IdpProvider, string> = { github: "GitHub", google: "Google" };

function page(provider: IdpProvider, q: URLSearchParams, error?: string): string {
  const title = TITLES[provider];
  const hidden = ["redirect_uri", "state", "scope"]
    .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? "")}">`)
    .join("\n      ");
  const email = q.get("login_hint") ?? "";
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in with ${title} (devstack)</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f4f4f5; margin: 0; }
    main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem;
           border-radius: .75rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
    h1 { font-size: 1.25rem; margin-top: 0; }
    label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
    input[type=text], input[type=email] { width: 100%; box-sizing: border-box; padding: .5rem;
           border: 1px solid #a1a1aa; border-radius: .375rem; font-size: 1rem; }
    input:focus, button:focus { outline: 3px solid #2563eb; outline-offset: 2px; }
    .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
    button { padding: .55rem 1rem; border-radius: .375rem; font-size: 1rem; cursor: pointer; }
    .primary { background: #18181b; color: #fff; border: 0; }
    .secondary { background: #fff; color: #18181b; border: 1px solid #a1a1aa; }
    p.note { color: #52525b; font-size: .875rem; }
    p.error { color: #b91c1c; }
  </style>
</head>
<body>
  <main>
    <h1>Sign in with ${title}</h1>
    <p class="note">Local stand-in for ${title} (devstack). Choose who you are; no password is needed.</p>
    ${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
    <form method="post" data-testid="idp-form">
      ${hidden}
      <label for="name">Name</label>
      <input id="name" name="name" type="text" required maxlength="100" autocomplete="name" value="${esc(q.get("name") ?? "")}" data-testid="idp-name">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" required maxlength="254" autocomplete="email" value="${esc(email)}" data-testid="idp-email">
      <div class="actions">
        <button class="primary" type="submit" name="decision" value="allow" data-testid="idp-continue">Continue</button>
        <button class="secondary" type="submit" name="decision" value="deny" formnovalidate data-testid="idp-cancel">Cancel</button>
      </div>
    </form>
  </main>
</body>
</html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(html));
  res.setHeader("Cache-Control", "no-store");
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  );
  res.end(html);
}

/** The callback the page may send people back to: only this devstack's /auth/v1/callback. */
function checkRedirectUri(deps: AuthDeps, uri: string | null): string {
  const expected = `${deps.config.apiUrl}/auth/v1/callback`;
  if (uri !== expected)
    throw badRequest("validation_failed", "redirect_uri is not this devstack's /callback");
  return uri;
}

/** GET /idp/:provider/authorize: the consent page. */
export function handleIdpPage(
  deps: AuthDeps,
  res: ServerResponse,
  url: URL,
  provider: string,
): void {
  if (!isIdpProvider(provider))
    throw badRequest("validation_failed", `Unknown provider ${provider}`);
  checkRedirectUri(deps, url.searchParams.get("redirect_uri"));
  sendHtml(res, 200, page(provider, url.searchParams));
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** POST /idp/:provider/authorize: "Continue" issues a code; "Cancel" returns access_denied. */
export async function handleIdpSubmit(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  provider: string,
): Promise<void> {
  if (!isIdpProvider(provider))
    throw badRequest("validation_failed", `Unknown provider ${provider}`);
  const form = await parseForm(req);
  const redirectUri = checkRedirectUri(deps, form.get("redirect_uri"));
  const state = form.get("state") ?? "";
  const back = new URL(redirectUri);
  back.searchParams.set("state", state);
  if (form.get("decision") === "deny") {
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("error_description", "The user denied the request");
    redirect(res, 302, back.toString());
    return;
  }
  const email = (form.get("email") ?? "").trim().toLowerCase();
  const name = (form.get("name") ?? "").trim().slice(0, 100);
  if (!EMAIL_RE.test(email) || email.length > 254 || name === "") {
    const q = new URLSearchParams(form);
    q.set("login_hint", email);
    sendHtml(res, 422, page(provider, q, "Enter a name and a valid email address."));
    return;
  }
  const code = randomBytes(20).toString("hex");
  const nowMs = Date.now();
  for (const [k, v] of pending) if (v.expiresAt < nowMs) pending.delete(k);
  pending.set(code, {
    identity: {
      provider,
      providerId: providerIdFor(provider, email),
      email,
      name,
      userName: email.split("@")[0] ?? name,
      accessToken: `devstack_${provider}_${randomBytes(16).toString("hex")}`,
    },
    redirectUri,
    expiresAt: Date.now() + CODE_TTL_MS,
  });
  back.searchParams.set("code", code);
  redirect(res, 302, back.toString());
}
