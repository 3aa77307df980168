import "server-only";
import { z } from "zod";
import { serverEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getAccessToken } from "@/lib/integrations/access-token";
import { installationOctokit } from "@/lib/integrations/github/app";
import { repositoryHead, splitFullName } from "@/lib/pipeline/jobs/github-source";
import { createAdminClient } from "@/lib/supabase/admin";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { openDraftPullRequest, readFileAt } from "../attempts/github-writes";
import { CODEOWNERS_LOCATIONS } from "../codeowners";
import { SYNTHESIS_DECAY_DAYS, SYNTHESIS_WINDOW_DAYS } from "../owner-synthesis";
import { buildCodeowners } from "./codeowners-file";
import { fromStoredOwners } from "./stored";

/** The Codebase page's "Open a CODEOWNERS pull request" form. */
export const openCodeownersInput = z.object({ repositoryId: z.uuid() });

export const CODEOWNERS_BRANCH = "patchline/codeowners";
export const CODEOWNERS_TITLE = "chore: add CODEOWNERS";
const CODEOWNERS_PATH = ".github/CODEOWNERS";

export interface CodeownersPullRequest {
  number: number;
  url: string;
  /** True when it was already open (a second click). */
  existing: boolean;
}

/** What the pull request says: where the owners come from and how the file reads. */
export function codeownersBody(facts: {
  commit: string;
  commits: number;
  rules: number;
  defaultBranch: string;
}): string {
  return [
    "This adds a `.github/CODEOWNERS` file so GitHub requests reviews from the people who work on each part of this repository.",
    "",
    "### Where the owners come from",
    `Patchline found no CODEOWNERS file, so it synthesised owners per path from the last ${SYNTHESIS_WINDOW_DAYS} days of commits on \`${facts.defaultBranch}\` (at \`${facts.commit.slice(0, 12)}\`, ${facts.commits} commits):`,
    `- each commit credits its author and every \`Co-authored-by:\` co-author on the files it changed, weighted \`exp(-age_days / ${SYNTHESIS_DECAY_DAYS})\` so recent work counts most;`,
    "- bots (dependabot, renovate, GitHub Actions, any `[bot]` account) are left out;",
    "- a path's owners are its heaviest contributors with a GitHub login (at most three, each with at least a quarter of the top weight).",
    "",
    "### How the file reads",
    `${facts.rules} rules, from the repository root (\`*\`) down to directories and single files. GitHub uses the **last** matching pattern, so the more specific rules come later. Edit it as you like before marking this ready: the file is yours.`,
    "",
    "Patchline opened this as a draft and never merges it.",
  ].join("\n");
}

/**
 * Opens the draft pull request that adds `.github/CODEOWNERS` built from the stored owners, for a
 * member with bugs.write (the caller's guard): the repository and its owners are read as the
 * person (RLS); the installation token and the record of the PR go through the audited
 * service-role client (clients cannot write the owners row). A new branch from the default
 * branch's head, one commit, a draft PR; never a merge or a force-push. Idempotent: a PR already
 * recorded is returned, and GitHub's open PR for the branch is reused.
 */
export async function openCodeownersPullRequest(
  supabase: ServerSupabaseClient,
  organizationId: string,
  repositoryId: string,
  userId: string,
): Promise<CodeownersPullRequest> {
  const { data: repo, error: repoError } = await supabase
    .from("integration_repositories")
    .select("id, integration_id, full_name, default_branch")
    .eq("organization_id", organizationId)
    .eq("id", repositoryId)
    .eq("selected", true)
    .maybeSingle();
  if (repoError) throw new AppError("internal", undefined, { cause: repoError });
  if (!repo) throw new AppError("not_found", "That repository is not selected in this workspace.");

  const { data: row, error: rowError } = await supabase
    .from("repository_owners")
    .select(
      "status, codeowners_path, owners, synthesized_sha, history, codeowners_pr_number, codeowners_pr_url",
    )
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId)
    .maybeSingle();
  if (rowError) throw new AppError("internal", undefined, { cause: rowError });
  if (row?.codeowners_pr_number && row.codeowners_pr_url)
    return { number: row.codeowners_pr_number, url: row.codeowners_pr_url, existing: true };
  if (row?.codeowners_path)
    throw new AppError("conflict", `${repo.full_name} already has ${row.codeowners_path}.`);
  const owners = row?.synthesized_sha ? fromStoredOwners(row.owners) : null;
  if (!owners || owners.byPath.size === 0)
    throw new AppError(
      "conflict",
      "No owners are synthesised for this repository yet. Synthesise them first.",
    );

  const admin = await createAdminClient({
    reason: "open the draft pull request that adds a CODEOWNERS file",
    organizationId,
    actorId: userId,
  });
  const r = splitFullName(repo.full_name);
  let pull: { number: number; url: string };
  try {
    const octokit = installationOctokit(
      serverEnv().GITHUB_API_BASE,
      await getAccessToken({ id: repo.integration_id, organizationId }),
    );
    const head = await repositoryHead(octokit, repo.full_name, repo.default_branch);
    for (const location of CODEOWNERS_LOCATIONS) {
      if ((await readFileAt(octokit, r, location, head.sha)) !== null)
        throw new AppError(
          "conflict",
          `${repo.full_name} has ${location} on ${head.branch} now; it decides the reviewers.`,
        );
    }
    const file = buildCodeowners(owners, {
      header: [
        "Owners synthesised by Patchline from the last 365 days of commits (bots left out,",
        "co-authors credited, recent work weighted most). The last matching pattern wins.",
      ],
    });
    const commits = Array.isArray(row?.history) ? row.history.length : 0;
    const opened = await openDraftPullRequest(octokit, r, {
      baseBranch: head.branch,
      baseSha: head.sha,
      branch: CODEOWNERS_BRANCH,
      changes: [{ path: CODEOWNERS_PATH, content: file.text, created: true }],
      commitMessage: `${CODEOWNERS_TITLE}\n\nOwners synthesised by Patchline from the last ${SYNTHESIS_WINDOW_DAYS} days of commits.`,
      title: CODEOWNERS_TITLE,
      body: codeownersBody({
        commit: row?.synthesized_sha ?? head.sha,
        commits,
        rules: file.rules,
        defaultBranch: head.branch,
      }),
      reviewers: { users: [], teams: [] },
    });
    pull = { number: opened.number, url: opened.url };
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    const status = (cause as { status?: number }).status;
    throw new AppError(
      "unavailable",
      status === 403 || status === 404
        ? "GitHub refused: the Patchline app needs Contents and Pull requests write access to this repository."
        : "GitHub did not answer. Try again in a moment.",
      { cause },
    );
  }
  const { error: recordError } = await admin
    .from("repository_owners")
    .update({
      codeowners_pr_number: pull.number,
      codeowners_pr_url: pull.url,
      codeowners_pr_branch: CODEOWNERS_BRANCH,
      codeowners_pr_opened_at: new Date().toISOString(),
    })
    .eq("organization_id", organizationId)
    .eq("repository_id", repositoryId);
  if (recordError) throw new AppError("internal", undefined, { cause: recordError });
  return { ...pull, existing: false };
}
