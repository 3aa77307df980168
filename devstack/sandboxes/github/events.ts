import { randomUUID } from "node:crypto";
import { type SandboxContext, webhookTarget } from "../context";
import { githubSignature } from "../signing";
import type { Delivery, GithubInstallation, GithubRepo } from "../state";
import { accountJson, apiBase, fullName, repoJson, senderJson, webBase } from "./common";
import type { CommitInfo } from "./git";

export const PERMISSIONS = {
  contents: "write",
  pull_requests: "write",
  deployments: "write",
  metadata: "read",
  checks: "read",
};
export const EVENTS = [
  "push",
  "pull_request",
  "deployment",
  "deployment_status",
  "installation_repositories",
];

export function installationJson(ctx: SandboxContext, inst: GithubInstallation) {
  return {
    id: inst.id,
    account: accountJson(ctx, inst.account),
    repository_selection: inst.selection,
    access_tokens_url: `${apiBase(ctx)}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${apiBase(ctx)}/installation/repositories`,
    html_url: `${webBase(ctx)}/settings/installations/${inst.id}`,
    app_id: Number(ctx.credentials.GITHUB_APP_ID),
    app_slug: ctx.credentials.GITHUB_APP_SLUG,
    target_id: inst.accountId,
    target_type: "Organization",
    permissions: PERMISSIONS,
    events: EVENTS,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    suspended_at: inst.suspended ? inst.createdAt : null,
  };
}

/** The short repository shape of installation payloads. */
export const shortRepo = (r: GithubRepo) => ({
  id: r.id,
  node_id: Buffer.from(`010:Repository${r.id}`).toString("base64"),
  name: r.name,
  full_name: fullName(r),
  private: r.private,
});

/** Installations that can see a repository (events about it go to each). */
export function installationsFor(ctx: SandboxContext, repo: GithubRepo): GithubInstallation[] {
  return ctx.state.github.installations.filter(
    (i) =>
      !i.suspended &&
      (i.selection === "all" ? i.account === repo.owner : i.repositoryIds.includes(repo.id)),
  );
}

/**
 * Delivers one App webhook: `X-GitHub-Event`, a fresh `X-GitHub-Delivery` (kept on redelivery),
 * `X-Hub-Signature-256` with GITHUB_WEBHOOK_SECRET (and the legacy SHA-1 header, as GitHub sends).
 */
export function deliverGithub(
  ctx: SandboxContext,
  event: string,
  payload: Record<string, unknown>,
  target?: string,
): Delivery {
  const body = JSON.stringify({ ...payload, sender: senderJson(ctx) });
  const id = randomUUID();
  const secret = ctx.credentials.GITHUB_WEBHOOK_SECRET;
  return ctx.deliverer.enqueue({
    provider: "github",
    event: typeof payload.action === "string" ? `${event}.${payload.action}` : event,
    url: webhookTarget(ctx, "github", target),
    body,
    id,
    headers: {
      "x-github-event": event,
      "x-github-delivery": id,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": ctx.credentials.GITHUB_APP_ID,
      "x-hub-signature-256": githubSignature(secret, body),
    },
  });
}

/** Sends an event about a repository to every installation that can see it. */
export function deliverRepoEvent(
  ctx: SandboxContext,
  repo: GithubRepo,
  event: string,
  payload: Record<string, unknown>,
  target?: string,
): Delivery[] {
  return installationsFor(ctx, repo).map((inst) =>
    deliverGithub(
      ctx,
      event,
      {
        ...payload,
        repository: repoJson(ctx, repo),
        installation: {
          id: inst.id,
          node_id: Buffer.from(`MDIz:Installation${inst.id}`).toString("base64"),
        },
      },
      target,
    ),
  );
}

export function commitPayload(
  ctx: SandboxContext,
  repo: GithubRepo,
  c: CommitInfo,
  files: Array<{ filename: string; status: string }>,
) {
  const of = (s: string) => files.filter((f) => f.status === s).map((f) => f.filename);
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: `${webBase(ctx)}/${fullName(repo)}/commit/${c.sha}`,
    author: { name: c.author.name, email: c.author.email, username: null },
    committer: { name: c.committer.name, email: c.committer.email, username: null },
    added: of("added"),
    removed: of("removed"),
    modified: [...of("modified"), ...of("changed")],
  };
}
