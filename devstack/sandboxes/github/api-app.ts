import { z } from "zod";
import type { SandboxContext } from "../context";
import {
  bearerToken,
  bodyObject,
  json,
  parseWith,
  type SandboxRequest,
  type SandboxResponse,
} from "../http";
import { issueToken, liveToken, revokeToken } from "../tokens";
import { INSTALLATION_TOKEN_TTL_SECONDS, requireAppJwt, requireInstallation } from "./auth";
import {
  accountJson,
  ghError,
  installationRepos,
  notFound,
  paginate,
  repoJson,
  validationFailed,
  webBase,
} from "./common";
import { EVENTS, installationJson, PERMISSIONS } from "./events";
import { uninstall } from "./install-flow";

const accessTokenSchema = z
  .object({
    repositories: z.array(z.string()).optional(),
    repository_ids: z.array(z.number().int()).optional(),
    permissions: z.record(z.string(), z.string()).optional(),
  })
  .default({});

function findInstallation(ctx: SandboxContext, id: string) {
  const inst = ctx.state.github.installations.find((i) => String(i.id) === id);
  if (!inst) throw notFound();
  return inst;
}

/** `GET /app` (App JWT). */
export async function getApp(ctx: SandboxContext, req: SandboxRequest): Promise<SandboxResponse> {
  await requireAppJwt(ctx, req);
  return json(200, {
    id: Number(ctx.credentials.GITHUB_APP_ID),
    slug: ctx.credentials.GITHUB_APP_SLUG,
    name: "Patchline (sandbox)",
    owner: accountJson(ctx, "patchline"),
    html_url: `${webBase(ctx)}/apps/${ctx.credentials.GITHUB_APP_SLUG}`,
    permissions: PERMISSIONS,
    events: EVENTS,
    installations_count: ctx.state.github.installations.length,
  });
}

export async function listInstallations(
  ctx: SandboxContext,
  req: SandboxRequest,
): Promise<SandboxResponse> {
  await requireAppJwt(ctx, req);
  const page = paginate(
    req,
    ctx.state.github.installations.map((i) => installationJson(ctx, i)),
  );
  return json(200, page.items, page.headers);
}

export async function getInstallation(
  ctx: SandboxContext,
  req: SandboxRequest,
  id: string,
): Promise<SandboxResponse> {
  await requireAppJwt(ctx, req);
  return json(200, installationJson(ctx, findInstallation(ctx, id)));
}

/** `DELETE /app/installations/{id}`: the App uninstalls itself (disconnect). */
export async function deleteInstallation(
  ctx: SandboxContext,
  req: SandboxRequest,
  id: string,
): Promise<SandboxResponse> {
  await requireAppJwt(ctx, req);
  const inst = findInstallation(ctx, id);
  uninstall(ctx, inst);
  return { status: 204 };
}

/** `POST /app/installations/{id}/access_tokens`: a `ghs_sbx…` token, one hour. */
export async function createAccessToken(
  ctx: SandboxContext,
  req: SandboxRequest,
  id: string,
): Promise<SandboxResponse> {
  await requireAppJwt(ctx, req);
  const inst = findInstallation(ctx, id);
  if (inst.suspended) throw ghError(403, "This installation has been suspended");
  const p = parseWith(accessTokenSchema, bodyObject(req), validationFailed);
  const visible = installationRepos(ctx, inst);
  if (
    p.repository_ids?.some((rid) => !visible.some((r) => r.id === rid)) ||
    p.repositories?.some((n) => !visible.some((r) => r.name === n))
  ) {
    throw validationFailed(
      "There is at least one repository that does not exist or is not accessible to the parent installation.",
    );
  }
  const token = issueToken(ctx, {
    prefix: "ghs_sbx",
    provider: "github",
    kind: "installation",
    account: String(inst.id),
    ttlSeconds: INSTALLATION_TOKEN_TTL_SECONDS,
  });
  return json(201, {
    token: token.value,
    expires_at: token.expiresAt!.replace(/\.\d{3}Z$/, "Z"),
    permissions: PERMISSIONS,
    repository_selection: inst.selection,
  });
}

/** `GET /installation/repositories` (installation token). */
export function installationRepositories(
  ctx: SandboxContext,
  req: SandboxRequest,
): SandboxResponse {
  const inst = requireInstallation(ctx, req);
  const all = installationRepos(ctx, inst);
  const page = paginate(req, all);
  return json(
    200,
    {
      total_count: all.length,
      repository_selection: inst.selection,
      repositories: page.items.map((r) => repoJson(ctx, r)),
    },
    page.headers,
  );
}

/** `DELETE /installation/token`: revokes the token used. */
export function revokeInstallationToken(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  requireInstallation(ctx, req);
  const t = liveToken(ctx, bearerToken(req), "github", ["installation"]);
  if (t) revokeToken(ctx, t);
  return { status: 204 };
}
