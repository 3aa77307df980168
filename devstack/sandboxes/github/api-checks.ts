import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, type SandboxRequest, type SandboxResponse } from "../http";
import type { GithubRepo } from "../state";
import { requireRepo } from "./auth";
import {
  accountJson,
  apiBase,
  fullName,
  ghError,
  notFound,
  paginate,
  validationFailed,
  webBase,
} from "./common";
import { deliverRepoEvent } from "./events";
import * as g from "./git";
import {
  type GithubCheckRun,
  type GithubCheckSuite,
  type GithubCommitStatus,
  prActivity,
  pullsWithHead,
} from "./pr-activity-state";

/**
 * Checks and commit statuses (GitHub's Checks API and Statuses API): a check run belongs to a
 * check suite of its App and commit; each change delivers `check_run` (`created`, `completed`),
 * a suite whose runs have all completed delivers `check_suite.completed`, a commit status
 * delivers `status`. Payload fields as GitHub documents them.
 */

const CONCLUSIONS = [
  "action_required",
  "cancelled",
  "failure",
  "neutral",
  "success",
  "skipped",
  "stale",
  "timed_out",
] as const;
const checkRunFields = {
  status: z.enum(["queued", "in_progress", "completed"]).optional(),
  conclusion: z.enum(CONCLUSIONS).optional(),
  details_url: z.string().max(500).optional(),
  external_id: z.string().max(200).optional(),
  started_at: z.string().datetime().optional(),
  completed_at: z.string().datetime().optional(),
  output: z
    .object({ title: z.string().max(1000), summary: z.string().max(65_535) })
    .partial()
    .optional(),
};
export const createCheckRunSchema = z.object({
  name: z.string().min(1).max(200),
  head_sha: z.string().regex(/^[0-9a-f]{40}$/, "head_sha must be a full commit sha"),
  ...checkRunFields,
});
const updateCheckRunSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  ...checkRunFields,
});
export const createStatusSchema = z.object({
  state: z.enum(["error", "failure", "pending", "success"]),
  target_url: z.string().max(500).nullable().optional(),
  description: z.string().max(140).nullable().optional(),
  context: z.string().min(1).max(255).default("default"),
});

export type CheckApp = { slug: string; name: string };
/** The App a check run is created by: the Patchline App through the API, a CI through control. */
export const appOf = (ctx: SandboxContext): CheckApp => ({
  slug: ctx.credentials.GITHUB_APP_SLUG,
  name: ctx.credentials.GITHUB_APP_SLUG,
});

function appJson(ctx: SandboxContext, app: CheckApp) {
  return {
    id: 1000 + (app.slug.length % 97),
    slug: app.slug,
    node_id: Buffer.from(`03:App${app.slug}`).toString("base64"),
    owner: accountJson(ctx, app.slug),
    name: app.name,
    html_url: `${webBase(ctx)}/apps/${app.slug}`,
  };
}

async function prRefs(ctx: SandboxContext, repo: GithubRepo, sha: string) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const base = async (branch: string) =>
    (await g.resolveCommit(repo.gitDir, `refs/heads/${branch}`)) ?? "";
  return Promise.all(
    (await pullsWithHead(ctx, repo, sha)).map(async (p) => ({
      url: `${api}/pulls/${p.number}`,
      id: p.id,
      number: p.number,
      head: { ref: p.head, sha, repo: { id: repo.id, url: api, name: repo.name } },
      base: {
        ref: p.base,
        sha: await base(p.base),
        repo: { id: repo.id, url: api, name: repo.name },
      },
    })),
  );
}

export async function suiteJson(ctx: SandboxContext, repo: GithubRepo, s: GithubCheckSuite) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  return {
    id: s.id,
    node_id: Buffer.from(`010:CheckSuite${s.id}`).toString("base64"),
    head_branch: s.headBranch,
    head_sha: s.headSha,
    status: s.status,
    conclusion: s.conclusion,
    url: `${api}/check-suites/${s.id}`,
    app: appJson(ctx, s.app),
    pull_requests: await prRefs(ctx, repo, s.headSha),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    check_runs_url: `${api}/check-suites/${s.id}/check-runs`,
    latest_check_runs_count: prActivity(ctx).checkRuns.filter((r) => r.suiteId === s.id).length,
  };
}

export async function checkRunJson(ctx: SandboxContext, repo: GithubRepo, r: GithubCheckRun) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const suite = prActivity(ctx).checkSuites.find((s) => s.id === r.suiteId);
  return {
    id: r.id,
    node_id: Buffer.from(`04:CheckRun${r.id}`).toString("base64"),
    head_sha: r.headSha,
    external_id: r.externalId ?? "",
    url: `${api}/check-runs/${r.id}`,
    html_url: `${webBase(ctx)}/${fullName(repo)}/runs/${r.id}`,
    details_url: r.detailsUrl ?? `${webBase(ctx)}/${fullName(repo)}/runs/${r.id}`,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: {
      title: r.title,
      summary: r.summary,
      text: null,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${r.id}/annotations`,
    },
    name: r.name,
    check_suite: suite ? { id: suite.id } : null,
    app: appJson(ctx, r.app),
    pull_requests: await prRefs(ctx, repo, r.headSha),
  };
}

async function branchOf(repo: GithubRepo, sha: string): Promise<string | null> {
  for (const b of await g.branches(repo.gitDir)) if (b.sha === sha) return b.name;
  return null;
}

/** Creates a check run (and its suite on first use); delivers `check_run.created` (+ completed). */
export async function createCheckRun(
  ctx: SandboxContext,
  repo: GithubRepo,
  b: z.infer<typeof createCheckRunSchema>,
  app: CheckApp,
): Promise<GithubCheckRun> {
  if (!(await g.resolveCommit(repo.gitDir, b.head_sha)))
    throw validationFailed(`No commit found for SHA: ${b.head_sha}`);
  const state = prActivity(ctx);
  const now = new Date().toISOString();
  let suite = state.checkSuites.find(
    (s) => s.repoId === repo.id && s.headSha === b.head_sha && s.app.slug === app.slug,
  );
  if (!suite) {
    suite = {
      id: ctx.store.nextId(),
      repoId: repo.id,
      headSha: b.head_sha,
      headBranch: await branchOf(repo, b.head_sha),
      app,
      status: "queued",
      conclusion: null,
      createdAt: now,
      updatedAt: now,
    };
    state.checkSuites.push(suite);
  }
  const completed = b.status === "completed" || b.conclusion !== undefined;
  const run: GithubCheckRun = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    suiteId: suite.id,
    name: b.name,
    headSha: b.head_sha,
    status: completed ? "completed" : (b.status ?? "queued"),
    conclusion: completed ? (b.conclusion ?? "success") : null,
    startedAt: b.started_at ?? now,
    completedAt: completed ? (b.completed_at ?? now) : null,
    detailsUrl: b.details_url ?? null,
    externalId: b.external_id ?? null,
    title: b.output?.title ?? null,
    summary: b.output?.summary ?? null,
    app,
  };
  state.checkRuns.push(run);
  ctx.store.changed();
  deliverRepoEvent(ctx, repo, "check_run", {
    action: "created",
    check_run: await checkRunJson(ctx, repo, run),
  });
  // a run created already completed is reported as created, then completed, as GitHub does
  if (completed)
    deliverRepoEvent(ctx, repo, "check_run", {
      action: "completed",
      check_run: await checkRunJson(ctx, repo, run),
    });
  await afterRunChange(ctx, repo, run);
  return run;
}

/** Updates a check run; completing it delivers `check_run.completed` (and maybe the suite's). */
export async function updateCheckRun(
  ctx: SandboxContext,
  repo: GithubRepo,
  run: GithubCheckRun,
  b: z.infer<typeof updateCheckRunSchema>,
): Promise<void> {
  const wasCompleted = run.status === "completed";
  const completes = b.status === "completed" || b.conclusion !== undefined;
  run.name = b.name ?? run.name;
  run.detailsUrl = b.details_url ?? run.detailsUrl;
  run.title = b.output?.title ?? run.title;
  run.summary = b.output?.summary ?? run.summary;
  if (completes) {
    if (!b.conclusion) throw validationFailed("conclusion is required when status is completed");
    run.status = "completed";
    run.conclusion = b.conclusion;
    run.completedAt = b.completed_at ?? new Date().toISOString();
  } else if (b.status) run.status = b.status;
  ctx.store.changed();
  if (completes && !wasCompleted) {
    deliverRepoEvent(ctx, repo, "check_run", {
      action: "completed",
      check_run: await checkRunJson(ctx, repo, run),
    });
  }
  await afterRunChange(ctx, repo, run);
}

const SEVERITY = [
  "action_required",
  "cancelled",
  "timed_out",
  "failure",
  "stale",
  "neutral",
  "skipped",
  "success",
];

/** A suite follows its runs; when the last one completes, `check_suite.completed` is delivered. */
async function afterRunChange(ctx: SandboxContext, repo: GithubRepo, run: GithubCheckRun) {
  const state = prActivity(ctx);
  const suite = state.checkSuites.find((s) => s.id === run.suiteId);
  if (!suite) return;
  // latest run per name counts, as GitHub shows a re-run in place of the old one
  const latest = new Map<string, GithubCheckRun>();
  for (const r of state.checkRuns.filter((x) => x.suiteId === suite.id)) latest.set(r.name, r);
  const runs = [...latest.values()];
  const allDone = runs.every((r) => r.status === "completed");
  const before = `${suite.status}/${suite.conclusion}`;
  suite.status = allDone
    ? "completed"
    : runs.some((r) => r.status === "in_progress")
      ? "in_progress"
      : "queued";
  suite.conclusion = allDone
    ? (SEVERITY.find((c) => runs.some((r) => r.conclusion === c)) ?? "success")
    : null;
  suite.updatedAt = new Date().toISOString();
  ctx.store.changed();
  if (allDone && before !== `${suite.status}/${suite.conclusion}`) {
    deliverRepoEvent(ctx, repo, "check_suite", {
      action: "completed",
      check_suite: await suiteJson(ctx, repo, suite),
    });
  }
}

export function statusJson(ctx: SandboxContext, repo: GithubRepo, s: GithubCommitStatus) {
  return {
    url: `${apiBase(ctx)}/repos/${fullName(repo)}/statuses/${s.sha}`,
    avatar_url: null,
    id: s.id,
    node_id: Buffer.from(`013:StatusContext${s.id}`).toString("base64"),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: accountJson(ctx, `${ctx.credentials.GITHUB_APP_SLUG}[bot]`, "Bot"),
  };
}

/** Creates a commit status; delivers `status` (the webhook has the status at the top level). */
export async function createStatus(
  ctx: SandboxContext,
  repo: GithubRepo,
  sha: string,
  b: z.infer<typeof createStatusSchema>,
): Promise<GithubCommitStatus> {
  if (!/^[0-9a-f]{40}$/.test(sha) || !(await g.resolveCommit(repo.gitDir, sha)))
    throw ghError(422, `No commit found for SHA: ${sha}`);
  const now = new Date().toISOString();
  const s: GithubCommitStatus = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    sha,
    context: b.context,
    state: b.state,
    description: b.description ?? null,
    targetUrl: b.target_url ?? null,
    createdAt: now,
    updatedAt: now,
  };
  prActivity(ctx).statuses.push(s);
  ctx.store.changed();
  const info = await g.commitInfo(repo.gitDir, sha);
  const branches = (await g.branches(repo.gitDir)).filter((b) => b.sha === sha);
  deliverRepoEvent(ctx, repo, "status", {
    id: s.id,
    sha,
    name: fullName(repo),
    target_url: s.targetUrl,
    context: s.context,
    description: s.description,
    state: s.state,
    commit: {
      sha,
      commit: { message: info.message, author: info.author, committer: info.committer },
      url: `${apiBase(ctx)}/repos/${fullName(repo)}/commits/${sha}`,
      html_url: `${webBase(ctx)}/${fullName(repo)}/commit/${sha}`,
    },
    branches: branches.map((b) => ({ name: b.name, commit: { sha: b.sha }, protected: false })),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  });
  return s;
}

// ── REST handlers ───────────────────────────────────────────────────────────────────────────

async function commitOf(repo: GithubRepo, ref: string): Promise<string> {
  const sha =
    (await g.resolveCommit(repo.gitDir, `refs/heads/${ref}`)) ??
    (await g.resolveCommit(repo.gitDir, ref));
  if (!sha) throw ghError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

function findRun(ctx: SandboxContext, repo: GithubRepo, id: string): GithubCheckRun {
  const r = prActivity(ctx).checkRuns.find((x) => x.repoId === repo.id && String(x.id) === id);
  if (!r) throw notFound();
  return r;
}

export async function createCheckRunApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const b = parseWith(createCheckRunSchema, bodyObject(req), validationFailed);
  return json(201, await checkRunJson(ctx, repo, await createCheckRun(ctx, repo, b, appOf(ctx))));
}

export async function updateCheckRunApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  id: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const run = findRun(ctx, repo, id);
  await updateCheckRun(
    ctx,
    repo,
    run,
    parseWith(updateCheckRunSchema, bodyObject(req), validationFailed),
  );
  return json(200, await checkRunJson(ctx, repo, run));
}

export async function getCheckRun(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  id: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  return json(200, await checkRunJson(ctx, repo, findRun(ctx, repo, id)));
}

/** `GET /commits/{ref}/check-runs`: `{ total_count, check_runs }`, newest first, `check_name` filter. */
export async function listCheckRunsForRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const sha = await commitOf(repo, ref);
  const name = req.url.searchParams.get("check_name");
  let runs = prActivity(ctx).checkRuns.filter(
    (r) => r.repoId === repo.id && r.headSha === sha && (!name || r.name === name),
  );
  // filter=latest (the default): the most recent run of each name
  if (req.url.searchParams.get("filter") !== "all") {
    const latest = new Map<string, GithubCheckRun>();
    for (const r of runs) latest.set(r.name, r);
    runs = [...latest.values()];
  }
  runs = runs.sort((a, b) => b.id - a.id);
  const page = paginate(req, runs);
  return json(
    200,
    {
      total_count: runs.length,
      check_runs: await Promise.all(page.items.map((r) => checkRunJson(ctx, repo, r))),
    },
    page.headers,
  );
}

export async function listCheckSuitesForRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const sha = await commitOf(repo, ref);
  const suites = prActivity(ctx).checkSuites.filter(
    (s) => s.repoId === repo.id && s.headSha === sha,
  );
  return json(200, {
    total_count: suites.length,
    check_suites: await Promise.all(suites.map((s) => suiteJson(ctx, repo, s))),
  });
}

export async function createStatusApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  sha: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const s = await createStatus(
    ctx,
    repo,
    sha,
    parseWith(createStatusSchema, bodyObject(req), validationFailed),
  );
  return json(201, statusJson(ctx, repo, s));
}

/** `GET /commits/{ref}/statuses`: every status, newest first. */
export async function listStatusesForRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const sha = await commitOf(repo, ref);
  const all = prActivity(ctx)
    .statuses.filter((s) => s.repoId === repo.id && s.sha === sha)
    .sort((a, b) => b.id - a.id);
  const page = paginate(req, all);
  return json(
    200,
    page.items.map((s) => statusJson(ctx, repo, s)),
    page.headers,
  );
}

/** `GET /commits/{ref}/status`: the combined status (latest per context; failure > pending > success). */
export async function combinedStatus(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  n: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, n);
  const sha = await commitOf(repo, ref);
  const latest = new Map<string, GithubCommitStatus>();
  for (const s of prActivity(ctx).statuses.filter((x) => x.repoId === repo.id && x.sha === sha))
    latest.set(s.context, s);
  const statuses = [...latest.values()];
  const state = statuses.some((s) => s.state === "failure" || s.state === "error")
    ? "failure"
    : statuses.length === 0 || statuses.some((s) => s.state === "pending")
      ? "pending"
      : "success";
  return json(200, {
    state,
    statuses: statuses.map((s) => statusJson(ctx, repo, s)),
    sha,
    total_count: statuses.length,
    repository: { id: repo.id, full_name: fullName(repo) },
    commit_url: `${apiBase(ctx)}/repos/${fullName(repo)}/commits/${sha}`,
    url: `${apiBase(ctx)}/repos/${fullName(repo)}/commits/${sha}/status`,
  });
}
