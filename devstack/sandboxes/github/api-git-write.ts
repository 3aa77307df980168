import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, type SandboxRequest, type SandboxResponse } from "../http";
import type { Router } from "../router";
import type { GithubPull, GithubRepo } from "../state";
import { deliverPullEvent, findPull, mergePullApi, pullJson } from "./api-pulls";
import * as repos from "./api-repos";
import { requireInstallation, requireRepo } from "./auth";
import {
  accountJson,
  apiBase,
  fullName,
  ghError,
  notFound,
  validationFailed,
  webBase,
} from "./common";
import * as g from "./git";

/**
 * GitHub's Git Data API, the writes an App makes to open a pull request without a clone: blobs,
 * trees (on a `base_tree`), commits, refs (`docs.github.com/rest/git`), plus requested reviewers
 * on a pull request. And a record of every call the app must never make (merge, force-push,
 * branch deletion, repository settings): those still behave as GitHub would, but each is kept in
 * `destructiveCalls` so a test can assert that none happened (`GET /_control/github/app-writes`).
 */

const sha40 = z.string().regex(/^[0-9a-f]{40}$/);
const person = z.object({
  name: z.string().min(1),
  email: z.string().email(),
  date: z.string().optional(),
});
const blobSchema = z.object({
  content: z.string().max(100 * 1024 * 1024),
  encoding: z.enum(["utf-8", "base64"]).default("utf-8"),
});
const treeEntrySchema = z.object({
  path: z.string().min(1).max(4096),
  mode: z.enum(["100644", "100755", "040000", "160000", "120000"]),
  type: z.enum(["blob", "tree", "commit"]),
  // null deletes the path from the base tree, as GitHub documents
  sha: sha40.nullable().optional(),
  content: z.string().optional(),
});
const treeSchema = z.object({
  tree: z.array(treeEntrySchema).min(1).max(10_000),
  base_tree: sha40.optional(),
});
const commitSchema = z.object({
  message: z.string().min(1).max(65_536),
  tree: sha40,
  parents: z.array(sha40).max(8).default([]),
  author: person.optional(),
  committer: person.optional(),
});
const reviewersSchema = z.object({
  reviewers: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,39}$/))
    .max(15)
    .default([]),
  team_reviewers: z
    .array(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/))
    .max(15)
    .default([]),
});

/** A call the app must never make, as recorded by the sandbox. */
export interface DestructiveCall {
  at: string;
  installationId: number;
  repo: string;
  kind: "merge" | "force-push" | "delete-ref" | "repository-settings";
  target: string;
}
const destructiveCalls: DestructiveCall[] = [];

const BOT = {
  name: "patchline-sandbox[bot]",
  email: "424242+patchline-sandbox[bot]@users.noreply.github.com",
};

const api = (ctx: SandboxContext, repo: GithubRepo) => `${apiBase(ctx)}/repos/${fullName(repo)}`;

async function objectType(repo: GithubRepo, sha: string): Promise<string | undefined> {
  try {
    return (await g.git(repo.gitDir, ["cat-file", "-t", sha])).toString().trim();
  } catch {
    return undefined;
  }
}

async function createBlob(ctx: SandboxContext, req: SandboxRequest, o: string, r: string) {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(blobSchema, bodyObject(req), validationFailed);
  const bytes = Buffer.from(b.content, b.encoding === "base64" ? "base64" : "utf8");
  const sha = (await g.git(repo.gitDir, ["hash-object", "-w", "--stdin"], { input: bytes }))
    .toString()
    .trim();
  return json(201, { sha, url: `${api(ctx, repo)}/git/blobs/${sha}` });
}

async function getBlob(ctx: SandboxContext, req: SandboxRequest, o: string, r: string, s: string) {
  const repo = requireRepo(ctx, req, o, r);
  if (!/^[0-9a-f]{40}$/.test(s) || (await objectType(repo, s)) !== "blob") throw notFound();
  const bytes = await g.readBlob(repo.gitDir, s);
  return json(200, {
    sha: s,
    node_id: Buffer.from(`04:Blob${s}`).toString("base64"),
    size: bytes.length,
    url: `${api(ctx, repo)}/git/blobs/${s}`,
    content: bytes.toString("base64").replace(/(.{60})/g, "$1\n"),
    encoding: "base64",
  });
}

/**
 * `POST /git/trees`: the base tree (if any) with the entries applied on top, through a private
 * index, so the result is exactly the tree git would write.
 */
async function createTree(ctx: SandboxContext, req: SandboxRequest, o: string, r: string) {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(treeSchema, bodyObject(req), validationFailed);
  if (b.base_tree && !(await g.resolveTree(repo.gitDir, b.base_tree)))
    throw ghError(422, "Invalid tree info", [{ resource: "Tree", field: "base_tree" }]);
  const tmp = await mkdtemp(path.join(tmpdir(), "sbx-tree-"));
  const env = { GIT_INDEX_FILE: path.join(tmp, "index") };
  try {
    if (b.base_tree) await g.git(repo.gitDir, ["read-tree", b.base_tree], { env });
    else await g.git(repo.gitDir, ["read-tree", "--empty"], { env });
    // `update-index --index-info` works without a work tree (`--force-remove` does not); mode 0
    // with the null sha removes a path
    const lines: string[] = [];
    for (const e of b.tree) {
      const clean = e.path.replace(/^\/+/, "");
      if (
        // biome-ignore lint/suspicious/noControlCharactersInRegex: a tab or newline would forge an index line
        /[\u0000-\u001f]/.test(clean) ||
        clean.split("/").some((seg) => seg === "" || seg === "." || seg === "..")
      )
        throw ghError(422, "tree.path contains a malformed path component");
      if (e.sha === null) {
        lines.push(`0 ${"0".repeat(40)}\t${clean}`);
        continue;
      }
      if (e.type === "tree") throw ghError(422, "Sub-trees by sha are not supported here");
      let blob = e.sha;
      if (e.content !== undefined) {
        blob = (await g.git(repo.gitDir, ["hash-object", "-w", "--stdin"], { input: e.content }))
          .toString()
          .trim();
      }
      if (!blob) throw ghError(422, "Must supply either tree.sha or tree.content");
      if (e.type === "blob" && (await objectType(repo, blob)) !== "blob")
        throw ghError(422, "Invalid tree info", [{ resource: "Tree", field: "sha" }]);
      lines.push(`${e.mode} ${blob}\t${clean}`);
    }
    await g.git(repo.gitDir, ["update-index", "--index-info"], {
      env,
      input: `${lines.join("\n")}\n`,
    });
    const sha = (await g.git(repo.gitDir, ["write-tree"], { env })).toString().trim();
    const entries = await g.lsTree(repo.gitDir, sha);
    return json(201, {
      sha,
      url: `${api(ctx, repo)}/git/trees/${sha}`,
      tree: entries.map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== undefined ? { size: e.size } : {}),
        url: `${api(ctx, repo)}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
      })),
      truncated: false,
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function gitCommitJson(ctx: SandboxContext, repo: GithubRepo, c: g.CommitInfo) {
  return {
    sha: c.sha,
    node_id: Buffer.from(`04:Commit${c.sha}`).toString("base64"),
    url: `${api(ctx, repo)}/git/commits/${c.sha}`,
    html_url: `${webBase(ctx)}/${fullName(repo)}/commit/${c.sha}`,
    author: c.author,
    committer: c.committer,
    message: c.message,
    tree: { sha: c.tree, url: `${api(ctx, repo)}/git/trees/${c.tree}` },
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api(ctx, repo)}/git/commits/${p}`,
      html_url: `${webBase(ctx)}/${fullName(repo)}/commit/${p}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null },
  };
}

/** `POST /git/commits`: a commit object; no ref moves until `PATCH /git/refs/heads/{b}`. */
async function createCommit(ctx: SandboxContext, req: SandboxRequest, o: string, r: string) {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(commitSchema, bodyObject(req), validationFailed);
  if ((await objectType(repo, b.tree)) !== "tree")
    throw ghError(422, "Tree SHA does not exist", [{ resource: "Commit", field: "tree" }]);
  for (const p of b.parents)
    if ((await objectType(repo, p)) !== "commit")
      throw ghError(422, "Parent SHA does not exist or is not a commit object");
  const who = b.author ?? b.committer ?? BOT;
  const sha = await g.commitTree(repo.gitDir, b.tree, b.parents, b.message, who);
  return json(201, gitCommitJson(ctx, repo, await g.commitInfo(repo.gitDir, sha)));
}

async function getGitCommit(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  s: string,
) {
  const repo = requireRepo(ctx, req, o, r);
  if (!/^[0-9a-f]{40}$/.test(s) || (await objectType(repo, s)) !== "commit") throw notFound();
  return json(200, gitCommitJson(ctx, repo, await g.commitInfo(repo.gitDir, s)));
}

/** `GET /git/refs` and `/git/matching-refs/{prefix}`: branch refs, as `refs/heads/…`. */
async function listRefs(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  prefix = "",
) {
  const repo = requireRepo(ctx, req, o, r);
  const want = prefix ? `refs/${prefix}` : "refs/";
  const list = (await g.branches(repo.gitDir))
    .map((b) => ({ ref: `refs/heads/${b.name}`, sha: b.sha }))
    .filter((x) => x.ref.startsWith(want));
  return json(
    200,
    list.map((x) => ({
      ref: x.ref,
      node_id: Buffer.from(`03:Ref${repo.id}:${x.ref}`).toString("base64"),
      url: `${api(ctx, repo)}/git/${x.ref}`,
      object: { sha: x.sha, type: "commit", url: `${api(ctx, repo)}/git/commits/${x.sha}` },
    })),
  );
}

type PullWithReviewers = GithubPull & { requestedReviewers?: string[]; requestedTeams?: string[] };

async function reviewersJson(ctx: SandboxContext, repo: GithubRepo, p: PullWithReviewers) {
  return {
    ...(await pullJson(ctx, repo, p)),
    requested_reviewers: (p.requestedReviewers ?? []).map((l) => accountJson(ctx, l, "User")),
    requested_teams: (p.requestedTeams ?? []).map((slug) => ({
      name: slug,
      slug,
      id: accountJson(ctx, `${repo.owner}/${slug}`).id,
    })),
  };
}

/**
 * `POST /pulls/{n}/requested_reviewers`: GitHub refuses the PR's author (422) and delivers one
 * `pull_request.review_requested` per reviewer or team.
 */
async function requestReviewers(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  n: string,
) {
  const repo = requireRepo(ctx, req, o, r);
  const p = findPull(ctx, repo, n) as PullWithReviewers;
  const b = parseWith(reviewersSchema, bodyObject(req), validationFailed);
  if (b.reviewers.some((l) => l.toLowerCase() === p.user.toLowerCase()))
    throw ghError(422, "Review cannot be requested from pull request author.");
  const users = b.reviewers.filter((l) => !(p.requestedReviewers ?? []).includes(l));
  const teams = b.team_reviewers.filter((t) => !(p.requestedTeams ?? []).includes(t));
  p.requestedReviewers = [...(p.requestedReviewers ?? []), ...users];
  p.requestedTeams = [...(p.requestedTeams ?? []), ...teams];
  ctx.store.changed();
  for (const login of users)
    await deliverPullEvent(ctx, repo, p, "review_requested", {
      requested_reviewer: accountJson(ctx, login, "User"),
    });
  for (const slug of teams)
    await deliverPullEvent(ctx, repo, p, "review_requested", {
      requested_team: { name: slug, slug },
    });
  return json(201, await reviewersJson(ctx, repo, p));
}

async function listRequestedReviewers(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  n: string,
) {
  const repo = requireRepo(ctx, req, o, r);
  const j = await reviewersJson(ctx, repo, findPull(ctx, repo, n) as PullWithReviewers);
  return json(200, { users: j.requested_reviewers, teams: j.requested_teams });
}

function recorded(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  kind: DestructiveCall["kind"],
  target: string,
) {
  const inst = requireInstallation(ctx, req);
  destructiveCalls.push({
    at: new Date().toISOString(),
    installationId: inst.id,
    repo: `${o}/${r}`,
    kind,
    target,
  });
}

/**
 * Registers the Git Data writes, requested reviewers, and the recording wrappers. Called before
 * the other GitHub routes, so the wrappers see merge, forced ref updates, ref deletion and
 * repository edits first (the router takes the first match), record them, then answer as before.
 */
export function registerGithubGitWrites(router: Router, ctx: SandboxContext): void {
  const r = "/github/api/repos/:owner/:repo";
  router
    .add("POST", `${r}/git/blobs`, (req, [o, n]) => createBlob(ctx, req, o!, n!))
    .add("GET", `${r}/git/blobs/:sha`, (req, [o, n, s]) => getBlob(ctx, req, o!, n!, s!))
    .add("POST", `${r}/git/trees`, (req, [o, n]) => createTree(ctx, req, o!, n!))
    .add("POST", `${r}/git/commits`, (req, [o, n]) => createCommit(ctx, req, o!, n!))
    .add("GET", `${r}/git/commits/:sha`, (req, [o, n, s]) => getGitCommit(ctx, req, o!, n!, s!))
    .add("GET", `${r}/git/refs`, (req, [o, n]) => listRefs(ctx, req, o!, n!))
    .add("GET", `${r}/git/matching-refs/*`, (req, [o, n, p]) => listRefs(ctx, req, o!, n!, p))
    .add("POST", `${r}/pulls/:num/requested_reviewers`, (req, [o, n, num]) =>
      requestReviewers(ctx, req, o!, n!, num!),
    )
    .add("GET", `${r}/pulls/:num/requested_reviewers`, (req, [o, n, num]) =>
      listRequestedReviewers(ctx, req, o!, n!, num!),
    )
    .add("PUT", `${r}/pulls/:num/merge`, (req, [o, n, num]) => {
      recorded(ctx, req, o!, n!, "merge", `#${num}`);
      return mergePullApi(ctx, req, o!, n!, num!);
    })
    .add("DELETE", `${r}/git/refs/*`, (req, [o, n, ref]) => {
      recorded(ctx, req, o!, n!, "delete-ref", ref!);
      return repos.deleteRef(ctx, req, o!, n!, ref!);
    })
    .add("PATCH", `${r}/git/refs/*`, (req, [o, n, ref]) => {
      const body = bodyObject(req) as { force?: unknown } | null;
      if (body && body.force === true) recorded(ctx, req, o!, n!, "force-push", ref!);
      return repos.updateRef(ctx, req, o!, n!, ref!);
    })
    .add("PATCH", r, (req, [o, n]): SandboxResponse => {
      recorded(ctx, req, o!, n!, "repository-settings", "PATCH");
      requireRepo(ctx, req, o!, n!);
      throw ghError(403, "Resource not accessible by integration");
    })
    .add("DELETE", r, (req, [o, n]): SandboxResponse => {
      recorded(ctx, req, o!, n!, "repository-settings", "DELETE");
      requireRepo(ctx, req, o!, n!);
      throw ghError(403, "Resource not accessible by integration");
    })
    .add("GET", "/_control/github/app-writes", () => json(200, { destructive: destructiveCalls }))
    .add("DELETE", "/_control/github/app-writes", () => {
      destructiveCalls.length = 0;
      return { status: 204 };
    });
}
