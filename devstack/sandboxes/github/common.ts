import { createHash } from "node:crypto";
import type { SandboxContext } from "../context";
import { ProviderError, type SandboxRequest } from "../http";
import type { GithubInstallation, GithubRepo } from "../state";

const DOCS = "https://docs.github.com/rest";

/** GitHub's error body: `{ message, documentation_url, status }`. */
export const ghError = (status: number, message: string, errors?: unknown[]) =>
  new ProviderError(status, {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: DOCS,
    status: String(status),
  });
export const notFound = () => ghError(404, "Not Found");
export const validationFailed = (message: string) =>
  ghError(422, "Validation Failed", [{ resource: "Request", code: "invalid", message }]);

export const apiBase = (ctx: SandboxContext) => `${ctx.sandboxUrl}/github/api`;
export const webBase = (ctx: SandboxContext) => `${ctx.sandboxUrl}/github/web`;

/** A stable numeric id for an account login (GitHub ids are numbers). */
export function accountId(login: string): number {
  return 100_000 + (createHash("sha256").update(login).digest().readUInt32BE(0) % 9_000_000);
}

export function accountJson(
  ctx: SandboxContext,
  login: string,
  type: "User" | "Organization" | "Bot" = "Organization",
) {
  const id = accountId(login);
  return {
    login,
    id,
    node_id: Buffer.from(`04:${type}${id}`).toString("base64"),
    avatar_url: `${webBase(ctx)}/${login}.png`,
    url: `${apiBase(ctx)}/users/${login}`,
    html_url: `${webBase(ctx)}/${login}`,
    type,
    site_admin: false,
  };
}

/** The person who clicks in the sandbox pages and CLI. */
export const SENDER = "sandbox-dev";
export const senderJson = (ctx: SandboxContext) => accountJson(ctx, SENDER, "User");

export const fullName = (r: GithubRepo) => `${r.owner}/${r.name}`;

export function repoJson(ctx: SandboxContext, r: GithubRepo) {
  const api = `${apiBase(ctx)}/repos/${fullName(r)}`;
  return {
    id: r.id,
    node_id: Buffer.from(`010:Repository${r.id}`).toString("base64"),
    name: r.name,
    full_name: fullName(r),
    private: r.private,
    owner: accountJson(ctx, r.owner),
    html_url: `${webBase(ctx)}/${fullName(r)}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    contents_url: `${api}/contents/{+path}`,
    pulls_url: `${api}/pulls{/number}`,
    default_branch: r.defaultBranch,
    visibility: r.private ? "private" : "public",
    archived: false,
    disabled: false,
  };
}

export function findRepo(ctx: SandboxContext, owner: string, name: string): GithubRepo {
  const r = ctx.state.github.repos.find(
    (x) =>
      x.owner.toLowerCase() === owner.toLowerCase() && x.name.toLowerCase() === name.toLowerCase(),
  );
  if (!r) throw notFound();
  return r;
}

/** Repositories an installation may see: all of its account's, or the selected ones. */
export function installationRepos(ctx: SandboxContext, inst: GithubInstallation): GithubRepo[] {
  return ctx.state.github.repos.filter((r) =>
    inst.selection === "all" ? r.owner === inst.account : inst.repositoryIds.includes(r.id),
  );
}

/**
 * `per_page`/`page` slicing with a `Link` header, so octokit's paginate() walks every page.
 */
export function paginate<T>(
  req: SandboxRequest,
  items: T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.url.searchParams.get("per_page") ?? 30) || 30),
  );
  const page = Math.max(1, Number(req.url.searchParams.get("page") ?? 1) || 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(req.url);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(p));
    return `<${u}>; rel="${rel}"`;
  };
  const rels: string[] = [];
  if (page < last) rels.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) rels.push(link(1, "first"), link(page - 1, "prev"));
  return { items: slice, headers: rels.length ? { link: rels.join(", ") } : {} };
}
