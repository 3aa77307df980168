import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installGithub } from "../pipeline/fixtures";
import { ownRepositories } from "../pipeline/own-repositories";
import { control, env, sandbox } from "./helpers";

/**
 * Conformance of the GitHub sandbox's Git Data writes with @octokit/rest (what a fix attempt
 * uses): blobs, trees on a base tree, commits, refs, a draft PR and requested reviewers, with
 * GitHub's refusals; and the record of calls the app must never make (merge, force-push,
 * branch deletion, repository settings).
 */

const ACCOUNT = `gitw${Date.now().toString(36)}`;
const r = { owner: ACCOUNT, repo: "lib" };
let octokit: Octokit;
let cleanup: () => void = () => undefined;

const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { status?: number }) => e.status ?? 0,
  );
const destructive = async () =>
  (
    await control<{ destructive: Array<{ kind: string; repo: string }> }>(
      "GET",
      "/github/app-writes",
    )
  ).json.destructive.filter((d) => d.repo === `${ACCOUNT}/lib`);

beforeAll(async () => {
  const own = await ownRepositories(ACCOUNT, ["lib"]);
  cleanup = own.cleanup;
  const installationId = Number(await installGithub(ACCOUNT));
  octokit = new Octokit({
    baseUrl: env().GITHUB_API_BASE!,
    authStrategy: createAppAuth,
    auth: {
      appId: Number(env().GITHUB_APP_ID),
      privateKey: env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
      installationId,
    },
  });
}, 60_000);
afterAll(() => cleanup());

describe("GitHub sandbox: Git Data API writes with octokit", () => {
  it("blob → tree on a base tree → commit → branch → draft PR → requested reviewers", async () => {
    const { data: main } = await octokit.rest.git.getRef({ ...r, ref: "heads/main" });
    const { data: base } = await octokit.rest.git.getCommit({ ...r, commit_sha: main.object.sha });

    const { data: blob } = await octokit.rest.git.createBlob({
      ...r,
      content: Buffer.from("export const x = 1;\n").toString("base64"),
      encoding: "base64",
    });
    expect(blob.sha).toMatch(/^[0-9a-f]{40}$/);
    const { data: back } = await octokit.rest.git.getBlob({ ...r, file_sha: blob.sha });
    expect(Buffer.from(back.content, "base64").toString()).toBe("export const x = 1;\n");

    const { data: tree } = await octokit.rest.git.createTree({
      ...r,
      base_tree: base.tree.sha,
      tree: [
        { path: "src/new.ts", mode: "100644", type: "blob", sha: blob.sha },
        { path: "src/alpha.ts", mode: "100644", type: "blob", content: "// changed\n" },
        { path: "src/gamma.ts", mode: "100644", type: "blob", sha: null },
      ],
    });
    const { data: full } = await octokit.rest.git.getTree({
      ...r,
      tree_sha: tree.sha,
      recursive: "1",
    });
    expect(
      full.tree
        .filter((e) => e.type === "blob")
        .map((e) => e.path)
        .sort(),
    ).toEqual(["src/alpha.ts", "src/beta.ts", "src/new.ts"]);

    const { data: commit } = await octokit.rest.git.createCommit({
      ...r,
      message: "fix: x",
      tree: tree.sha,
      parents: [main.object.sha],
    });
    expect(commit.parents.map((p) => p.sha)).toEqual([main.object.sha]);
    expect(commit.tree.sha).toBe(tree.sha);
    expect((await octokit.rest.git.getCommit({ ...r, commit_sha: commit.sha })).data.message).toBe(
      "fix: x",
    );

    // a commit object moves no branch until a ref points at it
    expect((await octokit.rest.git.getRef({ ...r, ref: "heads/main" })).data.object.sha).toBe(
      main.object.sha,
    );
    const { data: ref } = await octokit.rest.git.createRef({
      ...r,
      ref: "refs/heads/patchline/fix-x",
      sha: commit.sha,
    });
    expect(ref.ref).toBe("refs/heads/patchline/fix-x");
    expect(
      await status(
        octokit.rest.git.createRef({ ...r, ref: "refs/heads/patchline/fix-x", sha: commit.sha }),
      ),
    ).toBe(422);
    const { data: matching } = await octokit.rest.git.listMatchingRefs({
      ...r,
      ref: "heads/patchline",
    });
    expect(matching.map((m) => m.ref)).toEqual(["refs/heads/patchline/fix-x"]);
    const { data: content } = await octokit.rest.repos.getContent({
      ...r,
      path: "src/alpha.ts",
      ref: "patchline/fix-x",
      mediaType: { format: "raw" },
    });
    expect(String(content)).toBe("// changed\n");

    const { data: pull } = await octokit.rest.pulls.create({
      ...r,
      title: "fix: x",
      head: "patchline/fix-x",
      base: "main",
      draft: true,
    });
    expect(pull.draft).toBe(true);
    const { data: requested } = await octokit.rest.pulls.requestReviewers({
      ...r,
      pull_number: pull.number,
      reviewers: ["octo-dev"],
      team_reviewers: ["core"],
    });
    expect(requested.requested_reviewers?.map((u) => u.login)).toEqual(["octo-dev"]);
    const { data: list } = await octokit.rest.pulls.listRequestedReviewers({
      ...r,
      pull_number: pull.number,
    });
    expect([list.users.map((u) => u.login), list.teams.map((t) => t.slug)]).toEqual([
      ["octo-dev"],
      ["core"],
    ]);
    // GitHub refuses to request the PR's author
    expect(
      await status(
        octokit.rest.pulls.requestReviewers({
          ...r,
          pull_number: pull.number,
          reviewers: [pull.user?.login ?? ""],
        }),
      ),
    ).toBe(422);
    expect(await destructive()).toEqual([]);
  });

  it("refuses what GitHub refuses", async () => {
    const { data: main } = await octokit.rest.git.getRef({ ...r, ref: "heads/main" });
    const missing = "0".repeat(40);
    expect(
      await status(
        octokit.rest.git.createCommit({ ...r, message: "m", tree: missing, parents: [] }),
      ),
    ).toBe(422);
    expect(
      await status(
        octokit.rest.git.createTree({
          ...r,
          base_tree: missing,
          tree: [{ path: "a", mode: "100644", type: "blob", content: "a" }],
        }),
      ),
    ).toBe(422);
    expect(
      await status(
        octokit.rest.git.createTree({
          ...r,
          tree: [{ path: "../a", mode: "100644", type: "blob", content: "a" }],
        }),
      ),
    ).toBe(422);
    expect(
      await status(
        octokit.rest.git.createCommit({
          ...r,
          message: "m",
          tree: (await octokit.rest.git.getCommit({ ...r, commit_sha: main.object.sha })).data.tree
            .sha,
          parents: [missing],
        }),
      ),
    ).toBe(422);
  });

  it("records every merge, force-push, branch deletion and settings change the app asks for", async () => {
    const { data: main } = await octokit.rest.git.getRef({ ...r, ref: "heads/main" });
    const { data: base } = await octokit.rest.git.getCommit({ ...r, commit_sha: main.object.sha });
    const { data: other } = await octokit.rest.git.createCommit({
      ...r,
      message: "other",
      tree: base.tree.sha,
      parents: [],
    });
    await octokit.rest.git.createRef({ ...r, ref: "refs/heads/tmp", sha: main.object.sha });
    // not a fast-forward: refused without force, as on GitHub
    expect(
      await status(octokit.rest.git.updateRef({ ...r, ref: "heads/tmp", sha: other.sha })),
    ).toBe(422);
    await octokit.rest.git.updateRef({ ...r, ref: "heads/tmp", sha: other.sha, force: true });
    await octokit.rest.git.deleteRef({ ...r, ref: "heads/tmp" });
    expect(await status(octokit.rest.repos.update({ ...r, default_branch: "tmp" }))).toBe(403);
    const { data: pulls } = await octokit.rest.pulls.list({ ...r, state: "open" });
    await octokit.rest.pulls.merge({ ...r, pull_number: pulls[0]?.number ?? 0 });
    expect((await destructive()).map((d) => d.kind)).toEqual([
      "force-push",
      "delete-ref",
      "repository-settings",
      "merge",
    ]);
    expect((await fetch(sandbox("/_control/github/app-writes"), { method: "GET" })).status).toBe(
      200,
    );
  });
});
