import { z } from "zod";

/**
 * What we keep of GitHub's CI and review deliveries (issue 17): `check_run`, `check_suite`,
 * `status`, `pull_request_review`, `issue_comment`, and the extra `pull_request` fields the PR
 * state needs. Spread into `githubPayload` (payloads.ts); the same rules hold: only objects,
 * strings, numbers and booleans, no transforms, no defaults, everything else stripped (a check
 * run's output and annotations, a comment's reactions…).
 */

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);
const time = z.string().max(40);
const login = z.object({ login: z.string().max(100) });
const url = z.string().max(500);
/** Comment and review text: kept to show an excerpt on the bug page, capped. */
const text = z.string().max(65_536);
const prRef = z.object({
  number: z.number().int().positive(),
  head: z.object({ ref: z.string().max(500), sha }).optional(),
});
const app = z.object({ slug: z.string().max(100).nullish(), name: z.string().max(200) });

/** Extra fields of `pull_request` (updated_at orders state changes; title and times are shown). */
export const pullRequestActivityFields = {
  title: z.string().max(1000).optional(),
  draft: z.boolean().optional(),
  html_url: url.optional(),
  updated_at: time.optional(),
  closed_at: time.nullish(),
  merged_at: time.nullish(),
  user: login.optional(),
};

/** Top-level fields of the CI and review deliveries. */
export const githubPrActivityFields = {
  // pull_request review_requested / review_request_removed
  requested_reviewer: login.optional(),
  requested_team: z.object({ slug: z.string().max(100) }).optional(),
  // check_run
  check_run: z
    .object({
      id: z.number().int().positive(),
      name: z.string().min(1).max(200),
      head_sha: sha,
      status: z.string().max(30),
      conclusion: z.string().max(30).nullish(),
      started_at: time.nullish(),
      completed_at: time.nullish(),
      html_url: url.nullish(),
      details_url: url.nullish(),
      app: app.nullish(),
      pull_requests: z.array(prRef).max(100).optional(),
    })
    .optional(),
  // check_suite
  check_suite: z
    .object({
      id: z.number().int().positive(),
      head_sha: sha,
      status: z.string().max(30).nullish(),
      conclusion: z.string().max(30).nullish(),
      updated_at: time.nullish(),
      app: app.nullish(),
      pull_requests: z.array(prRef).max(100).optional(),
    })
    .optional(),
  // status (commit status): top-level id, sha, context, state, target_url, updated_at
  id: z.number().int().positive().optional(),
  sha: sha.optional(),
  context: z.string().max(255).optional(),
  state: z.string().max(30).optional(),
  target_url: url.nullish(),
  updated_at: time.optional(),
  // pull_request_review
  review: z
    .object({
      id: z.number().int().positive(),
      user: login.nullish(),
      state: z.string().max(30),
      body: text.nullish(),
      submitted_at: time.nullish(),
      html_url: url.nullish(),
    })
    .optional(),
  // issue_comment (on a pull request: issue.pull_request is present)
  issue: z
    .object({
      number: z.number().int().positive(),
      pull_request: z.object({ url: url.optional() }).optional(),
    })
    .optional(),
  comment: z
    .object({
      id: z.number().int().positive(),
      user: login.nullish(),
      body: text.nullish(),
      created_at: time,
      updated_at: time.optional(),
      html_url: url.optional(),
    })
    .optional(),
};

/** The delivery events the PR activity consumer reads (added to GITHUB_EVENTS). */
export const GITHUB_PR_ACTIVITY_EVENTS = [
  "check_run",
  "check_suite",
  "status",
  "pull_request_review",
  "issue_comment",
] as const;
