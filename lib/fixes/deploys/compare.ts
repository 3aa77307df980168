import type { Octokit } from "@octokit/rest";
import type { CompareStatus } from "../deploy-ancestry";

const STATUSES: readonly CompareStatus[] = ["ahead", "behind", "identical", "diverged"];

/**
 * GitHub's Compare API, `GET /repos/{o}/{r}/compare/{base}...{head}`: how the deployed commit
 * (`head`) relates to a merge commit (`base`). A 404 (the merge commit is not in the repository
 * any more, or the histories share nothing) answers `diverged`: whatever runs does not contain it.
 */
export async function compareCommits(
  octokit: Octokit,
  fullName: string,
  base: string,
  head: string,
): Promise<CompareStatus> {
  const [owner, repo] = fullName.split("/") as [string, string];
  try {
    const { data } = await octokit.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${base}...${head}`,
      // the status is all we read: keep GitHub from listing commits and files
      per_page: 1,
    });
    const status = data.status as CompareStatus;
    if (!STATUSES.includes(status)) throw new Error(`unknown compare status ${String(status)}`);
    return status;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return "diverged";
    throw error;
  }
}
