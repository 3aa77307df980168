import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, ProviderError, parseWith } from "../http";
import type { Router } from "../router";
import * as checks from "./api-checks";
import { findPull } from "./api-pulls";
import * as reviews from "./api-reviews";
import { fullName } from "./common";
import { prActivity, pullHeadSha } from "./pr-activity-state";

/**
 * CI and review activity: the REST routes (Checks, Statuses, Reviews, Review requests, Issue
 * comments) and the control routes that let tests and people act as a CI system or a reviewer
 * (`npm run sandbox -- github check|status|review|request-review|comment`).
 */

const bad = (m: string) => new ProviderError(422, { error: m });
const repoName = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "owner/name");
const login = z.string().regex(/^[A-Za-z0-9-]{1,39}(\[bot\])?$/, "a GitHub login");
const target = {
  repo: repoName,
  /** the PR whose head commit it is about (or give `sha`) */
  pr: z.coerce.number().int().positive().optional(),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
};
/** The CI the control API acts as: GitHub Actions, as most repositories have. */
const CI_APP = { slug: "github-actions", name: "GitHub Actions" };

const checkSchema = z.object({
  ...target,
  name: z.string().min(1).max(200).default("ci"),
  status: z.enum(["queued", "in_progress", "completed"]).optional(),
  conclusion: z
    .enum(["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"])
    .optional(),
  /** complete this earlier run instead of starting a new one */
  check_run_id: z.coerce.number().int().positive().optional(),
  details_url: z.string().max(500).optional(),
});
const statusSchema = z.object({
  ...target,
  context: z.string().min(1).max(255).default("ci/sandbox"),
  state: z.enum(["error", "failure", "pending", "success"]),
  description: z.string().max(140).optional(),
  target_url: z.string().max(500).optional(),
});
const reviewSchema = z.object({
  repo: repoName,
  pr: z.coerce.number().int().positive(),
  reviewer: login.default("sandbox-dev"),
  event: z.enum(["APPROVE", "REQUEST_CHANGES", "COMMENT"]),
  body: z.string().max(65_536).optional(),
});
const requestSchema = z.object({
  repo: repoName,
  pr: z.coerce.number().int().positive(),
  reviewers: z.array(login).min(1).max(15),
  remove: z.boolean().default(false),
});
const commentSchema = z.object({
  repo: repoName,
  pr: z.coerce.number().int().positive(),
  author: login.default("sandbox-dev"),
  body: z.string().min(1).max(65_536),
});

export function registerGithubPrActivity(router: Router, ctx: SandboxContext): void {
  const r = "/github/api/repos/:owner/:repo";
  router
    .add("POST", `${r}/check-runs`, (req, [o, n]) => checks.createCheckRunApi(ctx, req, o!, n!))
    .add("GET", `${r}/check-runs/:id`, (req, [o, n, id]) =>
      checks.getCheckRun(ctx, req, o!, n!, id!),
    )
    .add("PATCH", `${r}/check-runs/:id`, (req, [o, n, id]) =>
      checks.updateCheckRunApi(ctx, req, o!, n!, id!),
    )
    .add("GET", `${r}/commits/:ref/check-runs`, (req, [o, n, ref]) =>
      checks.listCheckRunsForRef(ctx, req, o!, n!, ref!),
    )
    .add("GET", `${r}/commits/:ref/check-suites`, (req, [o, n, ref]) =>
      checks.listCheckSuitesForRef(ctx, req, o!, n!, ref!),
    )
    .add("GET", `${r}/commits/:ref/statuses`, (req, [o, n, ref]) =>
      checks.listStatusesForRef(ctx, req, o!, n!, ref!),
    )
    .add("GET", `${r}/commits/:ref/status`, (req, [o, n, ref]) =>
      checks.combinedStatus(ctx, req, o!, n!, ref!),
    )
    .add("POST", `${r}/statuses/:sha`, (req, [o, n, sha]) =>
      checks.createStatusApi(ctx, req, o!, n!, sha!),
    )
    .add("GET", `${r}/pulls/:num/reviews`, (req, [o, n, num]) =>
      reviews.listReviews(ctx, req, o!, n!, num!),
    )
    .add("POST", `${r}/pulls/:num/reviews`, (req, [o, n, num]) =>
      reviews.createReviewApi(ctx, req, o!, n!, num!),
    )
    .add("GET", `${r}/pulls/:num/requested_reviewers`, (req, [o, n, num]) =>
      reviews.listRequestedReviewers(ctx, req, o!, n!, num!),
    )
    .add("POST", `${r}/pulls/:num/requested_reviewers`, (req, [o, n, num]) =>
      reviews.requestReviewersApi(ctx, req, o!, n!, num!),
    )
    .add("DELETE", `${r}/pulls/:num/requested_reviewers`, (req, [o, n, num]) =>
      reviews.removeRequestedReviewersApi(ctx, req, o!, n!, num!),
    )
    .add("GET", `${r}/issues/:num/comments`, (req, [o, n, num]) =>
      reviews.listComments(ctx, req, o!, n!, num!),
    )
    .add("POST", `${r}/issues/:num/comments`, (req, [o, n, num]) =>
      reviews.createCommentApi(ctx, req, o!, n!, num!),
    );

  const repoOf = (name: string) => {
    const repo = ctx.state.github.repos.find(
      (x) => fullName(x).toLowerCase() === name.toLowerCase(),
    );
    if (!repo)
      throw new ProviderError(404, { error: `no repository ${name}; add it with github add-repo` });
    return repo;
  };
  const pullOf = (repo: ReturnType<typeof repoOf>, n: number) => {
    try {
      return findPull(ctx, repo, String(n));
    } catch {
      throw new ProviderError(404, { error: `no pull request #${n} in ${fullName(repo)}` });
    }
  };
  const headOf = async (repo: ReturnType<typeof repoOf>, t: { pr?: number; sha?: string }) => {
    if (t.sha) return t.sha;
    if (!t.pr) throw bad("give --pr or --sha");
    const sha = await pullHeadSha(repo, pullOf(repo, t.pr));
    if (!sha) throw bad(`pull request #${t.pr} has no head commit`);
    return sha;
  };
  const since = () => ctx.state.deliveries.length;
  const deliveriesFrom = (n: number) =>
    ctx.state.deliveries.slice(n).map((d) => ({ id: d.id, event: d.event, url: d.url }));

  // A CI run: without a conclusion it starts (in_progress); with one it completes. Re-using
  // `check_run_id` completes that run, otherwise a new run of that name is created (a re-run).
  router.add("POST", "/_control/github/check", async (req) => {
    const p = parseWith(checkSchema, bodyObject(req), bad);
    const repo = repoOf(p.repo);
    const from = since();
    let run = p.check_run_id
      ? prActivity(ctx).checkRuns.find((x) => x.id === p.check_run_id && x.repoId === repo.id)
      : undefined;
    if (p.check_run_id && !run) throw new ProviderError(404, { error: "no such check run" });
    if (run) {
      await checks.updateCheckRun(ctx, repo, run, {
        status: p.conclusion ? "completed" : p.status,
        conclusion: p.conclusion,
        details_url: p.details_url,
      });
    } else {
      run = await checks.createCheckRun(
        ctx,
        repo,
        {
          name: p.name,
          head_sha: await headOf(repo, p),
          status: p.conclusion ? "completed" : (p.status ?? "in_progress"),
          conclusion: p.conclusion,
          details_url: p.details_url,
        },
        CI_APP,
      );
    }
    return json(201, {
      check_run: await checks.checkRunJson(ctx, repo, run),
      deliveries: deliveriesFrom(from),
    });
  });

  router.add("POST", "/_control/github/status", async (req) => {
    const p = parseWith(statusSchema, bodyObject(req), bad);
    const repo = repoOf(p.repo);
    const from = since();
    const s = await checks.createStatus(ctx, repo, await headOf(repo, p), {
      state: p.state,
      context: p.context,
      description: p.description,
      target_url: p.target_url,
    });
    return json(201, { status: checks.statusJson(ctx, repo, s), deliveries: deliveriesFrom(from) });
  });

  router.add("POST", "/_control/github/review", async (req) => {
    const p = parseWith(reviewSchema, bodyObject(req), bad);
    const repo = repoOf(p.repo);
    const pull = pullOf(repo, p.pr);
    const from = since();
    const review = await reviews.submitReview(ctx, repo, pull, p.reviewer, {
      event: p.event,
      body: p.body,
    });
    return json(201, {
      review: reviews.reviewJson(ctx, repo, review),
      deliveries: deliveriesFrom(from),
    });
  });

  router.add("POST", "/_control/github/request-review", async (req) => {
    const p = parseWith(requestSchema, bodyObject(req), bad);
    const repo = repoOf(p.repo);
    const pull = pullOf(repo, p.pr);
    const from = since();
    const body = { reviewers: p.reviewers, team_reviewers: [] };
    if (p.remove) await reviews.removeRequestedReviewers(ctx, repo, pull, body);
    else await reviews.requestReviewers(ctx, repo, pull, body, pull.user);
    return json(201, {
      requested_reviewers:
        prActivity(ctx).requestedReviewers[`${pull.repoId}#${pull.number}`] ?? [],
      deliveries: deliveriesFrom(from),
    });
  });

  router.add("POST", "/_control/github/comment", async (req) => {
    const p = parseWith(commentSchema, bodyObject(req), bad);
    const repo = repoOf(p.repo);
    const pull = pullOf(repo, p.pr);
    const from = since();
    const c = await reviews.addComment(ctx, repo, pull, p.author, p.body);
    return json(201, {
      comment: reviews.commentJson(ctx, repo, c),
      deliveries: deliveriesFrom(from),
    });
  });
}
