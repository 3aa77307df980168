import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith, type SandboxRequest, type SandboxResponse } from "../http";
import type { GithubRepo } from "../state";
import { requireRepo } from "./auth";
import {
  apiBase,
  fullName,
  ghError,
  notFound,
  paginate,
  repoJson,
  validationFailed,
  webBase,
} from "./common";
import * as g from "./git";
import { deliverPush } from "./push";

const putContentSchema = z.object({
  message: z.string().min(1).max(10_000),
  content: z.string().regex(/^[A-Za-z0-9+/=\s]*$/, "content must be base64"),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  branch: z.string().min(1).max(255).optional(),
  committer: z.object({ name: z.string().min(1), email: z.string().email() }).optional(),
  author: z.object({ name: z.string().min(1), email: z.string().email() }).optional(),
});
const createRefSchema = z.object({
  ref: z.string().regex(/^refs\/heads\/[\w./-]+$/),
  sha: z.string().regex(/^[0-9a-f]{40}$/),
});
const updateRefSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  force: z.boolean().default(false),
});

const BOT = {
  name: "patchline-sandbox[bot]",
  email: "424242+patchline-sandbox[bot]@users.noreply.github.com",
};

async function commitOf(repo: GithubRepo, ref: string | null | undefined): Promise<string> {
  const sha = await g.resolveCommit(repo.gitDir, ref ?? repo.defaultBranch);
  if (!sha) throw ghError(404, `No commit found for the ref ${ref ?? repo.defaultBranch}`);
  return sha;
}

export function commitJson(ctx: SandboxContext, repo: GithubRepo, c: g.CommitInfo) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  return {
    sha: c.sha,
    node_id: Buffer.from(`04:Commit${c.sha}`).toString("base64"),
    url: `${api}/commits/${c.sha}`,
    html_url: `${webBase(ctx)}/${fullName(repo)}/commit/${c.sha}`,
    commit: {
      message: c.message,
      author: c.author,
      committer: c.committer,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      url: `${api}/git/commits/${c.sha}`,
    },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}` })),
  };
}

function contentJson(
  ctx: SandboxContext,
  repo: GithubRepo,
  e: g.TreeEntry,
  ref: string,
  content?: Buffer,
) {
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const type =
    e.type === "tree"
      ? "dir"
      : e.type === "commit"
        ? "submodule"
        : e.mode === "120000"
          ? "symlink"
          : "file";
  const self = `${api}/contents/${e.path}?ref=${encodeURIComponent(ref)}`;
  return {
    type,
    name: e.path.split("/").pop() ?? "",
    path: e.path,
    sha: e.sha,
    size: e.size ?? 0,
    url: self,
    html_url: `${webBase(ctx)}/${fullName(repo)}/blob/${ref}/${e.path}`,
    git_url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
    download_url: type === "file" ? `${webBase(ctx)}/${fullName(repo)}/raw/${ref}/${e.path}` : null,
    ...(content
      ? { content: content.toString("base64").replace(/(.{60})/g, "$1\n"), encoding: "base64" }
      : {}),
    _links: {
      self,
      git: `${api}/git/blobs/${e.sha}`,
      html: `${webBase(ctx)}/${fullName(repo)}/blob/${ref}/${e.path}`,
    },
  };
}

export function getRepo(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): SandboxResponse {
  return json(200, repoJson(ctx, requireRepo(ctx, req, o, r)));
}

/**
 * `GET /repos/{o}/{r}/contents/{path}?ref=`: a file (base64, or the raw bytes when the Accept
 * header asks for `application/vnd.github.raw`), or a directory listing.
 */
export async function getContents(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  p: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const ref = req.url.searchParams.get("ref") ?? repo.defaultBranch;
  const sha = await commitOf(repo, ref);
  const clean = p.replace(/^\/+|\/+$/g, "");
  const entry = await g.entryAt(repo.gitDir, sha, clean);
  if (!entry) throw notFound();
  if (entry.type === "tree") {
    const list = await g.lsTree(repo.gitDir, `${sha}:${clean}`);
    return json(
      200,
      list.map((e) =>
        contentJson(ctx, repo, { ...e, path: clean ? `${clean}/${e.path}` : e.path }, ref),
      ),
    );
  }
  const blob = await g.readBlob(repo.gitDir, entry.sha);
  if (String(req.headers.accept ?? "").includes("raw")) {
    return {
      status: 200,
      body: blob,
      headers: { "content-type": "application/vnd.github.raw; charset=utf-8" },
    };
  }
  return json(200, contentJson(ctx, repo, entry, ref, blob));
}

/** `PUT /repos/{o}/{r}/contents/{path}`: creates or updates one file in a new commit on a branch. */
export async function putContents(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  p: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(putContentSchema, bodyObject(req), validationFailed);
  const branch = b.branch ?? repo.defaultBranch;
  const parent = await g.resolveCommit(repo.gitDir, `refs/heads/${branch}`);
  if (!parent) throw ghError(404, `Branch ${branch} not found`);
  const existing = await g.entryAt(repo.gitDir, parent, p);
  if (existing && !b.sha) throw ghError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  if (existing && b.sha !== existing.sha) throw ghError(409, `${p} does not match ${b.sha}`);
  const who = b.author ?? b.committer ?? BOT;
  const sha = await g.commitFiles(repo.gitDir, {
    parent,
    files: { [p]: Buffer.from(b.content, "base64") },
    message: b.message,
    author: who,
  });
  await g.updateRef(repo.gitDir, `refs/heads/${branch}`, sha);
  await deliverPush(ctx, repo, branch, parent, sha);
  const entry = (await g.entryAt(repo.gitDir, sha, p))!;
  const c = await g.commitInfo(repo.gitDir, sha);
  return json(existing ? 200 : 201, {
    content: contentJson(ctx, repo, entry, branch),
    commit: { sha, ...commitJson(ctx, repo, c).commit },
  });
}

/** `GET /repos/{o}/{r}/git/trees/{sha}?recursive=1` (a branch name works too, as on GitHub). */
export async function getTree(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const tree = await g.resolveTree(repo.gitDir, ref);
  if (!tree) throw notFound();
  const recursive = ["1", "true"].includes(req.url.searchParams.get("recursive") ?? "");
  const entries = await g.lsTree(repo.gitDir, tree, { recursive });
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  return json(200, {
    sha: tree,
    url: `${api}/git/trees/${tree}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size !== undefined ? { size: e.size } : {}),
      url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
    })),
    truncated: false,
  });
}

const refJson = (ctx: SandboxContext, repo: GithubRepo, name: string, sha: string) => ({
  ref: `refs/heads/${name}`,
  node_id: Buffer.from(`03:Ref${repo.id}:${name}`).toString("base64"),
  url: `${apiBase(ctx)}/repos/${fullName(repo)}/git/refs/heads/${name}`,
  object: {
    sha,
    type: "commit",
    url: `${apiBase(ctx)}/repos/${fullName(repo)}/git/commits/${sha}`,
  },
});

export async function getRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const name = ref.replace(/^heads\//, "");
  const sha = await g.resolveCommit(repo.gitDir, `refs/heads/${name}`);
  if (!ref.startsWith("heads/") || !sha) throw notFound();
  return json(200, refJson(ctx, repo, name, sha));
}

/** `POST /repos/{o}/{r}/git/refs`: a new branch (how an App starts a pull request). */
export async function createRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(createRefSchema, bodyObject(req), validationFailed);
  const name = b.ref.slice("refs/heads/".length);
  if (await g.resolveCommit(repo.gitDir, b.ref)) throw ghError(422, "Reference already exists");
  if (!(await g.resolveCommit(repo.gitDir, b.sha))) throw ghError(422, "Object does not exist");
  await g.updateRef(repo.gitDir, b.ref, b.sha);
  await deliverPush(ctx, repo, name, undefined, b.sha);
  return json(201, refJson(ctx, repo, name, b.sha));
}

export async function updateRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const b = parseWith(updateRefSchema, bodyObject(req), validationFailed);
  const name = ref.replace(/^heads\//, "");
  const before = await g.resolveCommit(repo.gitDir, `refs/heads/${name}`);
  if (!before) throw ghError(422, "Reference does not exist");
  if (!(await g.resolveCommit(repo.gitDir, b.sha))) throw ghError(422, "Object does not exist");
  const ff = await g.isAncestor(repo.gitDir, before, b.sha);
  if (!ff && !b.force) throw ghError(422, "Update is not a fast forward");
  await g.updateRef(repo.gitDir, `refs/heads/${name}`, b.sha);
  await deliverPush(ctx, repo, name, before, b.sha, { forced: !ff });
  return json(200, refJson(ctx, repo, name, b.sha));
}

export async function deleteRef(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const name = ref.replace(/^heads\//, "");
  if (name === repo.defaultBranch || !(await g.resolveCommit(repo.gitDir, `refs/heads/${name}`)))
    throw ghError(422, "Reference does not exist");
  await g.deleteRef(repo.gitDir, `refs/heads/${name}`);
  return { status: 204 };
}

export async function listBranches(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const all = (await g.branches(repo.gitDir)).map((b) => ({
    name: b.name,
    commit: { sha: b.sha, url: `${api}/commits/${b.sha}` },
    protected: false,
  }));
  const page = paginate(req, all);
  return json(200, page.items, page.headers);
}

export async function getBranch(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  name: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const sha = await g.resolveCommit(repo.gitDir, `refs/heads/${name}`);
  if (!sha) throw ghError(404, "Branch not found");
  const c = await g.commitInfo(repo.gitDir, sha);
  return json(200, {
    name,
    commit: commitJson(ctx, repo, c),
    protected: false,
    _links: {
      self: `${apiBase(ctx)}/repos/${fullName(repo)}/branches/${name}`,
      html: `${webBase(ctx)}/${fullName(repo)}/tree/${name}`,
    },
  });
}

/**
 * `GET /repos/{o}/{r}/commits?sha=&path=&since=&per_page=&page=`. `since` keeps commits whose
 * commit date is at or after it (as GitHub filters); the `Link` header names the next page and,
 * like GitHub's, the last one, so a client can count the commits with `per_page=1`.
 */
export async function listCommits(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const sha = await commitOf(repo, req.url.searchParams.get("sha"));
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.url.searchParams.get("per_page") ?? 30) || 30),
  );
  const page = Math.max(1, Number(req.url.searchParams.get("page") ?? 1) || 1);
  const path = req.url.searchParams.get("path") ?? undefined;
  const sinceParam = req.url.searchParams.get("since");
  const sinceDate = sinceParam ? new Date(sinceParam) : null;
  if (sinceDate && Number.isNaN(sinceDate.getTime()))
    throw ghError(422, "Invalid value for since: it must be an ISO 8601 timestamp.");
  const since = sinceDate?.toISOString();
  const list = await g.log(repo.gitDir, sha, {
    max: perPage + 1,
    skip: (page - 1) * perPage,
    path,
    since,
  });
  const headers: Record<string, string> = {};
  if (list.length > perPage) {
    const link = (n: number, rel: string) => {
      const u = new URL(req.url);
      u.searchParams.set("page", String(n));
      u.searchParams.set("per_page", String(perPage));
      return `<${u}>; rel="${rel}"`;
    };
    const total = await g.countCommits(repo.gitDir, sha, { path, since });
    headers.link = [link(page + 1, "next"), link(Math.ceil(total / perPage), "last")].join(", ");
  }
  return json(
    200,
    list.slice(0, perPage).map((c) => commitJson(ctx, repo, c)),
    headers,
  );
}

export async function getCommit(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  ref: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const sha = await g.resolveCommit(repo.gitDir, ref);
  if (!sha) throw ghError(422, `No commit found for SHA: ${ref}`);
  const c = await g.commitInfo(repo.gitDir, sha);
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  const files = (await g.commitPatches(repo.gitDir, sha)).map((f) => ({
    sha: null as string | null,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: `${webBase(ctx)}/${fullName(repo)}/blob/${sha}/${f.filename}`,
    raw_url: `${webBase(ctx)}/${fullName(repo)}/raw/${sha}/${f.filename}`,
    contents_url: `${api}/contents/${f.filename}?ref=${sha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
  }));
  const stats = files.reduce(
    (t, f) => ({
      additions: t.additions + f.additions,
      deletions: t.deletions + f.deletions,
      total: t.total + f.changes,
    }),
    { additions: 0, deletions: 0, total: 0 },
  );
  return json(200, { ...commitJson(ctx, repo, c), stats, files });
}

const codeloads = new Map<
  string,
  { gitDir: string; sha: string; prefix: string; expires: number }
>();

/** `GET /repos/{o}/{r}/tarball/{ref}`: a 302 to a short-lived codeload URL, as GitHub answers. */
export async function tarballRedirect(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  ref: string | undefined,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const sha = await commitOf(repo, ref);
  const key = randomBytes(16).toString("hex");
  for (const [k, v] of codeloads) if (v.expires < Date.now()) codeloads.delete(k);
  codeloads.set(key, {
    gitDir: repo.gitDir,
    sha,
    prefix: `${repo.owner}-${repo.name}-${sha.slice(0, 7)}`,
    expires: Date.now() + 5 * 60_000,
  });
  return {
    status: 302,
    headers: {
      location: `${ctx.sandboxUrl}/github/codeload/${fullName(repo)}/legacy.tar.gz/${sha}?token=${key}`,
    },
  };
}

export async function codeload(req: SandboxRequest): Promise<SandboxResponse> {
  const found = codeloads.get(req.url.searchParams.get("token") ?? "");
  if (!found || found.expires < Date.now())
    return { status: 404, body: "404: Not Found", headers: { "content-type": "text/plain" } };
  const tgz = await g.tarball(found.gitDir, found.sha, found.prefix);
  return {
    status: 200,
    body: tgz,
    headers: {
      "content-type": "application/x-gzip",
      "content-disposition": `attachment; filename=${found.prefix}.tar.gz`,
    },
  };
}
