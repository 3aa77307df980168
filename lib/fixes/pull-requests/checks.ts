import { z } from "zod";

/**
 * The CI state of a pull request's head commit: one entry per check name (a check run's name, a
 * commit status's context, or a check suite's app when that app reported no check run), the
 * latest per name by GitHub's time (ties: the higher GitHub id, which GitHub hands out in order).
 */

export type CheckOutcome = "pending" | "passing" | "failing";
export type ChecksSummary = "none" | "pending" | "passing" | "failing";

export const checkEntry = z.object({
  name: z.string().min(1).max(200),
  source: z.enum(["check_run", "check_suite", "status"]),
  /** GitHub's id of the check run, suite or status. */
  id: z.number().int().nonnegative(),
  sha: z.string().max(64),
  outcome: z.enum(["pending", "passing", "failing"]),
  /** GitHub's words: check conclusion (success, failure, neutral…) or status state, or null. */
  conclusion: z.string().max(50).nullable(),
  /** GitHub's time of this state (completed_at, started_at, updated_at). */
  at: z.string().max(40),
  url: z.string().max(500).nullable(),
  /** The GitHub App that ran a check run or suite (its slug); null for a commit status. */
  app: z.string().max(100).nullable(),
});
export type CheckEntry = z.infer<typeof checkEntry>;

/** Reads the stored column; anything malformed is dropped rather than trusted. */
export function readChecks(value: unknown): CheckEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const parsed = checkEntry.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * GitHub's check conclusions and commit states as an outcome. `neutral` and `skipped` do not
 * block a merge on GitHub, so they count as passing; `action_required`, `stale`, `timed_out`,
 * `cancelled`, `startup_failure` do block it.
 */
export function checkRunOutcome(status: string, conclusion: string | null | undefined) {
  if (status !== "completed" || !conclusion) return "pending" as const;
  return ["success", "neutral", "skipped"].includes(conclusion)
    ? ("passing" as const)
    : ("failing" as const);
}

export function commitStatusOutcome(state: string): CheckOutcome {
  if (state === "success") return "passing";
  if (state === "pending") return "pending";
  return "failing"; // failure, error
}

/** -1, 0, 1: which of two states of the same name GitHub produced later. */
export function compareMoments(
  a: { at: string; id: number },
  b: { at: string; id: number },
): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/**
 * Adds one check state, keyed by name, source and commit: a check of a commit that is not (yet)
 * the PR's head is kept (its delivery may come before the `synchronize` that moves the head) but
 * only the head's count. A state older than what is stored for that key changes nothing.
 */
export function applyCheck(
  checks: CheckEntry[],
  next: CheckEntry,
): { checks: CheckEntry[]; changed: boolean } {
  const i = checks.findIndex(
    (c) => c.name === next.name && c.source === next.source && c.sha === next.sha,
  );
  const current = i >= 0 ? checks[i] : undefined;
  if (current) {
    const order = compareMoments(current, next);
    if (order > 0) return { checks, changed: false };
    // same id and time: a redelivery (or an edit GitHub stamped with the same second)
    if (
      order === 0 &&
      current.outcome === next.outcome &&
      current.conclusion === next.conclusion &&
      current.url === next.url
    )
      return { checks, changed: false };
  }
  const out = [...checks];
  if (i >= 0) out[i] = next;
  else out.push(next);
  out.sort((a, b) => a.name.localeCompare(b.name) || a.sha.localeCompare(b.sha));
  // bounded (the column allows 200): other commits' entries go first, oldest first
  while (out.length > MAX_CHECKS) {
    const drop = out.reduce(
      (oldest, c, j) =>
        c.sha !== next.sha && (oldest < 0 || compareMoments(c, out[oldest] as CheckEntry) < 0)
          ? j
          : oldest,
      -1,
    );
    out.splice(Math.max(drop, 0), 1);
  }
  return { checks: out, changed: true };
}

export const MAX_CHECKS = 200;

/**
 * What the PR shows: failing if any check fails, pending if any still runs, passing when all
 * pass. A check suite stands for its app only while that app reported no check run, so a suite
 * and its own runs are not counted twice.
 */
export function summarizeChecks(checks: CheckEntry[], headSha: string | null): ChecksSummary {
  const forHead = checks.filter((c) => !headSha || c.sha === headSha);
  const runApps = new Set(forHead.filter((c) => c.source === "check_run").map((c) => c.app));
  const counted = forHead.filter((c) => c.source !== "check_suite" || !runApps.has(c.app));
  if (counted.length === 0) return "none";
  if (counted.some((c) => c.outcome === "failing")) return "failing";
  if (counted.some((c) => c.outcome === "pending")) return "pending";
  return "passing";
}
