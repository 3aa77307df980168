import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, type SandboxRequest, type SandboxResponse } from "../http";
import type { GithubDeployment, GithubRepo } from "../state";
import { requireRepo } from "./auth";
import {
  accountJson,
  apiBase,
  fullName,
  ghError,
  notFound,
  paginate,
  SENDER,
  validationFailed,
} from "./common";
import { deliverRepoEvent } from "./events";
import * as g from "./git";

/** Deployments and deployment statuses: what a CD system reports, and what "fixed in production" waits for. */

const createDeploymentSchema = z.object({
  ref: z.string().min(1).max(255),
  environment: z.string().min(1).max(255).default("production"),
  description: z.string().max(140).nullable().optional(),
  payload: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  auto_merge: z.boolean().optional(),
  required_contexts: z.array(z.string()).optional(),
  task: z.string().optional(),
  transient_environment: z.boolean().optional(),
  production_environment: z.boolean().optional(),
});
export const deploymentStates = [
  "error",
  "failure",
  "inactive",
  "in_progress",
  "queued",
  "pending",
  "success",
] as const;
const createStatusSchema = z.object({
  state: z.enum(deploymentStates),
  description: z.string().max(140).optional(),
  environment_url: z.string().optional(),
  log_url: z.string().optional(),
  target_url: z.string().optional(),
  environment: z.string().optional(),
  auto_inactive: z.boolean().optional(),
});

export function deploymentJson(ctx: SandboxContext, repo: GithubRepo, d: GithubDeployment) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}/deployments/${d.id}`;
  return {
    id: d.id,
    node_id: Buffer.from(`010:Deployment${d.id}`).toString("base64"),
    url: api,
    sha: d.sha,
    ref: d.ref,
    task: "deploy",
    payload: d.payload ?? {},
    environment: d.environment,
    original_environment: d.environment,
    description: d.description,
    creator: accountJson(ctx, SENDER, "User"),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${api}/statuses`,
    repository_url: `${apiBase(ctx)}/repos/${fullName(repo)}`,
    production_environment: d.environment === "production",
  };
}

export function statusJson(
  ctx: SandboxContext,
  repo: GithubRepo,
  d: GithubDeployment,
  s: GithubDeployment["statuses"][number],
) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}/deployments/${d.id}`;
  return {
    id: s.id,
    node_id: Buffer.from(`016:DeploymentStatus${s.id}`).toString("base64"),
    url: `${api}/statuses/${s.id}`,
    state: s.state,
    description: s.description,
    environment: d.environment,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    target_url: s.logUrl,
    creator: accountJson(ctx, SENDER, "User"),
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: api,
    repository_url: `${apiBase(ctx)}/repos/${fullName(repo)}`,
  };
}

export async function createDeployment(
  ctx: SandboxContext,
  repo: GithubRepo,
  b: z.infer<typeof createDeploymentSchema>,
): Promise<GithubDeployment> {
  const sha = await g.resolveCommit(repo.gitDir, b.ref);
  if (!sha) throw ghError(422, `No ref found for: ${b.ref}`);
  const d: GithubDeployment = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    ref: b.ref,
    sha,
    environment: b.environment,
    description: b.description ?? null,
    payload: b.payload ?? {},
    createdAt: new Date().toISOString(),
    statuses: [],
  };
  ctx.state.github.deployments.push(d);
  ctx.store.changed();
  deliverRepoEvent(ctx, repo, "deployment", {
    action: "created",
    deployment: deploymentJson(ctx, repo, d),
  });
  return d;
}

export async function addDeploymentStatus(
  ctx: SandboxContext,
  repo: GithubRepo,
  d: GithubDeployment,
  b: z.infer<typeof createStatusSchema>,
) {
  const s = {
    id: ctx.store.nextId(),
    state: b.state,
    description: b.description ?? "",
    environmentUrl: b.environment_url ?? "",
    logUrl: b.log_url ?? b.target_url ?? "",
    createdAt: new Date().toISOString(),
  };
  d.statuses.push(s);
  ctx.store.changed();
  deliverRepoEvent(ctx, repo, "deployment_status", {
    action: "created",
    deployment_status: statusJson(ctx, repo, d, s),
    deployment: deploymentJson(ctx, repo, d),
  });
  return s;
}

function findDeployment(ctx: SandboxContext, repo: GithubRepo, id: string): GithubDeployment {
  const d = ctx.state.github.deployments.find((x) => x.repoId === repo.id && String(x.id) === id);
  if (!d) throw notFound();
  return d;
}

export async function createDeploymentApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const d = await createDeployment(
    ctx,
    repo,
    parseWith(createDeploymentSchema, bodyObject(req), validationFailed),
  );
  return json(201, deploymentJson(ctx, repo, d));
}

export function listDeployments(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): SandboxResponse {
  const repo = requireRepo(ctx, req, o, r);
  const q = req.url.searchParams;
  const all = ctx.state.github.deployments
    .filter(
      (d) =>
        d.repoId === repo.id &&
        (!q.get("environment") || d.environment === q.get("environment")) &&
        (!q.get("sha") || d.sha === q.get("sha")) &&
        (!q.get("ref") || d.ref === q.get("ref")),
    )
    .sort((a, b) => b.id - a.id);
  const page = paginate(req, all);
  return json(
    200,
    page.items.map((d) => deploymentJson(ctx, repo, d)),
    page.headers,
  );
}

export function getDeployment(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  id: string,
): SandboxResponse {
  const repo = requireRepo(ctx, req, o, r);
  return json(200, deploymentJson(ctx, repo, findDeployment(ctx, repo, id)));
}

export async function createStatusApi(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  id: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const d = findDeployment(ctx, repo, id);
  const s = await addDeploymentStatus(
    ctx,
    repo,
    d,
    parseWith(createStatusSchema, bodyObject(req), validationFailed),
  );
  return json(201, statusJson(ctx, repo, d, s));
}

export function listStatuses(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  id: string,
): SandboxResponse {
  const repo = requireRepo(ctx, req, o, r);
  const d = findDeployment(ctx, repo, id);
  return json(
    200,
    [...d.statuses].reverse().map((s) => statusJson(ctx, repo, d, s)),
  );
}
