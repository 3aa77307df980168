import "server-only";
import { serverEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getAccessToken } from "@/lib/integrations/access-token";
import { installationOctokit } from "@/lib/integrations/github/app";
import { ProviderRefusedError } from "@/lib/integrations/provider-errors";
import { createAdminClient } from "@/lib/supabase/admin";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { rowFromSnapshot } from "./activity";
import { type GithubPullRequest, readPullRequestFromGithub } from "./github-state";
import type { LinkPullRequestInput } from "./reference";

/**
 * Links an existing pull request to a bug, for a member with bugs.write (the caller's guard
 * checked the role; RLS checks it again on the insert):
 *   1. the repository must be one of the workspace's GitHub installation, selected for Patchline;
 *   2. the bug has no pull request in that repository yet (one per bug and repository);
 *   3. GitHub must know the pull request: it is read through the GitHub App (installation token),
 *      with its checks, statuses and reviews;
 *   4. the link is inserted as the caller (RLS: bug, repository, number, url only), then its
 *      GitHub state is written through the audited service-role client (clients may not write
 *      state columns; the webhook consumer keeps them current from then on).
 */
export async function linkPullRequest(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: LinkPullRequestInput,
): Promise<{ id: string; repository: string; number: number }> {
  const fieldError = (
    field: string,
    message: string,
    code: "not_found" | "conflict" | "validation" = "validation",
  ) => new AppError(code, message, { fieldErrors: { [field]: [message] } });

  const { data: repos, error: repoError } = await supabase
    .from("integration_repositories")
    .select("id, integration_id, full_name, selected")
    .eq("organization_id", organizationId)
    .ilike("full_name", input.repository.replace(/[%_\\]/g, "\\$&"));
  if (repoError) throw new AppError("internal", undefined, { cause: repoError });
  const repo = repos?.find((r) => r.selected) ?? repos?.[0];
  if (!repo)
    throw fieldError(
      "repository",
      `${input.repository} is not a repository of this workspace's GitHub installation.`,
      "not_found",
    );
  if (!repo.selected)
    throw fieldError(
      "repository",
      `${repo.full_name} is not selected for Patchline. Select it on the Codebase page first.`,
    );

  const { data: existing, error: existingError } = await supabase
    .from("pull_requests")
    .select("number")
    .eq("organization_id", organizationId)
    .eq("bug_id", input.bugId)
    .eq("repository_id", repo.id)
    .maybeSingle();
  if (existingError) throw new AppError("internal", undefined, { cause: existingError });
  if (existing)
    throw fieldError(
      "reference",
      `This bug already has pull request #${existing.number} in ${repo.full_name}. Unlink it first.`,
      "conflict",
    );

  const [owner = "", name = ""] = repo.full_name.split("/");
  let pr: GithubPullRequest;
  try {
    const token = await getAccessToken({ id: repo.integration_id, organizationId });
    pr = await readPullRequestFromGithub(
      installationOctokit(serverEnv().GITHUB_API_BASE, token),
      owner,
      name,
      input.number,
    );
  } catch (error) {
    if ((error as { status?: number }).status === 404)
      throw fieldError(
        "reference",
        `GitHub has no pull request #${input.number} in ${repo.full_name}.`,
        "not_found",
      );
    if (error instanceof ProviderRefusedError)
      throw new AppError(
        "unavailable",
        "GitHub refused the App's access. Reinstall the GitHub App on the Integrations page.",
        { cause: error },
      );
    throw new AppError("unavailable", "GitHub could not be reached. Try again in a moment.", {
      cause: error,
    });
  }

  const { data: inserted, error: insertError } = await supabase
    .from("pull_requests")
    .insert({
      organization_id: organizationId,
      bug_id: input.bugId,
      repository_id: repo.id,
      number: pr.number,
      url: pr.url,
    })
    .select("id")
    .single();
  if (insertError) {
    if (insertError.code === "23505")
      throw fieldError(
        "reference",
        `This bug already has a pull request in ${repo.full_name}.`,
        "conflict",
      );
    if (insertError.code === "23503") throw new AppError("not_found", "This bug no longer exists.");
    throw new AppError("internal", undefined, { cause: insertError });
  }

  const admin = await createAdminClient({
    reason: "record a linked pull request's GitHub state",
    organizationId,
  });
  const { error: stateError } = await admin
    .from("pull_requests")
    .update(rowFromSnapshot(pr.snapshot))
    .eq("organization_id", organizationId)
    .eq("id", inserted.id);
  // the link stands even so: the next delivery for this PR fills the state in
  if (stateError) throw new AppError("internal", undefined, { cause: stateError });
  return { id: inserted.id, repository: repo.full_name, number: pr.number };
}

/** Unlinks a linked pull request (RLS: bugs.write, origin linked); drafted ones stay. */
export async function unlinkPullRequest(
  supabase: ServerSupabaseClient,
  organizationId: string,
  input: { bugId: string; pullRequestId: string },
): Promise<void> {
  const { data, error } = await supabase
    .from("pull_requests")
    .delete()
    .eq("organization_id", organizationId)
    .eq("bug_id", input.bugId)
    .eq("id", input.pullRequestId)
    .select("id");
  if (error) throw new AppError("internal", undefined, { cause: error });
  if (!data?.length)
    throw new AppError("not_found", "That pull request is not linked to this bug.");
}
