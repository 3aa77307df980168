import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, type SandboxRequest, type SandboxResponse } from "../http";
import type { GithubPull, GithubRepo } from "../state";
import { findPull, pullJson } from "./api-pulls";
import { requireRepo } from "./auth";
import {
  accountJson,
  apiBase,
  fullName,
  ghError,
  paginate,
  validationFailed,
  webBase,
} from "./common";
import { deliverRepoEvent } from "./events";
import {
  type GithubComment,
  type GithubReview,
  prActivity,
  pullHeadSha,
  pullKey,
  requestedReviewersJson,
} from "./pr-activity-state";

/**
 * Pull request reviews, requested reviewers and conversation (issue) comments: each delivers
 * what GitHub does — `pull_request_review.submitted` (review state lower-case in the webhook,
 * upper-case in the REST answer), `pull_request.review_requested` once per reviewer,
 * `issue_comment.created` with `issue.pull_request` set. A review answers its reviewer's request
 * (GitHub removes them from `requested_reviewers`); every change bumps the PR's `updated_at`.
 */

export const createReviewSchema = z.object({
  event: z.enum(["APPROVE", "REQUEST_CHANGES", "COMMENT"]),
  body: z.string().max(65_536).optional(),
  commit_id: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
});
export const requestReviewersSchema = z.object({
  reviewers: z.array(z.string().min(1).max(100)).max(15).default([]),
  team_reviewers: z.array(z.string().min(1).max(100)).max(15).default([]),
});
export const createCommentSchema = z.object({ body: z.string().min(1).max(65_536) });

const STATE_OF = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
} as const;

export function reviewJson(
  ctx: SandboxContext,
  repo: GithubRepo,
  r: GithubReview,
  webhook = false,
) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const html = `${webBase(ctx)}/${fullName(repo)}/pull/${r.number}#pullrequestreview-${r.id}`;
  return {
    id: r.id,
    node_id: Buffer.from(`017:PullRequestReview${r.id}`).toString("base64"),
    user: accountJson(ctx, r.user, "User"),
    body: r.body,
    // GitHub's REST answers say APPROVED; its webhooks say approved
    state: webhook ? r.state.toLowerCase() : r.state,
    html_url: html,
    pull_request_url: `${api}/pulls/${r.number}`,
    author_association: "MEMBER",
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    _links: { html: { href: html }, pull_request: { href: `${api}/pulls/${r.number}` } },
  };
}

export function commentJson(ctx: SandboxContext, repo: GithubRepo, c: GithubComment) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  return {
    id: c.id,
    node_id: Buffer.from(`012:IssueComment${c.id}`).toString("base64"),
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${webBase(ctx)}/${fullName(repo)}/pull/${c.number}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.number}`,
    body: c.body,
    user: accountJson(ctx, c.user, "User"),
    author_association: "MEMBER",
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

const touch = (ctx: SandboxContext, p: GithubPull) => {
  // GitHub bumps a PR's updated_at on every review, request and comment
  const now = new Date().toISOString();
  p.updatedAt = now > p.updatedAt ? now : new Date(Date.parse(p.updatedAt) + 1).toISOString();
  ctx.store.changed();
};

/** Submits a review by `user`; delivers `pull_request_review.submitted`. */
export async function submitReview(
  ctx: SandboxContext,
  repo: GithubRepo,
  p: GithubPull,
  user: string,
  b: z.infer<typeof createReviewSchema>,
): Promise<GithubReview> {
  if (b.event !== "APPROVE" && !b.body?.trim())
    throw ghError(422, "Unprocessable Entity", [
      {
        resource: "PullRequestReview",
        code: "custom",
        message: `Review body is required for ${b.event}`,
      },
    ]);
  const head = (await pullHeadSha(repo, p)) ?? p.mergeCommitSha ?? "";
  const state = prActivity(ctx);
  touch(ctx, p);
  const review: GithubReview = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    number: p.number,
    user,
    body: b.body ?? "",
    state: STATE_OF[b.event],
    commitId: b.commit_id ?? head,
    submittedAt: p.updatedAt,
  };
  state.reviews.push(review);
  const key = pullKey(p);
  state.requestedReviewers[key] = (state.requestedReviewers[key] ?? []).filter((l) => l !== user);
  ctx.store.changed();
  deliverRepoEvent(ctx, repo, "pull_request_review", {
    action: "submitted",
    review: reviewJson(ctx, repo, review, true),
    pull_request: await pullJson(ctx, repo, p),
  });
  return review;
}

/** Requests reviews; delivers one `pull_request.review_requested` per new reviewer. */
export async function requestReviewers(
  ctx: SandboxContext,
  repo: GithubRepo,
  p: GithubPull,
  b: z.infer<typeof requestReviewersSchema>,
  author: string,
): Promise<void> {
  if (b.reviewers.some((l) => l.toLowerCase() === author.toLowerCase()))
    throw validationFailed("Review cannot be requested from pull request author.");
  const state = prActivity(ctx);
  const key = pullKey(p);
  const current = state.requestedReviewers[key] ?? [];
  for (const login of b.reviewers) {
    if (current.includes(login)) continue;
    current.push(login);
    state.requestedReviewers[key] = current;
    touch(ctx, p);
    deliverRepoEvent(ctx, repo, "pull_request", {
      action: "review_requested",
      number: p.number,
      pull_request: await pullJson(ctx, repo, p),
      requested_reviewer: accountJson(ctx, login, "User"),
    });
  }
  state.requestedTeams ??= {};
  const teams = state.requestedTeams[key] ?? [];
  for (const slug of b.team_reviewers) {
    if (teams.includes(slug)) continue;
    teams.push(slug);
    state.requestedTeams[key] = teams;
    touch(ctx, p);
    deliverRepoEvent(ctx, repo, "pull_request", {
      action: "review_requested",
      number: p.number,
      pull_request: await pullJson(ctx, repo, p),
      requested_team: { name: slug, slug },
    });
  }
}

export async function removeRequestedReviewers(
  ctx: SandboxContext,
  repo: GithubRepo,
  p: GithubPull,
  b: z.infer<typeof requestReviewersSchema>,
): Promise<void> {
  const state = prActivity(ctx);
  const key = pullKey(p);
  for (const login of b.reviewers) {
    if (!(state.requestedReviewers[key] ?? []).includes(login)) continue;
    state.requestedReviewers[key] = (state.requestedReviewers[key] ?? []).filter(
      (l) => l !== login,
    );
    touch(ctx, p);
    deliverRepoEvent(ctx, repo, "pull_request", {
      action: "review_request_removed",
      number: p.number,
      pull_request: await pullJson(ctx, repo, p),
      requested_reviewer: accountJson(ctx, login, "User"),
    });
  }
  for (const slug of b.team_reviewers) {
    const teams = state.requestedTeams?.[key] ?? [];
    if (!state.requestedTeams || !teams.includes(slug)) continue;
    state.requestedTeams[key] = teams.filter((t) => t !== slug);
    touch(ctx, p);
    deliverRepoEvent(ctx, repo, "pull_request", {
      action: "review_request_removed",
      number: p.number,
      pull_request: await pullJson(ctx, repo, p),
      requested_team: { name: slug, slug },
    });
  }
}

/** Adds a conversation comment by `user`; delivers `issue_comment.created`. */
export async function addComment(
  ctx: SandboxContext,
  repo: GithubRepo,
  p: GithubPull,
  user: string,
  body: string,
): Promise<GithubComment> {
  touch(ctx, p);
  const c: GithubComment = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    number: p.number,
    user,
    body,
    createdAt: p.updatedAt,
    updatedAt: p.updatedAt,
  };
  prActivity(ctx).comments.push(c);
  ctx.store.changed();
  const pr = await pullJson(ctx, repo, p);
  deliverRepoEvent(ctx, repo, "issue_comment", {
    action: "created",
    issue: {
      id: p.id,
      node_id: pr.node_id,
      number: p.number,
      title: p.title,
      state: p.state,
      user: pr.user,
      body: p.body,
      html_url: pr.html_url,
      url: `${apiBase(ctx)}/repos/${fullName(repo)}/issues/${p.number}`,
      pull_request: { url: pr.url, html_url: pr.html_url, diff_url: pr.diff_url },
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    },
    comment: commentJson(ctx, repo, c),
  });
  return c;
}

// ── REST handlers (the installation is the actor: the App's bot account) ───────────────────

const bot = (ctx: SandboxContext) => `${ctx.credentials.GITHUB_APP_SLUG}[bot]`;

export async function createReviewApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  const b = parseWith(createReviewSchema, bodyObject(req), validationFailed);
  if (p.user === bot(ctx) && b.event !== "COMMENT")
    throw ghError(422, "Unprocessable Entity", [
      {
        resource: "PullRequestReview",
        code: "custom",
        message: "Can not approve or request changes on your own pull request",
      },
    ]);
  return json(200, reviewJson(ctx, repo, await submitReview(ctx, repo, p, bot(ctx), b)));
}

export function listReviews(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): SandboxResponse {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  const all = prActivity(ctx).reviews.filter((r) => r.repoId === repo.id && r.number === p.number);
  const page = paginate(req, all);
  return json(
    200,
    page.items.map((r) => reviewJson(ctx, repo, r)),
    page.headers,
  );
}

export async function requestReviewersApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  await requestReviewers(
    ctx,
    repo,
    p,
    parseWith(requestReviewersSchema, bodyObject(req), validationFailed),
    p.user,
  );
  return json(201, await pullJson(ctx, repo, p));
}

export async function removeRequestedReviewersApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  await removeRequestedReviewers(
    ctx,
    repo,
    p,
    parseWith(requestReviewersSchema, bodyObject(req), validationFailed),
  );
  return json(200, await pullJson(ctx, repo, p));
}

export function listRequestedReviewers(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): SandboxResponse {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  const { requested_reviewers, requested_teams } = requestedReviewersJson(ctx, p);
  return json(200, { users: requested_reviewers, teams: requested_teams });
}

export async function createCommentApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  const b = parseWith(createCommentSchema, bodyObject(req), validationFailed);
  return json(201, commentJson(ctx, repo, await addComment(ctx, repo, p, bot(ctx), b.body)));
}

export function listComments(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  num: string,
): SandboxResponse {
  const repo = requireRepo(ctx, req, o, n);
  const p = findPull(ctx, repo, num);
  const all = prActivity(ctx).comments.filter((c) => c.repoId === repo.id && c.number === p.number);
  const page = paginate(req, all);
  return json(
    200,
    page.items.map((c) => commentJson(ctx, repo, c)),
    page.headers,
  );
}
