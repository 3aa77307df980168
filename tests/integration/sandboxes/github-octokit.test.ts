import { gunzipSync } from "node:zlib";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { env, formFields, postForm, sandbox } from "./helpers";

/**
 * Conformance: the GitHub sandbox driven by the official clients the app uses (@octokit/rest and
 * @octokit/auth-app, as lib/integrations chooses), not by hand-written requests.
 */
async function installOnAcme(): Promise<number> {
  const slug = env().GITHUB_APP_SLUG!;
  const page = await fetch(sandbox(`/github/web/apps/${slug}/installations/new?account=acme`));
  const res = await postForm(sandbox(`/github/web/apps/${slug}/installations/new`), {
    ...formFields(await page.text()),
    account: "acme",
    selection: "all",
    decision: "install",
  });
  return Number(new URL(res.headers.get("location")!).searchParams.get("installation_id"));
}

describe("GitHub sandbox with octokit", () => {
  it("App auth, installation token, repositories, contents, tree, tarball and a pull request", async () => {
    const installationId = await installOnAcme();
    const baseUrl = env().GITHUB_API_BASE!;
    const appOctokit = new Octokit({
      baseUrl,
      authStrategy: createAppAuth,
      auth: {
        appId: Number(env().GITHUB_APP_ID),
        privateKey: env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
      },
    });
    const { data: app } = await appOctokit.rest.apps.getAuthenticated();
    expect(app?.slug).toBe(env().GITHUB_APP_SLUG);
    const { data: inst } = await appOctokit.rest.apps.getInstallation({
      installation_id: installationId,
    });
    expect(inst.account && "login" in inst.account ? inst.account.login : undefined).toBe("acme");

    const octokit = new Octokit({
      baseUrl,
      authStrategy: createAppAuth,
      auth: {
        appId: Number(env().GITHUB_APP_ID),
        privateKey: env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
        installationId,
      },
    });
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 1,
    });
    expect(repos.map((r) => r.full_name)).toContain("acme/storefront");

    const { data: readme } = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "storefront",
      path: "README.md",
    });
    expect(
      !Array.isArray(readme) &&
        readme.type === "file" &&
        Buffer.from(readme.content, "base64").toString(),
    ).toContain("Acme");
    const raw = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "storefront",
      path: "README.md",
      mediaType: { format: "raw" },
    });
    expect(String(raw.data)).toContain("Acme");

    const { data: branch } = await octokit.rest.repos.getBranch({
      owner: "acme",
      repo: "storefront",
      branch: "main",
    });
    const { data: tree } = await octokit.rest.git.getTree({
      owner: "acme",
      repo: "storefront",
      tree_sha: branch.commit.sha,
      recursive: "true",
    });
    expect(tree.tree.filter((e) => e.type === "blob").length).toBeGreaterThan(20);

    const tarball = await octokit.rest.repos.downloadTarballArchive({
      owner: "acme",
      repo: "storefront",
      ref: "main",
    });
    const tar = gunzipSync(Buffer.from(tarball.data as ArrayBuffer)).toString("latin1");
    expect(tar).toContain("README.md");

    const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner: "acme",
      repo: "storefront",
      per_page: 2,
    });
    expect(commits.length).toBeGreaterThanOrEqual(5);

    const name = `patchline/fix-${Date.now()}`;
    await octokit.rest.git.createRef({
      owner: "acme",
      repo: "storefront",
      ref: `refs/heads/${name}`,
      sha: branch.commit.sha,
    });
    const file = readme as { sha: string };
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: "acme",
      repo: "storefront",
      path: "README.md",
      branch: name,
      message: "Docs: note",
      content: Buffer.from("# Acme Storefront\n").toString("base64"),
      sha: file.sha,
    });
    const { data: pr } = await octokit.rest.pulls.create({
      owner: "acme",
      repo: "storefront",
      head: name,
      base: "main",
      title: "Fix",
      draft: true,
    });
    expect(pr).toMatchObject({ state: "open", draft: true, head: { ref: name } });
    const { data: updated } = await octokit.rest.pulls.update({
      owner: "acme",
      repo: "storefront",
      pull_number: pr.number,
      state: "closed",
    });
    expect(updated.state).toBe("closed");

    const dep = await octokit.rest.repos.createDeployment({
      owner: "acme",
      repo: "storefront",
      ref: "main",
      environment: "production",
      required_contexts: [],
      auto_merge: false,
    });
    expect(dep.status).toBe(201);
    const deploymentId = (dep.data as { id: number }).id;
    const { data: st } = await octokit.rest.repos.createDeploymentStatus({
      owner: "acme",
      repo: "storefront",
      deployment_id: deploymentId,
      state: "success",
    });
    expect(st.state).toBe("success");

    await expect(
      octokit.rest.repos.getContent({ owner: "acme", repo: "storefront", path: "nope" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
