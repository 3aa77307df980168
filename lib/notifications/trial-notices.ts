import "server-only";
import { trialState } from "@/lib/billing/trial";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";

/**
 * Which trial notice a workspace is due (issue 18: "a trial ending tells the owners and admins what
 * to do"): `trial_ending` once 3 days or less are left, or 8 of the trial's 10 Mapped Bugs are used
 * (the share scales with the row's trial_bug_limit); `trial_ended` once the trial ended (by time or
 * by bugs) while the workspace is still trialing, i.e. without a subscription. A workspace already
 * told of the end is not told it is ending.
 */

export type TrialNotice = "trial_ending" | "trial_ended";

export const TRIAL_ENDING_DAYS = 3;
/** 8 of 10: the trial's bugs used from which it counts as ending. */
export const TRIAL_ENDING_BUG_SHARE = 0.8;

export interface TrialNoticeInput {
  startedAt: Date;
  endsAt: Date;
  bugLimit: number;
  billedAts: readonly Date[];
  endingNotified: boolean;
  endedNotified: boolean;
}

export function dueTrialNotice(input: TrialNoticeInput, now: Date): TrialNotice | null {
  const state = trialState(
    { startedAt: input.startedAt, endsAt: input.endsAt, bugLimit: input.bugLimit },
    input.billedAts,
    now,
  );
  if (state.status === "ended") return input.endedNotified ? null : "trial_ended";
  if (input.endingNotified) return null;
  const closeInTime = state.endsAt.getTime() - now.getTime() <= TRIAL_ENDING_DAYS * 86_400_000;
  const closeInBugs = state.bugsUsed >= Math.ceil(input.bugLimit * TRIAL_ENDING_BUG_SHARE);
  return closeInTime || closeInBugs ? "trial_ending" : null;
}

/**
 * Trialing workspaces that may be due a notice: not yet told the trial ended. The bug count is
 * checked per workspace (dueTrialNotice), so this list is a superset.
 */
export async function listTrialCandidates(admin: AdminSupabaseClient): Promise<string[]> {
  const { data, error } = await admin
    .from("subscriptions")
    .select("organization_id")
    .eq("status", "trialing")
    .is("trial_ended_notified_at", null)
    .order("trial_ends_at")
    .limit(1000);
  if (error) throw new Error(`list trialing subscriptions: ${error.code ?? error.message}`);
  return (data ?? []).map((r) => r.organization_id);
}

/**
 * Claims the notice a workspace is due, if any: stamps its column where still null (and the
 * subscription still trialing), so a concurrent or repeated sweep claims it at most once.
 * Returns the reason and the stamp (the occurrence's time, hence its notification key).
 */
export async function claimTrialNotice(
  admin: AdminSupabaseClient,
  organizationId: string,
  now: Date,
): Promise<{ reason: TrialNotice; at: string } | null> {
  const { data: sub, error } = await admin
    .from("subscriptions")
    .select(
      "trial_started_at, trial_ends_at, trial_bug_limit, trial_ending_notified_at, trial_ended_notified_at",
    )
    .eq("organization_id", organizationId)
    .eq("status", "trialing")
    .maybeSingle();
  if (error) throw new Error(`read subscription: ${error.code ?? error.message}`);
  if (!sub) return null;
  const { data: bugs, error: bugsError } = await admin
    .from("bugs")
    .select("billed_at")
    .eq("organization_id", organizationId)
    .gte("billed_at", sub.trial_started_at)
    .lt("billed_at", sub.trial_ends_at)
    .order("billed_at")
    .limit(sub.trial_bug_limit);
  if (bugsError) throw new Error(`read billed bugs: ${bugsError.code ?? bugsError.message}`);
  const reason = dueTrialNotice(
    {
      startedAt: new Date(sub.trial_started_at),
      endsAt: new Date(sub.trial_ends_at),
      bugLimit: sub.trial_bug_limit,
      billedAts: (bugs ?? []).flatMap((b) => (b.billed_at ? [new Date(b.billed_at)] : [])),
      endingNotified: sub.trial_ending_notified_at !== null,
      endedNotified: sub.trial_ended_notified_at !== null,
    },
    now,
  );
  if (!reason) return null;
  const column = reason === "trial_ended" ? "trial_ended_notified_at" : "trial_ending_notified_at";
  const at = now.toISOString();
  const { data: claimed, error: claimError } = await admin
    .from("subscriptions")
    .update(
      reason === "trial_ended" ? { trial_ended_notified_at: at } : { trial_ending_notified_at: at },
    )
    .eq("organization_id", organizationId)
    .eq("status", "trialing")
    .is(column, null)
    .select("organization_id");
  if (claimError) throw new Error(`claim trial notice: ${claimError.code ?? claimError.message}`);
  return claimed && claimed.length > 0 ? { reason, at } : null;
}
