import type { Octokit } from "@octokit/rest";
import { CODEOWNERS_LOCATIONS, parseCodeOwners, reviewersFor } from "../codeowners";
import {
  type CommitRecord,
  SYNTHESIS_WINDOW_DAYS,
  type SynthesizedOwners,
  suggestedOwners,
  synthesizeOwners,
} from "../owner-synthesis";
import { type RepoRef, readFileAt } from "./github-writes";

/**
 * Who reviews a drafted fix: the repository's CODEOWNERS at the base commit (GitHub's rules,
 * lib/fixes/codeowners.ts); without one, or when it owns none of the changed paths, the owners
 * synthesised from the last 365 days of commits touching those paths (lib/fixes/owner-synthesis.ts)
 * that have a GitHub login (GitHub requests reviews from accounts, not emails). The owners the
 * synthesize-owners job stored for the repository are used when given (lib/fixes/owners/);
 * otherwise the history of the changed paths is read on the spot.
 */

export interface ReviewerChoice {
  users: string[];
  teams: string[];
  from: "codeowners" | "history" | "none";
}

const MAX_REVIEWERS = 10;

export async function chooseReviewers(
  octokit: Octokit,
  r: RepoRef,
  baseSha: string,
  paths: readonly string[],
  author: string,
  now = new Date(),
  stored: SynthesizedOwners | null = null,
): Promise<ReviewerChoice> {
  for (const location of CODEOWNERS_LOCATIONS) {
    const text = await readFileAt(octokit, r, location, baseSha);
    if (text === null) continue;
    const wanted = reviewersFor(parseCodeOwners(text), paths, author);
    if (wanted.users.length || wanted.teams.length)
      return {
        users: wanted.users.slice(0, MAX_REVIEWERS),
        teams: wanted.teams.slice(0, MAX_REVIEWERS),
        from: "codeowners",
      };
    break; // GitHub reads the first file found only
  }
  const result = stored ?? (await pathHistory(octokit, r, baseSha, paths, now));
  const users = new Set<string>();
  for (const path of paths)
    for (const o of suggestedOwners(result, path))
      if (o.login && o.login.toLowerCase() !== author.toLowerCase()) users.add(o.login);
  const list = [...users].slice(0, MAX_REVIEWERS);
  return { users: list, teams: [], from: list.length ? "history" : "none" };
}

/** Owners of the changed paths from their own last 365 days of commits (no stored result). */
async function pathHistory(
  octokit: Octokit,
  r: RepoRef,
  baseSha: string,
  paths: readonly string[],
  now: Date,
): Promise<SynthesizedOwners> {
  const since = new Date(now.getTime() - SYNTHESIS_WINDOW_DAYS * 86_400_000).toISOString();
  const commits: CommitRecord[] = [];
  for (const path of paths) {
    const { data } = await octokit.rest.repos.listCommits({
      ...r,
      sha: baseSha,
      path,
      since,
      per_page: 100,
    });
    for (const c of data)
      commits.push({
        sha: c.sha,
        authoredAt: c.commit.author?.date ?? now.toISOString(),
        author: {
          name: c.commit.author?.name ?? "",
          email: c.commit.author?.email ?? "",
          login: c.author?.login ?? null,
        },
        message: c.commit.message,
        files: [path],
      });
  }
  return synthesizeOwners(commits, { now });
}
