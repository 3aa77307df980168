import type { SandboxContext } from "../context";
import type { Router } from "../router";
import * as app from "./api-app";
import * as deployments from "./api-deployments";
import { registerGithubGitWrites } from "./api-git-write";
import * as pulls from "./api-pulls";
import * as repos from "./api-repos";
import { registerGithubControl } from "./control";
import { installPage, submitInstall } from "./install-flow";

/** GitHub: REST under `/github/api`, the web flow under `/github/web`, tarballs under `/github/codeload`. */
export function registerGithub(router: Router, ctx: SandboxContext): void {
  const w = "/github/web";
  const a = "/github/api";
  const r = `${a}/repos/:owner/:repo`;
  registerGithubGitWrites(router, ctx); // first: its wrappers record merges, force-pushes, deletions
  router
    .add("GET", `${w}/apps/:slug/installations/new`, (req, [slug]) => {
      if (slug !== ctx.credentials.GITHUB_APP_SLUG)
        return { status: 404, html: "<p>Not Found</p>" };
      return installPage(ctx, req);
    })
    .add("POST", `${w}/apps/:slug/installations/new`, (req) => submitInstall(ctx, req))
    .add("GET", `${w}/settings/installations/:id`, (req, [id]) => {
      const inst = ctx.state.github.installations.find((i) => String(i.id) === id);
      return inst ? installPage(ctx, req, inst) : { status: 404, html: "<p>Not Found</p>" };
    })
    .add("POST", `${w}/settings/installations/:id`, (req, [id]) => submitInstall(ctx, req, id))
    .add("GET", "/github/codeload/*", (req) => repos.codeload(req))
    .add("GET", `${a}/app`, (req) => app.getApp(ctx, req))
    .add("GET", `${a}/app/installations`, (req) => app.listInstallations(ctx, req))
    .add("GET", `${a}/app/installations/:id`, (req, [id]) => app.getInstallation(ctx, req, id!))
    .add("DELETE", `${a}/app/installations/:id`, (req, [id]) =>
      app.deleteInstallation(ctx, req, id!),
    )
    .add("POST", `${a}/app/installations/:id/access_tokens`, (req, [id]) =>
      app.createAccessToken(ctx, req, id!),
    )
    .add("GET", `${a}/installation/repositories`, (req) => app.installationRepositories(ctx, req))
    .add("DELETE", `${a}/installation/token`, (req) => app.revokeInstallationToken(ctx, req))
    .add("GET", r, (req, [o, n]) => repos.getRepo(ctx, req, o!, n!))
    .add("GET", `${r}/contents`, (req, [o, n]) => repos.getContents(ctx, req, o!, n!, ""))
    .add("GET", `${r}/contents/*`, (req, [o, n, p]) => repos.getContents(ctx, req, o!, n!, p!))
    .add("PUT", `${r}/contents/*`, (req, [o, n, p]) => repos.putContents(ctx, req, o!, n!, p!))
    .add("GET", `${r}/git/trees/:sha`, (req, [o, n, s]) => repos.getTree(ctx, req, o!, n!, s!))
    .add("GET", `${r}/git/ref/*`, (req, [o, n, ref]) => repos.getRef(ctx, req, o!, n!, ref!))
    .add("POST", `${r}/git/refs`, (req, [o, n]) => repos.createRef(ctx, req, o!, n!))
    .add("PATCH", `${r}/git/refs/*`, (req, [o, n, ref]) => repos.updateRef(ctx, req, o!, n!, ref!))
    .add("DELETE", `${r}/git/refs/*`, (req, [o, n, ref]) => repos.deleteRef(ctx, req, o!, n!, ref!))
    .add("GET", `${r}/branches`, (req, [o, n]) => repos.listBranches(ctx, req, o!, n!))
    .add("GET", `${r}/branches/*`, (req, [o, n, b]) => repos.getBranch(ctx, req, o!, n!, b!))
    .add("GET", `${r}/commits`, (req, [o, n]) => repos.listCommits(ctx, req, o!, n!))
    .add("GET", `${r}/commits/*`, (req, [o, n, ref]) => repos.getCommit(ctx, req, o!, n!, ref!))
    .add("GET", `${r}/tarball`, (req, [o, n]) => repos.tarballRedirect(ctx, req, o!, n!, undefined))
    .add("GET", `${r}/tarball/*`, (req, [o, n, ref]) =>
      repos.tarballRedirect(ctx, req, o!, n!, ref),
    )
    .add("GET", `${r}/pulls`, (req, [o, n]) => pulls.listPulls(ctx, req, o!, n!))
    .add("POST", `${r}/pulls`, (req, [o, n]) => pulls.createPull(ctx, req, o!, n!))
    .add("GET", `${r}/pulls/:num`, (req, [o, n, num]) => pulls.getPull(ctx, req, o!, n!, num!))
    .add("PATCH", `${r}/pulls/:num`, (req, [o, n, num]) => pulls.updatePull(ctx, req, o!, n!, num!))
    .add("PUT", `${r}/pulls/:num/merge`, (req, [o, n, num]) =>
      pulls.mergePullApi(ctx, req, o!, n!, num!),
    )
    .add("GET", `${r}/deployments`, (req, [o, n]) => deployments.listDeployments(ctx, req, o!, n!))
    .add("POST", `${r}/deployments`, (req, [o, n]) =>
      deployments.createDeploymentApi(ctx, req, o!, n!),
    )
    .add("GET", `${r}/deployments/:id`, (req, [o, n, id]) =>
      deployments.getDeployment(ctx, req, o!, n!, id!),
    )
    .add("GET", `${r}/deployments/:id/statuses`, (req, [o, n, id]) =>
      deployments.listStatuses(ctx, req, o!, n!, id!),
    )
    .add("POST", `${r}/deployments/:id/statuses`, (req, [o, n, id]) =>
      deployments.createStatusApi(ctx, req, o!, n!, id!),
    );
  registerGithubControl(router, ctx);
}
