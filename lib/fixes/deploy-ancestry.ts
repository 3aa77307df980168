/**
 * Deploy detection: whether a merged fix runs in production. A fix is shipped only when a
 * successful deployment of the repository's production environment runs a commit that contains
 * the merge commit, which GitHub's Compare API answers: `compare(base = merge, head = deployed)`
 * is `identical` (the same commit) or `ahead` (the deployed commit descends from the merge); it is
 * `behind` or `diverged` when the merge is not in what runs.
 *
 * Not on merge, not on a green build: a deploy that happened before the merge (or of another
 * branch) does not ship it; a later production deploy without it is a rollback (which parks an
 * unpublished RCA); a re-deploy that contains it again ships it again. Every production deploy is
 * re-checked; a deploy older than the last one judged is stale and ignored (deliveries arrive out of
 * order and twice). Pure: the job fetches the compare status and applies the verdict.
 */

export type CompareStatus = "ahead" | "behind" | "identical" | "diverged";
export type DeployVerdict = "not_yet" | "shipped" | "rolled_back";

export interface DeploymentFacts {
  environment: string;
  /** deployment_status state (`success`, `failure`, `in_progress`, …). */
  state: string;
  sha: string;
  /** When GitHub reported that state. */
  at: Date;
}

export interface FixFacts {
  /** The PR's merge commit; null while it is not merged. */
  mergeSha: string | null;
  /** The verdict stored so far. */
  previous: DeployVerdict;
  /** When the deployment behind `previous` was reported (null before any). */
  lastCheckedAt: Date | null;
}

export type DeployDecision =
  | {
      /** Nothing to do: not production, not a success, not merged, or stale. */
      kind: "ignore";
      reason: "not_production" | "not_success" | "not_merged" | "stale";
    }
  /** Ask GitHub to compare the merge commit with the deployed commit, then call `decide`. */
  | { kind: "compare"; base: string; head: string };

/** GitHub compares environment names without regard to case. */
function sameEnvironment(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Step one: whether this deployment can change the fix's verdict, and what to compare. */
export function assessDeployment(
  fix: FixFacts,
  deployment: DeploymentFacts,
  productionEnvironment: string,
): DeployDecision {
  if (!sameEnvironment(deployment.environment, productionEnvironment)) {
    return { kind: "ignore", reason: "not_production" };
  }
  if (deployment.state !== "success") return { kind: "ignore", reason: "not_success" };
  // deploy-before-merge: checked again when the merge lands (against the latest production deploy)
  if (!fix.mergeSha) return { kind: "ignore", reason: "not_merged" };
  if (fix.lastCheckedAt && deployment.at.getTime() < fix.lastCheckedAt.getTime()) {
    return { kind: "ignore", reason: "stale" };
  }
  return { kind: "compare", base: fix.mergeSha, head: deployment.sha };
}

/** Whether the deployed commit contains the merge commit, from the Compare API's status. */
export function containsMerge(
  mergeSha: string,
  deployedSha: string,
  status: CompareStatus,
): boolean {
  if (mergeSha.toLowerCase() === deployedSha.toLowerCase()) return true;
  return status === "identical" || status === "ahead";
}

export interface VerdictChange {
  verdict: DeployVerdict;
  /** Whether the stored verdict changes (a duplicate delivery changes nothing). */
  changed: boolean;
  /**
   * What follows for the bug's RCA: `publish` when the fix first reaches (or returns to)
   * production, `park` when a rollback removed it, `none` otherwise.
   */
  rca: "publish" | "park" | "none";
}

/** Step two: the verdict once GitHub answered the compare asked for by `assessDeployment`. */
export function decide(
  fix: Pick<FixFacts, "mergeSha" | "previous">,
  deployedSha: string,
  status: CompareStatus,
): VerdictChange {
  const contained = fix.mergeSha !== null && containsMerge(fix.mergeSha, deployedSha, status);
  let verdict: DeployVerdict;
  if (contained) verdict = "shipped";
  // it ran in production once and no longer does: a rollback
  else if (fix.previous === "shipped" || fix.previous === "rolled_back") verdict = "rolled_back";
  else verdict = "not_yet";
  const changed = verdict !== fix.previous;
  let rca: VerdictChange["rca"] = "none";
  if (changed && verdict === "shipped") rca = "publish";
  else if (changed && verdict === "rolled_back") rca = "park";
  return { verdict, changed, rca };
}

/**
 * A bug's verdict from its stack of pull requests (one per repository): shipped only when every
 * PR is, rolled back when any fix left production, otherwise not yet. No PR: not yet.
 */
export function stackVerdict(verdicts: readonly DeployVerdict[]): DeployVerdict {
  if (verdicts.length === 0) return "not_yet";
  if (verdicts.includes("rolled_back")) return "rolled_back";
  return verdicts.every((v) => v === "shipped") ? "shipped" : "not_yet";
}
