import type { SandboxContext } from "../context";
import type { Delivery, GithubRepo } from "../state";
import { accountJson, fullName, webBase } from "./common";
import { commitPayload, deliverRepoEvent } from "./events";
import { changedFiles, log } from "./git";

const ZERO = "0000000000000000000000000000000000000000";

/**
 * Delivers `push` for a branch that moved from `before` (undefined: created) to `after`, listing
 * the commits in between (at most 20, as GitHub does) with their added/removed/modified files.
 */
export async function deliverPush(
  ctx: SandboxContext,
  repo: GithubRepo,
  branch: string,
  before: string | undefined,
  after: string,
  opts: { forced?: boolean; target?: string } = {},
): Promise<Delivery[]> {
  const range = before ? `${before}..${after}` : after;
  const commits = (await log(repo.gitDir, range, { max: 20 })).reverse();
  const payloads = [];
  for (const c of commits)
    payloads.push(commitPayload(ctx, repo, c, await changedFiles(repo.gitDir, c.sha)));
  const head = payloads.at(-1) ?? null;
  return deliverRepoEvent(
    ctx,
    repo,
    "push",
    {
      ref: `refs/heads/${branch}`,
      before: before ?? ZERO,
      after,
      created: before === undefined,
      deleted: false,
      forced: opts.forced ?? false,
      base_ref: null,
      compare: `${webBase(ctx)}/${fullName(repo)}/compare/${(before ?? ZERO).slice(0, 12)}...${after.slice(0, 12)}`,
      commits: payloads,
      head_commit: head,
      pusher: { name: "sandbox-dev", email: "dev@sandbox.example" },
      organization: accountJson(ctx, repo.owner),
    },
    opts.target,
  );
}
