import type { SubscriptionStatus } from "@/lib/supabase/billing.types";
import { assertMinor } from "./money";
import { type TrialTerms, trialState } from "./trial";

/**
 * The meter: how many Mapped Bugs a workspace was billed for in a period, read from the bugs'
 * `billed_at` (stamped once by the database when a bug first becomes mapped), and the terms the
 * period is judged by (allowance and cap).
 */

/** A billing period, start inclusive, end exclusive. */
export interface Period {
  start: Date;
  end: Date;
}

/** Mapped Bugs whose billed_at falls in [period.start, period.end). */
export function countInPeriod(billedAts: readonly Date[], period: Period): number {
  const start = period.start.getTime();
  const end = period.end.getTime();
  let count = 0;
  for (const d of billedAts) {
    const t = d.getTime();
    if (t >= start && t < end) count += 1;
  }
  return count;
}

export interface MeterSubscription {
  status: SubscriptionStatus;
  trial: TrialTerms;
  /** Null during the trial. */
  currentPeriod: Period | null;
  overageCap: number | null;
}

export interface MeterTerms {
  /** The window bugs are counted in: the trial, or the paid period. */
  period: Period | null;
  /** Mapped Bugs included in the period (0 when nothing may be metered: trial over, cancelled). */
  allowance: number;
  /** Mapped Bugs accepted in the period; bugs past it are held. Never below the allowance. */
  cap: number;
}

/**
 * The terms the meter applies now. A trial includes its bug limit and has no overage; a trial
 * that ended with no paid plan, and a cancelled subscription, include nothing (new bugs are held,
 * never lost). Active, pending (Razorpay retrying a charge) and halted subscriptions keep their
 * plan's allowance and the workspace's cap: holding work because a charge is being retried would
 * punish the customer for the card network.
 */
export function meterTerms(
  subscription: MeterSubscription,
  includedBugs: number | null,
  billedAts: readonly Date[],
  now: Date,
): MeterTerms {
  if (subscription.status === "trialing") {
    const trial = trialState(subscription.trial, billedAts, now);
    const period = { start: subscription.trial.startedAt, end: subscription.trial.endsAt };
    if (trial.status === "ended" && trial.reason === "time") {
      return { period: null, allowance: 0, cap: 0 };
    }
    const limit = subscription.trial.bugLimit;
    return { period, allowance: limit, cap: limit };
  }
  if (subscription.status === "cancelled" || subscription.currentPeriod === null) {
    return { period: null, allowance: 0, cap: 0 };
  }
  if (includedBugs === null) throw new Error("a paid subscription needs its plan's allowance");
  const allowance = assertMinor(includedBugs, "included bugs");
  return {
    period: subscription.currentPeriod,
    allowance,
    cap: effectiveCap(allowance, subscription.overageCap),
  };
}

/** The cap the meter applies: the workspace's cap, but never below the allowance. */
export function effectiveCap(allowance: number, overageCap: number | null): number {
  return Math.max(allowance, overageCap ?? allowance);
}

export interface Usage {
  used: number;
  allowance: number;
  cap: number;
  /** Bugs billed past the allowance (up to the cap). */
  overage: number;
  /** Whole percent of the allowance used, for the usage bar (may pass 100 with overage). */
  percent: number;
}

/** The usage summary of a period, for the billing page and the warnings. */
export function usage(used: number, terms: Pick<MeterTerms, "allowance" | "cap">): Usage {
  assertMinor(used, "used");
  const { allowance, cap } = terms;
  return {
    used,
    allowance,
    cap,
    overage: Math.max(0, used - allowance),
    percent: allowance === 0 ? (used > 0 ? 100 : 0) : Math.floor((used * 100) / allowance),
  };
}
