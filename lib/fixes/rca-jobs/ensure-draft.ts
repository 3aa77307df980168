import { log } from "@/lib/log";
import type { LlmClient } from "@/lib/pipeline/llm/types";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { bugDeployVerdict } from "../deploys/record-deployment";
import { draftRca, type RcaFacts, type Severity, shouldDraftRca } from "../rca/draft";
import { draftRcaWithModel, type RcaDraftSource } from "../rca/llm-draft";
import { FIX_SETTINGS_DEFAULTS } from "../settings";

const draftLog = log.child({ module: "rca-draft" });

/**
 * Drafts a bug's customer RCA offline when it qualifies (a merged fix, and a critical/high bug or
 * a linked-ticket cluster at the workspace minimum), from the bug's edited fields and the PR and
 * deploy facts. One RCA per bug: an existing one is kept, except that a draft nobody has touched
 * (never edited, never approved) is refreshed so its timeline gains the deploy time once the fix
 * ships. Anything a person wrote or approved stays as it is.
 *
 * With the workspace's LLM client (`opts.llm`) a new draft's prose is the model's, checked for
 * plain language (lib/fixes/rca/llm-draft.ts), else the offline template with a note saying why.
 * Refreshing an untouched model draft only replaces its timeline with the facts' (no second call).
 */

export type EnsureDraftResult =
  | { kind: "not_eligible" }
  | { kind: "drafted"; rcaId: string }
  | { kind: "refreshed"; rcaId: string }
  | { kind: "kept"; rcaId: string };

export async function fixSettingsOf(admin: AdminSupabaseClient, organizationId: string) {
  const { data, error } = await admin
    .from("fix_settings")
    .select("rca_approval_required, rca_min_cluster_size")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) throw new Error(`read fix settings: ${error.message}`);
  return {
    approvalRequired: data?.rca_approval_required ?? FIX_SETTINGS_DEFAULTS.rcaApprovalRequired,
    minClusterSize: data?.rca_min_cluster_size ?? FIX_SETTINGS_DEFAULTS.rcaMinClusterSize,
  };
}

export async function ensureRcaDraft(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  /**
   * A merged pull_request delivery may arrive before its row says merged (github-pr-activity
   * handles the same delivery side by side): `mergedNow` counts it as merged, and `mergedPr` gives
   * its merge time for the timeline. `llm`: the workspace's model drafts the prose when given.
   */
  opts: {
    mergedNow?: boolean;
    mergedPr?: { repository: string; number: number; mergedAt: string };
    llm?: LlmClient | null;
  } = {},
): Promise<EnsureDraftResult> {
  const [bugRes, prRes, linkRes, locRes, rcaRes, settings, deploy] = await Promise.all([
    admin
      .from("bugs")
      .select("title, severity, feature, impact, expected, actual")
      .eq("organization_id", organizationId)
      .eq("id", bugId)
      .maybeSingle(),
    admin
      .from("pull_requests")
      .select("repository_full_name, number, state, merged_at")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
    admin
      .from("bug_tickets")
      .select("ticket_id, tickets!inner(provider_created_at)")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
    admin
      .from("bug_locations")
      .select("path, function_name")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
    admin
      .from("rcas")
      .select("id, status, edited_by, approved_version, draft_source, sections")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .maybeSingle(),
    fixSettingsOf(admin, organizationId),
    bugDeployVerdict(admin, organizationId, bugId),
  ]);
  for (const r of [bugRes, prRes, linkRes, locRes, rcaRes]) {
    if (r.error) throw new Error(`read RCA facts: ${r.error.message}`);
  }
  const bug = bugRes.data;
  if (!bug) return { kind: "not_eligible" };
  const prs = prRes.data ?? [];
  const links = linkRes.data ?? [];
  const merged = opts.mergedNow === true || prs.some((p) => p.state === "merged");
  const eligible = shouldDraftRca({
    severity: bug.severity as Severity,
    linkedTickets: links.length,
    minClusterSize: settings.minClusterSize,
    merged,
  });
  const existing = rcaRes.data;
  if (!eligible && !existing) return { kind: "not_eligible" };

  const firstAt = links
    .map(
      (l) =>
        new Date((l.tickets as unknown as { provider_created_at: string }).provider_created_at),
    )
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const avoid = (locRes.data ?? []).flatMap((l) => {
    const names = [l.path, l.path.split("/").at(-1) ?? l.path];
    if (l.function_name) names.push(l.function_name, l.function_name.split(/[.:#]/).at(-1) ?? "");
    return names.filter((n) => n.length > 0);
  });
  const facts: RcaFacts = {
    bug: {
      title: bug.title,
      severity: bug.severity as Severity,
      feature: bug.feature,
      impact: bug.impact,
      expected: bug.expected,
      actual: bug.actual,
    },
    reports: { count: Math.max(links.length, 1), firstAt: firstAt ?? new Date() },
    pullRequests: prs.map((p) => {
      const delivered =
        opts.mergedPr &&
        opts.mergedPr.number === p.number &&
        opts.mergedPr.repository.toLowerCase() === p.repository_full_name.toLowerCase()
          ? opts.mergedPr.mergedAt
          : null;
      const mergedAt = p.merged_at ?? delivered;
      return {
        repository: p.repository_full_name,
        number: p.number,
        mergedAt: mergedAt ? new Date(mergedAt) : null,
      };
    }),
    deployedAt: deploy.verdict === "shipped" ? deploy.deployedAt : null,
    testsAdded: false,
    avoid,
  };

  if (!existing) {
    const drafted = await draftRcaWithModel(opts.llm ?? null, facts);
    if (drafted.call) {
      const { inputTokens, outputTokens, ...rest } = drafted.call;
      draftLog.info(
        {
          organizationId,
          bugId,
          llm: { ...rest, usage: { input: inputTokens, output: outputTokens } },
        },
        `llm rca: ${drafted.call.outcome}`,
      );
    }
    const { data, error } = await admin
      .from("rcas")
      .upsert(
        {
          organization_id: organizationId,
          bug_id: bugId,
          sections: drafted.sections,
          draft_source: drafted.source,
          draft_note: drafted.note,
        },
        { onConflict: "bug_id", ignoreDuplicates: true },
      )
      .select("id");
    if (error) throw new Error(`draft RCA: ${error.message}`);
    const id = data?.[0]?.id;
    if (id) return { kind: "drafted", rcaId: id };
    // a concurrent run drafted it first
    const again = await admin.from("rcas").select("id").eq("bug_id", bugId).single();
    return { kind: "kept", rcaId: again.data?.id ?? "" };
  }
  const untouched =
    existing.status === "draft" &&
    existing.edited_by === null &&
    existing.approved_version === null;
  if (!untouched) return { kind: "kept", rcaId: existing.id };
  const offline = draftRca(facts);
  const source = existing.draft_source as RcaDraftSource;
  // a model's prose stays; only its timeline follows the facts (the deploy time arrives later)
  const sections =
    source === "llm"
      ? { ...(existing.sections as Record<string, string>), timeline: offline.timeline }
      : offline;
  const { data: refreshed, error } = await admin
    .from("rcas")
    .update({ sections })
    .eq("organization_id", organizationId)
    .eq("id", existing.id)
    .eq("status", "draft")
    .is("edited_by", null)
    .select("id, sections");
  if (error) throw new Error(`refresh RCA draft: ${error.message}`);
  return refreshed?.length
    ? { kind: "refreshed", rcaId: existing.id }
    : { kind: "kept", rcaId: existing.id };
}
