/**
 * Credits for mismapped bugs: any role may flag a Mapped Bug as mismapped with a reason; a flag
 * within 7 days of the bug's billed_at earns one credit on the next invoice; later the flag is
 * kept but earns nothing; a bug earns at most one credit, however often it is flagged. The
 * database holds the same rules (`bug_credits`: unique bug, window check, billed_at copied from
 * the bug), so a caller that skips this check is still refused.
 */

export const CREDIT_WINDOW_MS = 7 * 86_400_000;

export type CreditDecision =
  | { credit: true }
  | { credit: false; reason: "not_billed" | "window_passed" | "already_credited" };

/** Whether flagging a bug at `flaggedAt` earns a credit. */
export function creditFor(bug: {
  billedAt: Date | null;
  flaggedAt: Date;
  alreadyCredited: boolean;
}): CreditDecision {
  if (bug.billedAt === null) return { credit: false, reason: "not_billed" };
  if (bug.alreadyCredited) return { credit: false, reason: "already_credited" };
  // a flag cannot precede the billing it disputes; a clock a little behind counts as "at once"
  const elapsed = Math.max(0, bug.flaggedAt.getTime() - bug.billedAt.getTime());
  if (elapsed > CREDIT_WINDOW_MS) return { credit: false, reason: "window_passed" };
  return { credit: true };
}
