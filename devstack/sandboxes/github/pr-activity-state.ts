import type { SandboxContext } from "../context";
import type { GithubPull, GithubRepo } from "../state";
import { accountJson } from "./common";
import { resolveCommit } from "./git";

/**
 * What the GitHub sandbox remembers of CI and review activity: check runs and their suites,
 * commit statuses, pull request reviews, requested reviewers and conversation comments. Kept in
 * the sandbox state (`github.prActivity`, created on first use) so it survives a restart.
 */

export interface GithubCheckRun {
  id: number;
  repoId: number;
  suiteId: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  title: string | null;
  summary: string | null;
  app: { slug: string; name: string };
}

export interface GithubCheckSuite {
  id: number;
  repoId: number;
  headSha: string;
  headBranch: string | null;
  app: { slug: string; name: string };
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface GithubCommitStatus {
  id: number;
  repoId: number;
  sha: string;
  context: string;
  state: "error" | "failure" | "pending" | "success";
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface GithubReview {
  id: number;
  repoId: number;
  number: number;
  user: string;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commitId: string;
  submittedAt: string;
}

export interface GithubComment {
  id: number;
  repoId: number;
  number: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface GithubPrActivityState {
  checkRuns: GithubCheckRun[];
  checkSuites: GithubCheckSuite[];
  statuses: GithubCommitStatus[];
  reviews: GithubReview[];
  /** `${repoId}#${number}` → logins whose review is requested. */
  requestedReviewers: Record<string, string[]>;
  /** `${repoId}#${number}` → team slugs whose review is requested (a fix attempt's CODEOWNERS teams). */
  requestedTeams?: Record<string, string[]>;
  comments: GithubComment[];
}

export function prActivity(ctx: SandboxContext): GithubPrActivityState {
  const github = ctx.state.github;
  github.prActivity ??= {
    checkRuns: [],
    checkSuites: [],
    statuses: [],
    reviews: [],
    requestedReviewers: {},
    comments: [],
  };
  return github.prActivity;
}

export const pullKey = (p: GithubPull) => `${p.repoId}#${p.number}`;

/** The commit a pull request's head branch points at now (after a merge: its last head). */
export async function pullHeadSha(repo: GithubRepo, p: GithubPull): Promise<string | undefined> {
  return (await resolveCommit(repo.gitDir, `refs/heads/${p.head}`)) ?? undefined;
}

/** Open pull requests of the repository whose head is this commit (a check's `pull_requests`). */
export async function pullsWithHead(
  ctx: SandboxContext,
  repo: GithubRepo,
  sha: string,
): Promise<GithubPull[]> {
  const open = ctx.state.github.pulls.filter((p) => p.repoId === repo.id && p.state === "open");
  const heads = await Promise.all(open.map((p) => pullHeadSha(repo, p)));
  return open.filter((_, i) => heads[i] === sha);
}

/** The PR's `requested_reviewers` and `requested_teams`, spread into pullJson. */
export function requestedReviewersJson(ctx: SandboxContext, p: GithubPull) {
  return {
    requested_reviewers: (prActivity(ctx).requestedReviewers[pullKey(p)] ?? []).map((l) =>
      accountJson(ctx, l, "User"),
    ),
    requested_teams: (prActivity(ctx).requestedTeams?.[pullKey(p)] ?? []).map((slug) => ({
      name: slug,
      slug,
      id: accountJson(ctx, `team/${slug}`).id,
    })),
  };
}
