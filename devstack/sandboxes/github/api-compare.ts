import type { SandboxContext } from "../context";
import { json, type SandboxRequest, type SandboxResponse } from "../http";
import { commitJson } from "./api-repos";
import { requireRepo } from "./auth";
import { apiBase, fullName, ghError, notFound, webBase } from "./common";
import * as g from "./git";

/**
 * `GET /repos/{o}/{r}/compare/{base}...{head}`: how two commits relate, as GitHub documents it.
 * `status` is `identical` (same commit), `ahead` (head contains base), `behind` (base contains
 * head) or `diverged`; `ahead_by`/`behind_by` count commits on each side of the merge base.
 * Deploy detection asks exactly this question (is the merge sha inside the deployed sha?), so the
 * answer comes from real `git merge-base` on the sandbox repository.
 */
export async function compareCommits(
  ctx: SandboxContext,
  req: SandboxRequest,
  o: string,
  r: string,
  basehead: string,
): Promise<SandboxResponse> {
  const repo = requireRepo(ctx, req, o, r);
  const parts = basehead.split("...");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw notFound();
  const [baseRef, headRef] = parts as [string, string];
  const base = await g.resolveCommit(repo.gitDir, baseRef);
  const head = await g.resolveCommit(repo.gitDir, headRef);
  // GitHub answers 404 when either side names no commit of the repository
  if (!base || !head) throw notFound();
  let mergeBase: string;
  try {
    mergeBase = (await g.git(repo.gitDir, ["merge-base", base, head])).toString("utf8").trim();
  } catch {
    // unrelated histories: GitHub says it cannot compare them
    throw ghError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
  }
  const count = async (range: string) =>
    Number((await g.git(repo.gitDir, ["rev-list", "--count", range])).toString("utf8").trim());
  const aheadBy = await count(`${base}..${head}`);
  const behindBy = await count(`${head}..${base}`);
  const status =
    aheadBy === 0 && behindBy === 0
      ? "identical"
      : behindBy === 0
        ? "ahead"
        : aheadBy === 0
          ? "behind"
          : "diverged";
  const commits = aheadBy > 0 ? await g.log(repo.gitDir, `${base}..${head}`, { max: 250 }) : [];
  const api = `${apiBase(ctx)}/repos/${fullName(repo)}`;
  return json(200, {
    url: `${api}/compare/${baseRef}...${headRef}`,
    html_url: `${webBase(ctx)}/${fullName(repo)}/compare/${baseRef}...${headRef}`,
    base_commit: commitJson(ctx, repo, await g.commitInfo(repo.gitDir, base)),
    merge_base_commit: commitJson(ctx, repo, await g.commitInfo(repo.gitDir, mergeBase)),
    status,
    ahead_by: aheadBy,
    behind_by: behindBy,
    total_commits: aheadBy,
    // GitHub lists the head side's commits oldest first
    commits: commits.reverse().map((c) => commitJson(ctx, repo, c)),
    files: aheadBy > 0 ? await g.changedFiles(repo.gitDir, head, mergeBase) : [],
  });
}
