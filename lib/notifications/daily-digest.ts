import "server-only";
import { orgRoutes } from "@/lib/auth/routes";
import { meterTerms, usage as usageOf } from "@/lib/billing/meter";
import type { DigestMailInput } from "@/lib/mail/templates/daily-digest";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Occurrence } from "./occurrence";

/**
 * The daily digest (email only, opt-in per person): what a workspace's last 24 hours held. One
 * occurrence per workspace and UTC day (`daily_digest:<day>`), so the email ledger sends each
 * person one digest a day however often the job runs. Nothing is sent on a day with nothing to say
 * (no new Mapped Bug, nothing shipped): usage alone is not news.
 */

const DAY_MS = 86_400_000;
const MAX_CRITICAL = 10;

export interface DigestSummary {
  newBugs: number;
  critical: Array<{ id: string; title: string }>;
  shipped: number;
  /** The meter this period (shown to owners and admins only: billing.read). */
  usage: { used: number; allowance: number } | null;
}

/** The UTC day a run at `now` reports on (its key). */
export function digestDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function digestOccurrence(organizationId: string, now: Date): Occurrence {
  const day = digestDay(now);
  return { organizationId, type: "daily_digest", key: `daily_digest:${day}`, payload: { day } };
}

export function hasNews(summary: DigestSummary): boolean {
  return summary.newBugs > 0 || summary.shipped > 0;
}

/** Workspaces where at least one person turned the digest email on. */
export async function listDigestWorkspaces(admin: AdminSupabaseClient): Promise<string[]> {
  const { data, error } = await admin
    .from("notification_preferences")
    .select("organization_id")
    .eq("event_type", "daily_digest")
    .eq("email", true)
    .limit(10_000);
  if (error) throw new Error(`list digest subscribers: ${error.code ?? error.message}`);
  return [...new Set((data ?? []).map((r) => r.organization_id))].sort();
}

/** The last 24 hours before `now` in a workspace. */
export async function buildDigest(
  admin: AdminSupabaseClient,
  organizationId: string,
  now: Date,
): Promise<DigestSummary> {
  const from = new Date(now.getTime() - DAY_MS).toISOString();
  const to = now.toISOString();
  const [fresh, critical, shipped] = await Promise.all([
    admin
      .from("bugs")
      .select("id", { count: "exact", head: true })
      .eq("organization_id", organizationId)
      .gte("billed_at", from)
      .lt("billed_at", to),
    admin
      .from("bugs")
      .select("id, title")
      .eq("organization_id", organizationId)
      .eq("severity", "critical")
      .gte("billed_at", from)
      .lt("billed_at", to)
      .order("billed_at")
      .limit(MAX_CRITICAL),
    admin
      .from("pull_requests")
      .select("bug_id")
      .eq("organization_id", organizationId)
      .gte("shipped_at", from)
      .lt("shipped_at", to)
      .limit(1000),
  ]);
  for (const r of [fresh, critical, shipped]) {
    if (r.error) throw new Error(`read digest: ${r.error.code ?? r.error.message}`);
  }
  return {
    newBugs: fresh.count ?? 0,
    critical: (critical.data ?? []).map((b) => ({ id: b.id, title: b.title })),
    shipped: new Set((shipped.data ?? []).map((p) => p.bug_id)).size,
    usage: await readUsage(admin, organizationId, now),
  };
}

/** This period's usage, as Settings → Billing computes it (lib/billing/meter). */
async function readUsage(
  admin: AdminSupabaseClient,
  organizationId: string,
  now: Date,
): Promise<DigestSummary["usage"]> {
  const { data: sub, error } = await admin
    .from("subscriptions")
    .select("*")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read subscription: ${error.code ?? error.message}`);
  if (!sub) return null;
  const trial = {
    startedAt: new Date(sub.trial_started_at),
    endsAt: new Date(sub.trial_ends_at),
    bugLimit: sub.trial_bug_limit,
  };
  const currentPeriod =
    sub.current_period_start && sub.current_period_end
      ? { start: new Date(sub.current_period_start), end: new Date(sub.current_period_end) }
      : null;
  const window =
    sub.status === "trialing" || !currentPeriod
      ? { start: trial.startedAt, end: trial.endsAt }
      : currentPeriod;
  const { data: billed, error: billedError } = await admin
    .from("bugs")
    .select("billed_at")
    .eq("organization_id", organizationId)
    .gte("billed_at", window.start.toISOString())
    .lt("billed_at", window.end.toISOString())
    .order("billed_at")
    .limit(10_000);
  if (billedError) throw new Error(`read meter: ${billedError.code ?? billedError.message}`);
  const billedAts = (billed ?? []).flatMap((b) => (b.billed_at ? [new Date(b.billed_at)] : []));
  let included: number | null = null;
  if (sub.plan_id) {
    const { data: plan, error: planError } = await admin
      .from("plans")
      .select("included_bugs")
      .eq("id", sub.plan_id)
      .single();
    if (planError) throw new Error(`read plan: ${planError.code ?? planError.message}`);
    included = plan.included_bugs;
  }
  const terms = meterTerms(
    { status: sub.status, trial, currentPeriod, overageCap: sub.overage_cap },
    included,
    billedAts,
    now,
  );
  const u = usageOf(billedAts.length, terms);
  return { used: u.used, allowance: u.allowance };
}

/** The mail input for one person (the usage line for owners and admins only). */
export function digestMailInput(args: {
  to: string;
  role: string;
  workspace: { name: string; slug: string };
  summary: DigestSummary;
  day: string;
  site: string;
  unsubscribeUrl: string;
  settingsUrl: string;
}): DigestMailInput {
  const routes = orgRoutes(args.workspace.slug);
  const abs = (href: string) => new URL(href, args.site).toString();
  const seesBilling = args.role === "owner" || args.role === "admin";
  return {
    to: args.to,
    workspaceName: args.workspace.name,
    day: args.day,
    newBugs: args.summary.newBugs,
    critical: args.summary.critical.map((c) => ({ title: c.title, url: abs(routes.bug(c.id)) })),
    shipped: args.summary.shipped,
    usage:
      seesBilling && args.summary.usage
        ? { ...args.summary.usage, billingUrl: abs(routes.billing) }
        : null,
    bugsUrl: abs(routes.bugs),
    unsubscribeUrl: args.unsubscribeUrl,
    settingsUrl: args.settingsUrl,
  };
}
