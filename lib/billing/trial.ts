/**
 * The trial: a new workspace may meter up to `bugLimit` Mapped Bugs within `days` days, no card,
 * and the trial ends at whichever comes first. The defaults mirror the column defaults of
 * `subscriptions` (trial_ends_at = now() + 14 days, trial_bug_limit = 10); an integration test
 * holds the two together. The subscription row carries the terms, so a workspace's trial can be
 * extended by the service role without code.
 */

export const TRIAL_DEFAULTS = { days: 14, bugLimit: 10 } as const;

export interface TrialTerms {
  startedAt: Date;
  /** The end by time (startedAt + 14 days by default). */
  endsAt: Date;
  bugLimit: number;
}

export type TrialState =
  | { status: "active"; bugsUsed: number; bugsLeft: number; endsAt: Date }
  | { status: "ended"; reason: "time" | "bugs"; endedAt: Date; bugsUsed: number };

/** Terms of a trial started at `startedAt` with the default length and bug limit. */
export function defaultTrialTerms(startedAt: Date): TrialTerms {
  return {
    startedAt,
    endsAt: new Date(startedAt.getTime() + TRIAL_DEFAULTS.days * 86_400_000),
    bugLimit: TRIAL_DEFAULTS.bugLimit,
  };
}

/**
 * Where the trial stands at `now`, given the billed_at of the workspace's Mapped Bugs. Only bugs
 * billed inside the window [startedAt, endsAt) and not after `now` count. The trial ends by bugs
 * at the moment the `bugLimit`-th bug was billed (that bug is still inside the trial), or by time
 * at `endsAt`, whichever is earlier.
 */
export function trialState(terms: TrialTerms, billedAts: readonly Date[], now: Date): TrialState {
  if (!Number.isSafeInteger(terms.bugLimit) || terms.bugLimit < 1) {
    throw new RangeError(`trial bug limit must be a positive integer, got ${terms.bugLimit}`);
  }
  const start = terms.startedAt.getTime();
  const end = terms.endsAt.getTime();
  const at = now.getTime();
  const inTrial = billedAts
    .map((d) => d.getTime())
    .filter((t) => t >= start && t < end && t <= at)
    .sort((x, y) => x - y);
  const limitReachedAt = inTrial[terms.bugLimit - 1];
  if (limitReachedAt !== undefined) {
    return {
      status: "ended",
      reason: "bugs",
      endedAt: new Date(limitReachedAt),
      bugsUsed: terms.bugLimit,
    };
  }
  if (at >= end) {
    return { status: "ended", reason: "time", endedAt: new Date(end), bugsUsed: inTrial.length };
  }
  return {
    status: "active",
    bugsUsed: inTrial.length,
    bugsLeft: terms.bugLimit - inTrial.length,
    endsAt: new Date(end),
  };
}
