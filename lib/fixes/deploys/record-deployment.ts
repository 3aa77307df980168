import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import {
  assessDeployment,
  type CompareStatus,
  type DeployVerdict,
  decide,
  stackVerdict,
} from "../deploy-ancestry";

/**
 * Deploy detection against the database: records a `deployment_status` on its deployment row,
 * then, for a successful deployment of the repository's production environment, judges every
 * merged pull request of that repository (shipped ones too: a later deploy without the merge is a
 * rollback). The Compare API call is passed in, so the job decides where GitHub is reached.
 * Idempotent: a redelivered status compares again, finds the verdict unchanged, and reports no
 * RCA action; a status older than the deploy last judged is ignored.
 */

export interface DeploymentStatusFacts {
  organizationId: string;
  integrationId: string;
  githubRepositoryId: number;
  githubDeploymentId: number;
  environment: string;
  state: string;
  sha: string;
  /** When GitHub reported the status (its `created_at`, else when we received it). */
  at: Date;
}

export interface VerdictOutcome {
  pullRequestId: string;
  bugId: string;
  verdict: DeployVerdict;
  rca: "publish" | "park" | "none";
}

export interface RecordDeploymentResult {
  repository: { id: string; fullName: string } | null;
  production: boolean;
  outcomes: VerdictOutcome[];
}

type DeploymentState =
  | "queued"
  | "pending"
  | "in_progress"
  | "success"
  | "failure"
  | "error"
  | "inactive";
const DEPLOY_STATES = new Set<string>([
  "queued",
  "pending",
  "in_progress",
  "success",
  "failure",
  "error",
  "inactive",
]);

export async function recordDeployment(
  admin: AdminSupabaseClient,
  facts: DeploymentStatusFacts,
  compare: (fullName: string, base: string, head: string) => Promise<CompareStatus>,
): Promise<RecordDeploymentResult> {
  const { organizationId } = facts;
  const { data: repo, error } = await admin
    .from("integration_repositories")
    .select("id, full_name, production_environment")
    .eq("organization_id", organizationId)
    .eq("integration_id", facts.integrationId)
    .eq("github_repository_id", facts.githubRepositoryId)
    .maybeSingle();
  if (error) throw new Error(`read repository: ${error.message}`);
  if (!repo) return { repository: null, production: false, outcomes: [] };
  const repository = { id: repo.id, fullName: repo.full_name };

  if (DEPLOY_STATES.has(facts.state)) {
    await upsertDeploymentRow(admin, repo.id, facts, facts.state as DeploymentState);
  }

  const production =
    facts.environment.trim().toLowerCase() === repo.production_environment.trim().toLowerCase();
  if (!production || facts.state !== "success") return { repository, production, outcomes: [] };

  const { data: prs, error: prError } = await admin
    .from("pull_requests")
    .select("id, bug_id, merge_sha, deploy_state, deploy_checked_at, shipped_at")
    .eq("organization_id", organizationId)
    .eq("repository_id", repo.id)
    .eq("state", "merged")
    .order("merged_at", { ascending: true })
    .limit(500);
  if (prError) throw new Error(`read merged pull requests: ${prError.message}`);

  const outcomes: VerdictOutcome[] = [];
  const deployment = {
    environment: facts.environment,
    state: facts.state,
    sha: facts.sha,
    at: facts.at,
  };
  for (const pr of prs ?? []) {
    const fix = {
      mergeSha: pr.merge_sha,
      previous: pr.deploy_state as DeployVerdict,
      lastCheckedAt: pr.deploy_checked_at ? new Date(pr.deploy_checked_at) : null,
    };
    const step = assessDeployment(fix, deployment, repo.production_environment);
    if (step.kind === "ignore") continue;
    const status = await compare(repo.full_name, step.base, step.head);
    const change = decide(fix, facts.sha, status);
    const shippedNow = change.verdict === "shipped" && change.changed;
    const update = {
      deploy_state: change.verdict,
      deployed_sha: facts.sha,
      deploy_checked_at: facts.at.toISOString(),
      // shipped_at is when the fix (last) reached production; a rollback keeps it
      shipped_at: shippedNow ? facts.at.toISOString() : (pr.shipped_at ?? null),
    };
    let query = admin
      .from("pull_requests")
      .update(update)
      .eq("organization_id", organizationId)
      .eq("id", pr.id);
    // another worker judged a newer deploy meanwhile: its verdict stands
    query = pr.deploy_checked_at
      ? query.lte("deploy_checked_at", facts.at.toISOString())
      : query.is("deploy_checked_at", null);
    const { data: updated, error: updateError } = await query.select("id");
    if (updateError) throw new Error(`record deploy verdict: ${updateError.message}`);
    if (!updated?.length) continue;
    outcomes.push({
      pullRequestId: pr.id,
      bugId: pr.bug_id,
      verdict: change.verdict,
      rca: change.rca,
    });
  }
  return { repository, production, outcomes };
}

async function upsertDeploymentRow(
  admin: AdminSupabaseClient,
  repositoryId: string,
  facts: DeploymentStatusFacts,
  state: DeploymentState,
): Promise<void> {
  const row = {
    organization_id: facts.organizationId,
    repository_id: repositoryId,
    github_deployment_id: facts.githubDeploymentId,
    environment: facts.environment,
    sha: facts.sha,
    state,
    state_at: facts.at.toISOString(),
  };
  const { data: existing, error } = await admin
    .from("deployments")
    .select("id, state_at")
    .eq("organization_id", facts.organizationId)
    .eq("repository_id", repositoryId)
    .eq("github_deployment_id", facts.githubDeploymentId)
    .maybeSingle();
  if (error) throw new Error(`read deployment: ${error.message}`);
  if (!existing) {
    const { error: insertError } = await admin
      .from("deployments")
      .upsert(row, { onConflict: "repository_id,github_deployment_id", ignoreDuplicates: true });
    if (insertError) throw new Error(`record deployment: ${insertError.message}`);
    return;
  }
  // statuses arrive out of order: a late `in_progress` never overwrites `success`
  if (new Date(existing.state_at).getTime() > facts.at.getTime()) return;
  const { error: updateError } = await admin
    .from("deployments")
    .update({ state, state_at: row.state_at, environment: facts.environment })
    .eq("organization_id", facts.organizationId)
    .eq("id", existing.id);
  if (updateError) throw new Error(`update deployment: ${updateError.message}`);
}

/** A bug's deploy verdict from all its pull requests (every PR of the stack must ship). */
export async function bugDeployVerdict(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
): Promise<{ verdict: DeployVerdict; deployedAt: Date | null }> {
  const { data, error } = await admin
    .from("pull_requests")
    .select("deploy_state, shipped_at")
    .eq("organization_id", organizationId)
    .eq("bug_id", bugId);
  if (error) throw new Error(`read pull requests: ${error.message}`);
  const rows = data ?? [];
  const verdict = stackVerdict(rows.map((r) => r.deploy_state as DeployVerdict));
  const times = rows
    .map((r) => (r.shipped_at ? new Date(r.shipped_at).getTime() : 0))
    .filter((t) => t > 0);
  return { verdict, deployedAt: times.length ? new Date(Math.max(...times)) : null };
}
