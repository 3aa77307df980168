import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { installGithub } from "@/tests/integration/pipeline/fixtures";
import { control, env } from "./helpers";

/**
 * The sandbox's Compare API (`GET /repos/{o}/{r}/compare/{base}...{head}`), driven by octokit as
 * deploy detection drives it, on a repository of our own: base → fix on main, and a side commit
 * from base, so each documented status appears with its counts.
 */

const work = mkdtempSync(path.join(os.tmpdir(), "pl-compare-"));
const git = (...args: string[]) =>
  execFileSync("git", ["-C", work, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  })
    .toString()
    .trim();

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("GitHub sandbox compare", () => {
  it("answers identical, ahead, behind and diverged with ahead_by/behind_by, and 404 for an unknown commit", async () => {
    git("init", "-q", "-b", "main");
    writeFileSync(path.join(work, "a.txt"), "a\n");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    const base = git("rev-parse", "HEAD");
    git("checkout", "-q", "-b", "side");
    writeFileSync(path.join(work, "side.txt"), "s\n");
    git("add", ".");
    git("commit", "-q", "-m", "side");
    const side = git("rev-parse", "HEAD");
    git("checkout", "-q", "main");
    writeFileSync(path.join(work, "a.txt"), "b\n");
    git("commit", "-q", "-am", "fix");
    const fix = git("rev-parse", "HEAD");
    const owner = `cmp${randomUUID().slice(0, 6)}`;
    const added = await control("POST", "/github/repositories", {
      path: work,
      full_name: `${owner}/app`,
    });
    expect(added.status).toBeLessThan(300);
    const installationId = Number(await installGithub(owner));
    const octokit = new Octokit({
      baseUrl: env().GITHUB_API_BASE!,
      authStrategy: createAppAuth,
      auth: {
        appId: Number(env().GITHUB_APP_ID),
        privateKey: env().GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
        installationId,
      },
    });
    const compare = async (b: string, h: string) =>
      (
        await octokit.rest.repos.compareCommitsWithBasehead({
          owner,
          repo: "app",
          basehead: `${b}...${h}`,
        })
      ).data;

    expect(await compare(fix, fix)).toMatchObject({
      status: "identical",
      ahead_by: 0,
      behind_by: 0,
    });
    const ahead = await compare(base, fix);
    expect(ahead).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(ahead.commits.map((c) => c.sha)).toEqual([fix]);
    expect(ahead.merge_base_commit.sha).toBe(base);
    expect(ahead.files?.map((f) => f.filename)).toEqual(["a.txt"]);
    expect(await compare(fix, base)).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 1 });
    expect(await compare(fix, side)).toMatchObject({
      status: "diverged",
      ahead_by: 1,
      behind_by: 1,
    });
    // branch names work as on GitHub
    expect(await compare("main", "side")).toMatchObject({ status: "diverged" });
    await expect(compare("0".repeat(40), fix)).rejects.toMatchObject({ status: 404 });
  }, 60_000);
});
