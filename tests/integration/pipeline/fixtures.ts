import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createKeyring, parseKeys } from "@/lib/crypto/keyring";
import { useDevstackAppEnv } from "@/supabase/tests/helpers/app-env";
import { asOk, asSuperuser, createUser } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control, formFields, postForm, sandbox } from "@/tests/integration/sandboxes/helpers";

/**
 * A workspace connected to the devstack's provider sandboxes as the Settings flows leave it:
 * Zendesk (a real OAuth token of the sandbox, a webhook created through its API pointing at this
 * test's intake endpoint, the signing secret read back; both stored encrypted) and the GitHub App
 * installed on `acme` with the demo repository `acme/storefront` selected.
 */

export const KEYS = `pl:${randomBytes(32).toString("base64")}`;

/** Points the app modules at the devstack and its sandboxes, with a keyring of our own. */
export function usePipelineEnv(): void {
  useDevstackAppEnv();
  const env = devstackEnv();
  for (const name of [
    "ZENDESK_BASE_URL",
    "ZENDESK_CLIENT_ID",
    "ZENDESK_CLIENT_SECRET",
    "INTERCOM_API_BASE",
    "INTERCOM_CLIENT_SECRET",
    "GITHUB_API_BASE",
    "GITHUB_APP_ID",
    "GITHUB_APP_PRIVATE_KEY",
    "GITHUB_WEBHOOK_SECRET",
  ]) {
    const value = env[name];
    if (!value)
      throw new Error(`${name} missing from the devstack env file (sandboxes not running?)`);
    process.env[name] = value;
  }
  process.env.ENCRYPTION_KEYS = KEYS;
  process.env.INNGEST_DEV = env.INNGEST_BASE_URL;
  process.env.INNGEST_BASE_URL = env.INNGEST_BASE_URL;
}

/** An HTTP endpoint standing in for the app's webhook route, calling the real intake. */
export async function startIntake(
  handle: (provider: "zendesk" | "github", request: Request) => Promise<Response>,
): Promise<{ url: (provider: string) => string; close(): Promise<void>; answers: number[] }> {
  const answers: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const provider = req.url?.includes("github") ? "github" : "zendesk";
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handle(
      provider,
      new Request(`http://localhost${req.url}`, {
        method: "POST",
        headers,
        body: Buffer.concat(chunks),
      }),
    );
    answers.push(response.status);
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (provider) => `http://127.0.0.1:${port}/api/webhooks/${provider}`,
    answers,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface ConnectedWorkspace {
  organizationId: string;
  subdomain: string;
  zendeskIntegrationId: string;
  githubIntegrationId: string;
  repositoryId: string;
}

export async function zendeskToken(subdomain: string): Promise<string> {
  const env = devstackEnv();
  const base = sandbox(`/zendesk/${subdomain}`);
  const redirectUri = `${env.NEXT_PUBLIC_SITE_URL}/api/integrations/zendesk/callback`;
  const q = new URLSearchParams({
    response_type: "code",
    client_id: env.ZENDESK_CLIENT_ID ?? "",
    redirect_uri: redirectUri,
    scope: "read write",
    state: "pipeline-test",
  });
  const page = await fetch(`${base}/oauth/authorizations/new?${q}`);
  const consent = await postForm(`${base}/oauth/authorizations/new`, {
    ...formFields(await page.text()),
    decision: "allow",
  });
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code");
  const res = await fetch(`${base}/oauth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: env.ZENDESK_CLIENT_ID,
      client_secret: env.ZENDESK_CLIENT_SECRET,
      // no expiry inside the test: the refresh path is the integrations suite's
      expires_in: 172800,
    }),
  });
  const token = ((await res.json()) as { access_token?: string }).access_token;
  if (!token) throw new Error(`no Zendesk token (HTTP ${res.status})`);
  return token;
}

async function zendeskWebhook(subdomain: string, token: string, endpoint: string) {
  const api = (path: string, init: RequestInit = {}) =>
    fetch(sandbox(`/zendesk/${subdomain}${path}`), {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
  const created = await api("/api/v2/webhooks", {
    method: "POST",
    body: JSON.stringify({
      webhook: {
        name: "Patchline",
        endpoint,
        http_method: "POST",
        request_format: "json",
        status: "active",
        subscriptions: ["zen:event-type:ticket.created", "zen:event-type:ticket.comment_added"],
      },
    }),
  });
  const { webhook } = (await created.json()) as { webhook: { id: string } };
  const secret = (await (await api(`/api/v2/webhooks/${webhook.id}/signing_secret`)).json()) as {
    signing_secret: { secret: string };
  };
  return { webhookId: webhook.id, secret: secret.signing_secret.secret };
}

/** Installs the sandbox GitHub App on an account (all repositories); returns the installation id. */
export async function installGithub(account = "acme"): Promise<string> {
  const slug = devstackEnv().GITHUB_APP_SLUG;
  const page = await fetch(
    sandbox(`/github/web/apps/${slug}/installations/new?account=${account}`),
  );
  const res = await postForm(sandbox(`/github/web/apps/${slug}/installations/new`), {
    ...formFields(await page.text()),
    account,
    selection: "all",
    decision: "install",
  });
  const id = new URL(res.headers.get("location") ?? "").searchParams.get("installation_id");
  if (!id) throw new Error("GitHub sandbox installation failed");
  return id;
}

/** A workspace owned by a fresh user, made through the RPC like the app does. */
export async function newWorkspace(label: string): Promise<string> {
  const owner = await createUser(`pl-${label}`);
  const [org] = await asOk<{ id: string }>(
    owner,
    "select id from public.create_organization($1, $2)",
    [`Pipeline ${label}`, `pl-${label}-${owner.id.slice(0, 8)}`],
  );
  if (!org) throw new Error("workspace not created");
  return org.id;
}

/** A workspace with Zendesk and GitHub connected and acme/storefront selected (not yet indexed). */
export async function connectedWorkspace(
  label: string,
  zendeskEndpoint: string,
): Promise<ConnectedWorkspace> {
  const org = { id: await newWorkspace(label) };
  const keyring = createKeyring(parseKeys(KEYS));
  const subdomain = `pl${label}${randomUUID().slice(0, 6)}`.toLowerCase();
  const token = await zendeskToken(subdomain);
  const hook = await zendeskWebhook(subdomain, token, zendeskEndpoint);
  const zendeskId = randomUUID();
  const at = { organizationId: org.id, table: "integrations", rowId: zendeskId };
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, external_account_id,
       access_token_enc, webhook_secret_enc, provider_webhook_id, connected_at)
     values ($1, $2, 'zendesk', $3, $4, $5, $6, now())`,
    [
      zendeskId,
      org.id,
      subdomain,
      keyring.encrypt(token, { ...at, column: "access_token_enc" }),
      keyring.encrypt(hook.secret, { ...at, column: "webhook_secret_enc" }),
      hook.webhookId,
    ],
  );
  const installationId = await installGithub();
  // an installation belongs to one workspace at a time: earlier test workspaces let go of it
  await asSuperuser(
    `update public.integrations set status = 'disconnected', access_token_enc = null,
       refresh_token_enc = null, webhook_secret_enc = null, disconnected_at = now()
     where provider = 'github' and external_account_id = $1 and status <> 'disconnected'`,
    [installationId],
  );
  const [github] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [org.id, installationId],
  );
  const repos = await control<{ repositories: Array<{ id: number; full_name: string }> }>(
    "GET",
    "/github/repositories",
  );
  const demo = repos.json.repositories.find((r) => r.full_name === "acme/storefront");
  if (!github || !demo) throw new Error("GitHub fixtures not created");
  const [repository] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, private, selected)
     values ($1, $2, $3, 'acme/storefront', 'main', true, true) returning id`,
    [org.id, github.id, demo.id],
  );
  if (!repository) throw new Error("repository not created");
  return {
    organizationId: org.id,
    subdomain,
    zendeskIntegrationId: zendeskId,
    githubIntegrationId: github.id,
    repositoryId: repository.id,
  };
}

/**
 * The sandbox has one Intercom app and one GitHub account, and each belongs to one workspace at a
 * time: a test that connected them lets go when it ends, so later suites (the e2e connect flows)
 * find them free.
 */
export async function releaseSharedSandboxAccounts(): Promise<void> {
  await asSuperuser(
    `update public.integrations set status = 'disconnected', access_token_enc = null,
       refresh_token_enc = null, webhook_secret_enc = null, previous_webhook_secret_enc = null,
       previous_webhook_secret_expires_at = null, disconnected_at = now()
     where provider in ('intercom', 'github') and status <> 'disconnected'`,
  );
}
