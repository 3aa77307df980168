import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, type SandboxRequest, type SandboxResponse } from "../http";
import type { GithubPull, GithubRepo } from "../state";
import { requireRepo } from "./auth";
import {
  accountJson,
  apiBase,
  fullName,
  ghError,
  notFound,
  paginate,
  repoJson,
  SENDER,
  validationFailed,
  webBase,
} from "./common";
import { deliverRepoEvent } from "./events";
import * as g from "./git";
import { requestedReviewersJson } from "./pr-activity-state";
import { deliverPush } from "./push";

const createPullSchema = z.object({
  title: z.string().min(1).max(256),
  head: z.string().min(1).max(255),
  base: z.string().min(1).max(255),
  body: z.string().max(65_536).nullable().optional(),
  draft: z.boolean().default(false),
  maintainer_can_modify: z.boolean().optional(),
});
const updatePullSchema = z.object({
  title: z.string().min(1).max(256).optional(),
  body: z.string().max(65_536).nullable().optional(),
  state: z.enum(["open", "closed"]).optional(),
  base: z.string().min(1).max(255).optional(),
});
async function branchSha(repo: GithubRepo, name: string): Promise<string | undefined> {
  return g.resolveCommit(repo.gitDir, `refs/heads/${name.replace(/^[^:]+:/, "")}`);
}

export async function pullJson(ctx: SandboxContext, repo: GithubRepo, p: GithubPull) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const head = (await branchSha(repo, p.head)) ?? p.mergeCommitSha ?? "";
  const base = (await branchSha(repo, p.base)) ?? "";
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: accountJson(ctx, repo.owner),
    repo: repoJson(ctx, repo),
  });
  return {
    id: p.id,
    node_id: Buffer.from(`04:PullRequest${p.id}`).toString("base64"),
    number: p.number,
    url: `${api}/pulls/${p.number}`,
    html_url: `${webBase(ctx)}/${fullName(repo)}/pull/${p.number}`,
    diff_url: `${webBase(ctx)}/${fullName(repo)}/pull/${p.number}.diff`,
    state: p.state,
    locked: false,
    title: p.title,
    body: p.body,
    user: accountJson(ctx, p.user, "Bot"),
    draft: p.draft,
    merged: p.merged,
    mergeable: p.state === "open" ? true : null,
    merge_commit_sha: p.mergeCommitSha,
    merged_at: p.mergedAt,
    merged_by: p.merged ? accountJson(ctx, SENDER, "User") : null,
    closed_at: p.closedAt,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    head: side(p.head, head),
    base: side(p.base, base),
    ...requestedReviewersJson(ctx, p),
  };
}

export function findPull(ctx: SandboxContext, repo: GithubRepo, n: string): GithubPull {
  const p = ctx.state.github.pulls.find((x) => x.repoId === repo.id && String(x.number) === n);
  if (!p) throw notFound();
  return p;
}

export async function deliverPullEvent(
  ctx: SandboxContext,
  repo: GithubRepo,
  p: GithubPull,
  action: string,
  extra: Record<string, unknown> = {},
) {
  return deliverRepoEvent(ctx, repo, "pull_request", {
    action,
    number: p.number,
    pull_request: await pullJson(ctx, repo, p),
    ...extra,
  });
}

export async function createPull(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(createPullSchema, bodyObject(req), validationFailed);
  const head = await branchSha(repo, b.head);
  const base = await branchSha(repo, b.base);
  if (!head || !base)
    throw ghError(422, "Validation Failed", [
      { resource: "PullRequest", field: head ? "base" : "head", code: "invalid" },
    ]);
  if (head === base || (await g.isAncestor(repo.gitDir, head, base))) {
    throw ghError(422, "Validation Failed", [
      {
        resource: "PullRequest",
        code: "custom",
        message: `No commits between ${b.base} and ${b.head}`,
      },
    ]);
  }
  const headName = b.head.replace(/^[^:]+:/, "");
  if (
    ctx.state.github.pulls.some(
      (p) => p.repoId === repo.id && p.state === "open" && p.head === headName && p.base === b.base,
    )
  ) {
    throw ghError(422, "Validation Failed", [
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${repo.owner}:${headName}.`,
      },
    ]);
  }
  const now = new Date().toISOString();
  const number = ctx.state.github.pulls.filter((p) => p.repoId === repo.id).length + 1;
  const pull: GithubPull = {
    id: ctx.store.nextId(),
    number,
    repoId: repo.id,
    title: b.title,
    body: b.body ?? null,
    head: headName,
    base: b.base,
    state: "open",
    draft: b.draft,
    merged: false,
    mergeCommitSha: null,
    user: `${ctx.credentials.GITHUB_APP_SLUG}[bot]`,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
  };
  ctx.state.github.pulls.push(pull);
  ctx.store.changed();
  await deliverPullEvent(ctx, repo, pull, "opened");
  return json(201, await pullJson(ctx, repo, pull), {
    location: `${apiBase(ctx)}/repos/${fullName(repo)}/pulls/${number}`,
  });
}

export async function listPulls(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const state = req.url.searchParams.get("state") ?? "open";
  const head = req.url.searchParams.get("head")?.replace(/^[^:]+:/, "");
  const base = req.url.searchParams.get("base");
  const all = ctx.state.github.pulls
    .filter(
      (p) =>
        p.repoId === repo.id &&
        (state === "all" || p.state === state) &&
        (!head || p.head === head) &&
        (!base || p.base === base),
    )
    .sort((a, b) => b.number - a.number);
  const page = paginate(req, all);
  return json(200, await Promise.all(page.items.map((p) => pullJson(ctx, repo, p))), page.headers);
}

export async function getPull(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  n: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  return json(200, await pullJson(ctx, repo, findPull(ctx, repo, n)));
}

export async function updatePull(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  n: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const p = findPull(ctx, repo, n);
  const b = parseWith(updatePullSchema, bodyObject(req), validationFailed);
  if (b.base && !(await branchSha(repo, b.base)))
    throw validationFailed(`base ${b.base} does not exist`);
  const changes: Record<string, { from: unknown }> = {};
  if (b.title !== undefined && b.title !== p.title) changes.title = { from: p.title };
  if (b.body !== undefined && b.body !== p.body) changes.body = { from: p.body };
  p.title = b.title ?? p.title;
  p.body = b.body !== undefined ? b.body : p.body;
  p.base = b.base ?? p.base;
  const wasOpen = p.state === "open";
  if (b.state && !p.merged) {
    p.state = b.state;
    p.closedAt = b.state === "closed" ? new Date().toISOString() : null;
  }
  p.updatedAt = new Date().toISOString();
  ctx.store.changed();
  if (wasOpen && p.state === "closed") await deliverPullEvent(ctx, repo, p, "closed");
  else if (!wasOpen && p.state === "open") await deliverPullEvent(ctx, repo, p, "reopened");
  else if (Object.keys(changes).length) await deliverPullEvent(ctx, repo, p, "edited", { changes });
  return json(200, await pullJson(ctx, repo, p));
}

/** Merges a pull request (a merge commit on the base branch): `push` then `pull_request.closed` with merged. */
export async function mergePull(
  ctx: SandboxContext,
  repo: GithubRepo,
  p: GithubPull,
  message?: string,
): Promise<string> {
  if (p.state !== "open") throw ghError(405, "Pull Request is not mergeable");
  const base = await branchSha(repo, p.base);
  const head = await branchSha(repo, p.head);
  if (!base || !head) throw ghError(405, "Pull Request is not mergeable");
  const who = { name: "Sandbox Dev", email: "dev@sandbox.example" };
  const sha = await g.mergeCommit(
    repo.gitDir,
    base,
    head,
    message ?? `Merge pull request #${p.number} from ${repo.owner}/${p.head}\n\n${p.title}`,
    who,
  );
  if (!sha) throw ghError(405, "Merge conflict");
  await g.updateRef(repo.gitDir, `refs/heads/${p.base}`, sha);
  const now = new Date().toISOString();
  Object.assign(p, {
    state: "closed",
    merged: true,
    mergeCommitSha: sha,
    mergedAt: now,
    closedAt: now,
    updatedAt: now,
  });
  ctx.store.changed();
  await deliverPush(ctx, repo, p.base, base, sha);
  await deliverPullEvent(ctx, repo, p, "closed");
  return sha;
}

/** `PUT /repos/{o}/{r}/pulls/{n}/merge`. */
export async function mergePullApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  n: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const body = parseWith(
    z.object({
      commit_title: z.string().max(256).optional(),
      commit_message: z.string().max(65_536).optional(),
    }),
    bodyObject(req),
    validationFailed,
  );
  const sha = await mergePull(ctx, repo, findPull(ctx, repo, n), body.commit_title);
  return json(200, { sha, merged: true, message: "Pull Request successfully merged" });
}
