import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/supabase/database.types";
import type { FixPromptBug, FixPromptLocation } from "./prompt";

/**
 * What a fix attempt reads from the database, scoped by organization: the bug's fields, its
 * mapped locations (mismapped ones left out) grouped by repository with the commit they were
 * indexed at, the repositories that already have a pull request for it, and its linked tickets
 * (provider and number; requester names only so the PR body can mask them).
 */

export interface RepositoryTarget {
  repositoryId: string;
  fullName: string;
  integrationId: string;
  defaultBranch: string;
  /** The commit the locations were indexed at (the newest, if they differ). */
  indexedSha: string;
  locations: FixPromptLocation[];
}

export interface AttemptContext {
  bugId: string;
  bug: FixPromptBug & { severity: string; status: string; mappingConfidence: number | null };
  repositories: RepositoryTarget[];
  /** Repositories left out because the bug already has a PR there. */
  alreadyInPullRequest: string[];
  tickets: Array<{ provider: "zendesk" | "intercom"; externalId: string }>;
  customerNames: string[];
}

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

export async function loadAttemptContext(
  admin: SupabaseClient<Database>,
  organizationId: string,
  bugId: string,
  /** A review round works on the repository its pull request is in: keep it. */
  opts: { keepRepositoryId?: string } = {},
): Promise<AttemptContext | null> {
  const { data: bug, error } = await admin
    .from("bugs")
    .select(
      "id, title, severity, status, steps, expected, actual, feature, error_messages, mapping_confidence",
    )
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .maybeSingle();
  if (error) fail("read bug", error);
  if (!bug) return null;
  const [locs, prs, links] = await Promise.all([
    admin
      .from("bug_locations")
      .select(
        "repository_id, commit_sha, path, function_name, start_line, end_line, explanation, rank",
      )
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .eq("mismapped", false)
      .order("rank"),
    admin
      .from("pull_requests")
      .select("repository_id, repository_full_name")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
    admin
      .from("bug_tickets")
      .select("ticket_id")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
  ]);
  if (locs.error) fail("read bug locations", locs.error);
  if (prs.error) fail("read pull requests", prs.error);
  if (links.error) fail("read bug tickets", links.error);
  const repoIds = [
    ...new Set(locs.data.map((l) => l.repository_id).filter((x): x is string => !!x)),
  ];
  const { data: repos, error: repoError } = repoIds.length
    ? await admin
        .from("integration_repositories")
        .select("id, full_name, integration_id, default_branch")
        .eq("organization_id", organizationId)
        .in("id", repoIds)
    : { data: [], error: null };
  if (repoError) fail("read repositories", repoError);
  const taken = new Set(prs.data.map((p) => p.repository_id));
  const repositories: RepositoryTarget[] = [];
  for (const repo of repos ?? []) {
    if (taken.has(repo.id) && repo.id !== opts.keepRepositoryId) continue;
    const mine = locs.data.filter((l) => l.repository_id === repo.id);
    repositories.push({
      repositoryId: repo.id,
      fullName: repo.full_name,
      integrationId: repo.integration_id,
      defaultBranch: repo.default_branch ?? "main",
      indexedSha: mine[0]?.commit_sha ?? "",
      locations: mine.map((l) => ({
        path: l.path,
        functionName: l.function_name,
        startLine: l.start_line,
        endLine: l.end_line,
        explanation: l.explanation,
      })),
    });
  }
  const ticketIds = links.data.map((l) => l.ticket_id);
  const { data: tickets, error: ticketError } = ticketIds.length
    ? await admin
        .from("tickets")
        .select("provider, external_id, requester_name")
        .eq("organization_id", organizationId)
        .in("id", ticketIds)
    : { data: [], error: null };
  if (ticketError) fail("read tickets", ticketError);
  return {
    bugId,
    bug: {
      title: bug.title,
      severity: bug.severity,
      status: bug.status,
      steps: bug.steps,
      expected: bug.expected,
      actual: bug.actual,
      feature: bug.feature,
      errorMessages: bug.error_messages,
      mappingConfidence: bug.mapping_confidence === null ? null : Number(bug.mapping_confidence),
    },
    repositories: repositories.sort((a, b) => a.fullName.localeCompare(b.fullName)),
    alreadyInPullRequest: prs.data.map((p) => p.repository_full_name),
    tickets: (tickets ?? []).map((t) => ({ provider: t.provider, externalId: t.external_id })),
    customerNames: (tickets ?? []).flatMap((t) => (t.requester_name ? [t.requester_name] : [])),
  };
}
