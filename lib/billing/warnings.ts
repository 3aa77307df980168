import { assertMinor } from "./money";

/**
 * Usage warnings: owners and admins hear once when the period's Mapped Bugs reach 80% and once
 * when they reach 100% of the allowance. "Once" is held twice: this function skips thresholds
 * already raised, and `usage_warnings` is unique per (workspace, period, threshold), so two
 * concurrent meters cannot both raise the same one.
 */

export const WARNING_THRESHOLDS = [80, 100] as const;
export type WarningThreshold = (typeof WARNING_THRESHOLDS)[number];

/**
 * The thresholds to raise now: those reached by `used` (used × 100 ≥ allowance × threshold, in
 * integers) and not in `alreadyRaised` for this period. A jump from below 80% past 100% raises
 * both, lowest first. No allowance (trial over, cancelled) raises nothing: there is nothing to
 * approach, and the held state says so instead.
 */
export function warningsDue(
  used: number,
  allowance: number,
  alreadyRaised: readonly WarningThreshold[],
): WarningThreshold[] {
  assertMinor(used, "used");
  assertMinor(allowance, "allowance");
  if (allowance === 0) return [];
  return WARNING_THRESHOLDS.filter(
    (threshold) => used * 100 >= allowance * threshold && !alreadyRaised.includes(threshold),
  );
}
