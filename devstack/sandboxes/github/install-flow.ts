import { z } from "zod";
import { escapeHtml } from "../../shared/http";
import type { SandboxContext } from "../context";
import {
  bodyObject,
  html,
  queryObject,
  redirect,
  type SandboxRequest,
  type SandboxResponse,
} from "../http";
import { errorPage, hiddenInputs, layout } from "../layout";
import type { GithubInstallation } from "../state";
import { accountId, fullName, installationRepos } from "./common";
import { deliverGithub, installationJson, shortRepo } from "./events";

const formSchema = z.object({
  state: z.string().max(2000).optional(),
  account: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/),
  selection: z.enum(["all", "selected"]),
  repository_ids: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(Number))),
  decision: z.enum(["install", "save", "uninstall"]),
});

function owners(ctx: SandboxContext): string[] {
  return [...new Set(ctx.state.github.repos.map((r) => r.owner))].sort();
}

/**
 * The App's installation page (`/apps/{slug}/installations/new`, and `/settings/installations/{id}`
 * to change it): pick an account and all or some of its repositories; then GitHub redirects to the
 * App's setup URL with `installation_id`, `setup_action` and the `state` it was given.
 */
export function installPage(
  ctx: SandboxContext,
  req: SandboxRequest,
  existing?: GithubInstallation,
): SandboxResponse {
  const q = queryObject(req);
  const repos = ctx.state.github.repos;
  if (repos.length === 0) {
    return html(
      200,
      errorPage(
        "No repositories yet",
        "Add one with `npm run sandbox -- github add-repo <path> --name owner/name`, then reload this page.",
      ),
    );
  }
  const accounts = existing ? [existing.account] : owners(ctx);
  const chosen = existing?.account ?? q.account ?? accounts[0]!;
  const selected = new Set(existing ? installationRepos(ctx, existing).map((r) => r.id) : []);
  const boxes = repos
    .filter((r) => r.owner === chosen)
    .map(
      (r) =>
        `<label style="font-weight:normal"><input type="checkbox" name="repository_ids" value="${r.id}" data-testid="sandbox-repo-${escapeHtml(fullName(r))}"${selected.has(r.id) ? " checked" : ""}> ${escapeHtml(fullName(r))} <span class="muted">(${escapeHtml(r.defaultBranch)})</span></label>`,
    )
    .join("");
  const options = accounts
    .map((a) => `<option${a === chosen ? " selected" : ""}>${escapeHtml(a)}</option>`)
    .join("");
  const all = existing?.selection === "all";
  const title = existing
    ? `Configure ${ctx.credentials.GITHUB_APP_SLUG}`
    : `Install ${ctx.credentials.GITHUB_APP_SLUG}`;
  const buttons = existing
    ? `<button type="submit" name="decision" value="save" data-testid="sandbox-install">Save</button>
<button type="submit" name="decision" value="uninstall" class="secondary" data-testid="sandbox-uninstall">Uninstall</button>`
    : `<button type="submit" name="decision" value="install" data-testid="sandbox-install">Install</button>`;
  return html(
    200,
    layout(
      title,
      `<div class="card consent" data-testid="sandbox-github-install"><h1 style="font-size:18px;margin-top:0">${escapeHtml(title)}</h1>
<form method="post" action="${escapeHtml(req.url.pathname)}">${hiddenInputs({ state: q.state })}
<label for="account">Account</label><select id="account" name="account">${options}</select>
<fieldset style="border:0;padding:0;margin:12px 0"><legend style="font-weight:500">Repository access</legend>
<label style="font-weight:normal"><input type="radio" name="selection" value="all"${all ? " checked" : ""}> All repositories</label>
<label style="font-weight:normal"><input type="radio" name="selection" value="selected"${all ? "" : " checked"} data-testid="sandbox-only-selected"> Only select repositories</label>
<div style="margin-left:20px">${boxes || '<p class="muted">This account has no repositories here.</p>'}</div></fieldset>
${buttons}</form></div>`,
    ),
  );
}

/** Handles the installation form: install, change the selection, or uninstall. */
export function submitInstall(
  ctx: SandboxContext,
  req: SandboxRequest,
  existingId?: string,
): SandboxResponse {
  const parsed = formSchema.safeParse(bodyObject(req));
  if (!parsed.success)
    return html(400, errorPage("Invalid request", "The installation form is incomplete."));
  const p = parsed.data;
  const repos = ctx.state.github.repos.filter((r) => r.owner === p.account);
  if (
    p.selection === "selected" &&
    (p.repository_ids.length === 0 ||
      p.repository_ids.some((id) => !repos.some((r) => r.id === id)))
  ) {
    return html(
      422,
      errorPage(
        "Pick repositories",
        "Select at least one repository of this account, or choose all repositories.",
      ),
    );
  }
  let inst = existingId
    ? ctx.state.github.installations.find((i) => String(i.id) === existingId)
    : ctx.state.github.installations.find((i) => i.account === p.account);
  if (existingId && !inst) return html(404, errorPage("Not found", "No such installation."));
  if (p.decision === "uninstall" && inst) {
    uninstall(ctx, inst);
    return html(
      200,
      layout(
        "Uninstalled",
        `<div class="card consent"><p>${escapeHtml(ctx.credentials.GITHUB_APP_SLUG)} was uninstalled from ${escapeHtml(inst.account)}.</p></div>`,
      ),
    );
  }
  let action: "install" | "update";
  if (inst) {
    const before = installationRepos(ctx, inst);
    inst.selection = p.selection;
    inst.repositoryIds = p.selection === "selected" ? p.repository_ids : [];
    const after = installationRepos(ctx, inst);
    const added = after.filter((r) => !before.some((b) => b.id === r.id));
    const removed = before.filter((r) => !after.some((a) => a.id === r.id));
    if (added.length || removed.length) {
      deliverGithub(ctx, "installation_repositories", {
        action: added.length ? "added" : "removed",
        installation: installationJson(ctx, inst),
        repository_selection: inst.selection,
        repositories_added: added.map(shortRepo),
        repositories_removed: removed.map(shortRepo),
        requester: null,
      });
    }
    action = "update";
  } else {
    inst = {
      id: ctx.store.nextId() * 11,
      account: p.account,
      accountId: accountId(p.account),
      selection: p.selection,
      repositoryIds: p.selection === "selected" ? p.repository_ids : [],
      createdAt: new Date().toISOString(),
      suspended: false,
    };
    ctx.state.github.installations.push(inst);
    deliverGithub(ctx, "installation", {
      action: "created",
      installation: installationJson(ctx, inst),
      repositories: installationRepos(ctx, inst).map(shortRepo),
      requester: null,
    });
    action = "install";
  }
  ctx.store.changed();
  const setup = new URL(ctx.githubSetupUrl);
  setup.searchParams.set("installation_id", String(inst.id));
  setup.searchParams.set("setup_action", action);
  if (p.state !== undefined) setup.searchParams.set("state", p.state);
  return redirect(setup.toString());
}

/** Removes an installation, revokes its tokens and delivers `installation.deleted`. */
export function uninstall(ctx: SandboxContext, inst: GithubInstallation): void {
  const repos = installationRepos(ctx, inst);
  ctx.state.github.installations = ctx.state.github.installations.filter((i) => i !== inst);
  const now = new Date().toISOString();
  for (const t of ctx.state.tokens)
    if (t.provider === "github" && t.account === String(inst.id)) t.revokedAt ??= now;
  ctx.store.changed();
  deliverGithub(ctx, "installation", {
    action: "deleted",
    installation: installationJson(ctx, inst),
    repositories: repos.map(shortRepo),
  });
}
