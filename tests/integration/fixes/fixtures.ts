import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createKeyring, parseKeys } from "@/lib/crypto/keyring";
import { asOk, asSuperuser, createUser, type TestUser } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { installGithub, KEYS, zendeskToken } from "@/tests/integration/pipeline/fixtures";
import { control, formFields, postForm, sandbox } from "@/tests/integration/sandboxes/helpers";

/**
 * A workspace for the fix loop: its own repository on disk served by the GitHub sandbox (commit
 * `base`, then `fix`, the merge commit of the bug's PR), the GitHub App installed on its owner,
 * Zendesk and Intercom connected with real sandbox tokens, and sandbox tickets to post to.
 */

export interface FixLoopWorld {
  organizationId: string;
  owner: TestUser;
  fullName: string;
  workDir: string;
  githubIntegrationId: string;
  repositoryId: string;
  zendesk: { integrationId: string; subdomain: string; token: string };
  /** Connected by `switchToIntercom` (a workspace has one support tool at a time). */
  intercom: { integrationId: string; token: string } | null;
  commits: { base: string; fix: string };
}

export async function intercomToken(): Promise<string> {
  const env = devstackEnv();
  const q = new URLSearchParams({
    client_id: env.INTERCOM_CLIENT_ID ?? "",
    redirect_uri: `${env.NEXT_PUBLIC_SITE_URL}/api/integrations/intercom/callback`,
    state: "pl-rca",
  });
  const page = await (await fetch(sandbox(`/intercom/app/oauth?${q}`))).text();
  const allowed = await postForm(sandbox("/intercom/app/oauth"), {
    ...formFields(page),
    decision: "allow",
  });
  const code = new URL(allowed.headers.get("location") ?? "").searchParams.get("code");
  const res = await fetch(`${env.INTERCOM_API_BASE}/auth/eagle/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      code,
      client_id: env.INTERCOM_CLIENT_ID,
      client_secret: env.INTERCOM_CLIENT_SECRET,
    }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!token) throw new Error(`no Intercom token (HTTP ${res.status})`);
  return token;
}

function gitIn(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  })
    .toString()
    .trim();
}

async function insertIntegration(
  organizationId: string,
  provider: "zendesk" | "intercom",
  account: string,
  token: string,
): Promise<string> {
  const id = randomUUID();
  const keyring = createKeyring(parseKeys(KEYS));
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, external_account_id,
       access_token_enc, connected_at)
     values ($1, $2, $3, $4, $5, now())`,
    [
      id,
      organizationId,
      provider,
      account,
      keyring.encrypt(token, {
        organizationId,
        table: "integrations",
        rowId: id,
        column: "access_token_enc",
      }),
    ],
  );
  return id;
}

export async function fixLoopWorld(label: string): Promise<FixLoopWorld> {
  const ownerLogin = `rca${label}${randomUUID().slice(0, 6)}`.toLowerCase();
  const fullName = `${ownerLogin}/app`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), "pl-rca-"));
  gitIn(workDir, "init", "-q", "-b", "main");
  writeFileSync(path.join(workDir, "refund.ts"), "export const refund = (n: number) => n;\n");
  gitIn(workDir, "add", ".");
  gitIn(workDir, "commit", "-q", "-m", "base");
  const base = gitIn(workDir, "rev-parse", "HEAD");
  writeFileSync(path.join(workDir, "refund.ts"), "export const refund = (n: number) => n * 1;\n");
  gitIn(workDir, "commit", "-q", "-am", "fix: refunds keep the exact amount (#7)");
  const fix = gitIn(workDir, "rev-parse", "HEAD");
  const added = await control<{ repository: { id: number } }>("POST", "/github/repositories", {
    path: workDir,
    full_name: fullName,
  });
  if (added.status >= 300) throw new Error(`sandbox add-repo: HTTP ${added.status}`);
  const installationId = await installGithub(ownerLogin);

  const owner = await createUser(`rca-${label}`);
  const [org] = await asOk<{ id: string }>(
    owner,
    "select id from public.create_organization($1, $2)",
    [`RCA ${label}`, `rca-${label}-${owner.id.slice(0, 8)}`],
  );
  if (!org) throw new Error("workspace not created");
  const organizationId = org.id;
  const [github] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true) returning id`,
    [organizationId, github?.id, added.json.repository.id, fullName],
  );
  if (!github || !repo) throw new Error("GitHub rows not created");

  const subdomain = `rca${label}${randomUUID().slice(0, 6)}`.toLowerCase();
  const zToken = await zendeskToken(subdomain);
  const zendeskId = await insertIntegration(organizationId, "zendesk", subdomain, zToken);
  return {
    organizationId,
    owner,
    fullName,
    workDir,
    githubIntegrationId: github.id,
    repositoryId: repo.id,
    zendesk: { integrationId: zendeskId, subdomain, token: zToken },
    intercom: null,
    commits: { base, fix },
  };
}

/**
 * The workspace moves its support to Intercom: Zendesk is disconnected (a workspace has one
 * support tool at a time) and the sandbox's Intercom app is connected with a real token.
 */
export async function switchToIntercom(w: FixLoopWorld): Promise<void> {
  await asSuperuser(
    `update public.integrations set status = 'disconnected', access_token_enc = null,
       disconnected_at = now() where id = $1`,
    [w.zendesk.integrationId],
  );
  // the sandbox's one Intercom app belongs to one workspace at a time
  const appId = devstackEnv().INTERCOM_APP_ID ?? "";
  await asSuperuser(
    `update public.integrations set status = 'disconnected', access_token_enc = null,
       refresh_token_enc = null, webhook_secret_enc = null, disconnected_at = now()
     where provider = 'intercom' and external_account_id = $1 and status <> 'disconnected'`,
    [appId],
  );
  const token = await intercomToken();
  w.intercom = {
    integrationId: await insertIntegration(w.organizationId, "intercom", appId, token),
    token,
  };
}

/** A sandbox ticket (Zendesk) or conversation (Intercom) and its row, linked to the bug. */
export async function linkedTicket(
  w: FixLoopWorld,
  bugId: string,
  provider: "zendesk" | "intercom",
  language: string,
): Promise<{ ticketId: string; externalId: string }> {
  let externalId: string;
  if (provider === "zendesk") {
    const made = await control<{ ticket: { id: number } }>("POST", "/zendesk/tickets", {
      subdomain: w.zendesk.subdomain,
      subject: "Refund amount wrong",
      body: "My refund was short",
    });
    externalId = String(made.json.ticket.id);
  } else {
    const made = await control<{ conversation: { id: string } }>(
      "POST",
      "/intercom/conversations",
      { body: "My refund was short" },
    );
    externalId = made.json.conversation.id;
  }
  const [ticket] = await asSuperuser<{ id: string }>(
    `insert into public.tickets
       (organization_id, integration_id, provider, external_id, subject, provider_created_at,
        status, classification, language)
     values ($1, $2, $3, $4, 'Refund amount wrong', now() - interval '2 days', 'bug', 'bug', $5)
     returning id`,
    [
      w.organizationId,
      provider === "zendesk" ? w.zendesk.integrationId : w.intercom?.integrationId,
      provider,
      externalId,
      language,
    ],
  );
  if (!ticket) throw new Error("ticket not created");
  await asSuperuser(
    "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
    [w.organizationId, bugId, ticket.id],
  );
  return { ticketId: ticket.id, externalId };
}

/** A bug with a merged pull request whose merge commit is `mergeSha`. */
export async function bugWithMergedPr(
  w: FixLoopWorld,
  severity: "critical" | "high" | "medium" | "low",
  number: number,
  mergeSha: string,
): Promise<string> {
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status,
       feature, impact, expected, actual)
     values ($1, 'Refunds were a cent short', $2, 0.9, 'review', 'Refunds',
       'Customers received refunds one cent lower than the amount paid.',
       'The refund equals the amount paid', 'the refund was one cent lower')
     returning id`,
    [w.organizationId, severity],
  );
  if (!bug) throw new Error("bug not created");
  await asSuperuser(
    `insert into public.pull_requests
       (organization_id, bug_id, repository_id, number, url, origin, state, merge_sha, merged_at)
     values ($1, $2, $3, $4, $5, 'drafted', 'merged', $6, now() - interval '1 hour')`,
    [
      w.organizationId,
      bug.id,
      w.repositoryId,
      number,
      `https://github.com/${w.fullName}/pull/${number}`,
      mergeSha,
    ],
  );
  return bug.id;
}

/** Public comments on a sandbox Zendesk ticket, and the admin replies on an Intercom one. */
export async function zendeskComments(w: FixLoopWorld, externalId: string): Promise<string[]> {
  const res = await fetch(
    sandbox(`/zendesk/${w.zendesk.subdomain}/api/v2/tickets/${externalId}/comments.json`),
    { headers: { authorization: `Bearer ${w.zendesk.token}` } },
  );
  const body = (await res.json()) as { comments: Array<{ body: string; public: boolean }> };
  return body.comments.filter((c) => c.public).map((c) => c.body);
}

export async function intercomAdminReplies(w: FixLoopWorld, externalId: string): Promise<string[]> {
  const res = await fetch(`${devstackEnv().INTERCOM_API_BASE}/conversations/${externalId}`, {
    headers: { authorization: `Bearer ${w.intercom?.token}` },
  });
  const body = (await res.json()) as {
    conversation_parts: {
      conversation_parts: Array<{ body: string; part_type: string; author: { type: string } }>;
    };
  };
  return body.conversation_parts.conversation_parts
    .filter((p) => p.author.type === "admin" && p.part_type === "comment")
    .map((p) => p.body);
}
