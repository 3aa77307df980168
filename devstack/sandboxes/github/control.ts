import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, ProviderError, parseWith } from "../http";
import type { Router } from "../router";
import {
  addDeploymentStatus,
  createDeployment,
  deploymentJson,
  deploymentStates,
  statusJson,
} from "./api-deployments";
import { findPull, mergePull, pullJson } from "./api-pulls";
import { fullName, repoJson } from "./common";
import { deliverGithub, installationJson } from "./events";
import * as g from "./git";
import { deliverPush } from "./push";
import { addRepo, RepoError } from "./repos";

const bad = (m: string) => new ProviderError(422, { error: m });
const repoName = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "owner/name");

const addSchema = z.object({
  path: z.string().min(1),
  full_name: repoName.optional(),
  private: z.boolean().default(true),
});
const pushSchema = z.object({
  repo: repoName,
  branch: z
    .string()
    .regex(/^[\w./-]+$/)
    .optional(),
  message: z.string().min(1).max(10_000).optional(),
  files: z.record(z.string().min(1).max(1000), z.string().max(5_000_000).nullable()).default({}),
  author: z
    .object({ name: z.string().min(1), email: z.string().email() })
    .default({ name: "Sandbox Dev", email: "dev@sandbox.example" }),
});
const installationActionSchema = z.object({
  action: z.enum(["suspend", "unsuspend", "new_permissions_accepted"]),
});
const mergeSchema = z.object({ repo: repoName, number: z.coerce.number().int().positive() });
const deploySchema = z.object({
  repo: repoName,
  ref: z.string().min(1).optional(),
  environment: z.string().min(1).default("production"),
  state: z.enum(deploymentStates).default("success"),
  deployment_id: z.coerce.number().int().optional(),
  environment_url: z.string().optional(),
  description: z.string().max(140).optional(),
});

function repoByName(ctx: SandboxContext, name: string) {
  const repo = ctx.state.github.repos.find((r) => fullName(r).toLowerCase() === name.toLowerCase());
  if (!repo)
    throw new ProviderError(404, { error: `no repository ${name}; add it with github add-repo` });
  return repo;
}

const deliveryRefs = (ctx: SandboxContext, since: number) =>
  ctx.state.deliveries.slice(since).map((d) => ({ id: d.id, event: d.event, url: d.url }));

/** Control actions: add a repository, push, merge a pull request, report a deployment. */
export function registerGithubControl(router: Router, ctx: SandboxContext): void {
  router.add("GET", "/_control/github/repositories", () =>
    json(200, {
      repositories: ctx.state.github.repos.map((r) => ({
        ...repoJson(ctx, r),
        git_dir: r.gitDir,
        source: r.source,
      })),
    }),
  );

  router.add("POST", "/_control/github/repositories", async (req) => {
    const p = parseWith(addSchema, bodyObject(req), bad);
    try {
      const { repo, created } = await addRepo(ctx, {
        path: p.path,
        fullName: p.full_name,
        private: p.private,
      });
      return json(created ? 201 : 200, { repository: repoJson(ctx, repo), created });
    } catch (err) {
      if (err instanceof RepoError || err instanceof g.GitError) throw bad(err.message);
      throw err;
    }
  });

  router.add("GET", "/_control/github/installations", () =>
    json(200, {
      installations: ctx.state.github.installations.map((i) => installationJson(ctx, i)),
    }),
  );

  // What an account owner does on GitHub's side: suspend or unsuspend the App's installation, or
  // accept the permissions a new App version asks for; each delivers `installation.<action>`.
  router.add("POST", "/_control/github/installations/:id/actions", (req, [id]) => {
    const p = parseWith(installationActionSchema, bodyObject(req), bad);
    const inst = ctx.state.github.installations.find((i) => String(i.id) === id);
    if (!inst) throw new ProviderError(404, { error: "no such installation" });
    const since = ctx.state.deliveries.length;
    if (p.action === "suspend") inst.suspended = true;
    if (p.action === "unsuspend") inst.suspended = false;
    ctx.store.changed();
    deliverGithub(ctx, "installation", {
      action: p.action,
      installation: installationJson(ctx, inst),
    });
    return json(200, {
      installation: installationJson(ctx, inst),
      deliveries: deliveryRefs(ctx, since),
    });
  });

  // With a message: a new commit with these files. Without: new commits fetched from the source.
  router.add("POST", "/_control/github/push", async (req) => {
    const p = parseWith(pushSchema, bodyObject(req), bad);
    const repo = repoByName(ctx, p.repo);
    const since = ctx.state.deliveries.length;
    const moved: Array<{ branch: string; before: string | undefined; after: string }> = [];
    if (p.message) {
      const branch = p.branch ?? repo.defaultBranch;
      const before = await g.resolveCommit(repo.gitDir, `refs/heads/${branch}`);
      const parent =
        before ?? (await g.resolveCommit(repo.gitDir, `refs/heads/${repo.defaultBranch}`));
      if (!parent) throw bad("the repository has no commits");
      const files = Object.fromEntries(
        Object.entries(p.files).map(([k, v]) => [k, v === null ? null : Buffer.from(v, "utf8")]),
      );
      const after = await g.commitFiles(repo.gitDir, {
        parent,
        files,
        message: p.message,
        author: p.author,
      });
      await g.updateRef(repo.gitDir, `refs/heads/${branch}`, after);
      moved.push({ branch, before, after });
    } else {
      for (const m of await g.fetchBranches(repo.gitDir, repo.source))
        moved.push({ branch: m.name, before: m.before, after: m.after });
    }
    for (const m of moved) await deliverPush(ctx, repo, m.branch, m.before, m.after);
    return json(201, {
      repository: fullName(repo),
      pushed: moved,
      deliveries: deliveryRefs(ctx, since),
    });
  });

  router.add("POST", "/_control/github/merge", async (req) => {
    const p = parseWith(mergeSchema, bodyObject(req), bad);
    const repo = repoByName(ctx, p.repo);
    const since = ctx.state.deliveries.length;
    const pull = findPull(ctx, repo, String(p.number));
    const sha = await mergePull(ctx, repo, pull);
    return json(201, {
      sha,
      pull_request: await pullJson(ctx, repo, pull),
      deliveries: deliveryRefs(ctx, since),
    });
  });

  // A deployment of `ref` (default branch by default) and a status on it: what a CD system reports.
  router.add("POST", "/_control/github/deployment-status", async (req) => {
    const p = parseWith(deploySchema, bodyObject(req), bad);
    const repo = repoByName(ctx, p.repo);
    const since = ctx.state.deliveries.length;
    const d = p.deployment_id
      ? ctx.state.github.deployments.find((x) => x.id === p.deployment_id && x.repoId === repo.id)
      : await createDeployment(ctx, repo, {
          ref: p.ref ?? repo.defaultBranch,
          environment: p.environment,
          description: p.description ?? null,
        });
    if (!d) throw new ProviderError(404, { error: "no such deployment" });
    const s = await addDeploymentStatus(ctx, repo, d, {
      state: p.state,
      environment_url: p.environment_url,
      description: p.description,
    });
    return json(201, {
      deployment: deploymentJson(ctx, repo, d),
      deployment_status: statusJson(ctx, repo, d, s),
      deliveries: deliveryRefs(ctx, since),
    });
  });
}
