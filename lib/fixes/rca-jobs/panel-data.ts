import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { type DeployVerdict, stackVerdict } from "../deploy-ancestry";
import { composeRcaMessage } from "../rca/compose";
import { type NoRcaReason, type Severity, whyNoRca } from "../rca/draft";
import { type RcaLanguage, rcaLanguageFor } from "../rca/messages";
import { RCA_SECTION_KEYS, type RcaSections } from "../rca/sections";
import { FIX_SETTINGS_DEFAULTS } from "../settings";

/**
 * What the bug page's RCA panel shows, read as the member (RLS): the deploy state of the fix,
 * the RCA and its status, a preview of the posted text in each linked ticket's language, and the
 * publish history. Viewers read it all; the actions decide who may change it.
 */

export type DeployDisplay = "no_fix" | "waiting" | "shipped" | "rolled_back";

export interface RcaPanelData {
  deploy: {
    state: DeployDisplay;
    shippedAt: string | null;
    deployedSha: string | null;
    pullRequests: {
      repository: string;
      number: number;
      url: string;
      state: string;
      deployState: DeployVerdict;
    }[];
  };
  rca: {
    id: string;
    status: "draft" | "approved" | "published" | "parked";
    version: number;
    approvedVersion: number | null;
    publishedVersion: number | null;
    parkedReason: string | null;
    sections: RcaSections;
    editedAt: string | null;
    /** How the draft was written: the template, the model, or the template after a failed check. */
    draftSource: "offline" | "llm" | "offline_fallback";
    draftNote: string | null;
  } | null;
  approvalRequired: boolean;
  /** Without an RCA: why there is none yet (the rule not met), in the page's words. */
  noRca: { reason: NoRcaReason; text: string } | null;
  previews: { language: RcaLanguage; tickets: number; text: string }[];
  history: {
    id: string;
    ticketId: string;
    ticketLabel: string;
    language: string;
    version: number;
    status: string;
    at: string;
  }[];
}

export async function readRcaPanel(
  supabase: ServerSupabaseClient,
  organizationId: string,
  bugId: string,
  title: string,
): Promise<RcaPanelData> {
  const [prs, rcaRes, links, settings, bugRes] = await Promise.all([
    supabase
      .from("pull_requests")
      .select("repository_full_name, number, url, state, deploy_state, deployed_sha, shipped_at")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .order("repository_full_name"),
    supabase
      .from("rcas")
      .select(
        "id, status, version, approved_version, published_version, parked_reason, sections, edited_at, draft_source, draft_note",
      )
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .maybeSingle(),
    supabase
      .from("bug_tickets")
      .select("ticket_id, tickets!inner(provider, external_id, language)")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId),
    supabase
      .from("fix_settings")
      .select("rca_approval_required, rca_min_cluster_size")
      .eq("organization_id", organizationId)
      .maybeSingle(),
    supabase
      .from("bugs")
      .select("severity")
      .eq("organization_id", organizationId)
      .eq("id", bugId)
      .maybeSingle(),
  ]);
  for (const r of [prs, rcaRes, links, settings, bugRes]) if (r.error) throw r.error;

  const rows = prs.data ?? [];
  const verdict = stackVerdict(rows.map((r) => r.deploy_state as DeployVerdict));
  const state: DeployDisplay =
    rows.length === 0 ? "no_fix" : verdict === "not_yet" ? "waiting" : verdict;
  const latest = rows
    .filter((r) => r.shipped_at)
    .sort((a, b) => Date.parse(b.shipped_at ?? "") - Date.parse(a.shipped_at ?? ""))[0];

  const tickets = (links.data ?? []).map((l) => {
    const t = l.tickets as unknown as {
      provider: string;
      external_id: string;
      language: string | null;
    };
    return {
      id: l.ticket_id,
      label: `${t.provider === "zendesk" ? "Zendesk" : "Intercom"} #${t.external_id}`,
      language: rcaLanguageFor(t.language),
    };
  });
  const r = rcaRes.data;
  const rca = r
    ? {
        id: r.id,
        status: r.status as "draft" | "approved" | "published" | "parked",
        version: r.version,
        approvedVersion: r.approved_version,
        publishedVersion: r.published_version,
        parkedReason: r.parked_reason,
        sections: Object.fromEntries(
          RCA_SECTION_KEYS.map((k) => [
            k,
            String((r.sections as Record<string, unknown>)[k] ?? ""),
          ]),
        ) as RcaSections,
        editedAt: r.edited_at,
        draftSource: r.draft_source,
        draftNote: r.draft_note,
      }
    : null;

  const languages = new Map<RcaLanguage, number>();
  for (const t of tickets) languages.set(t.language, (languages.get(t.language) ?? 0) + 1);
  if (languages.size === 0) languages.set("en", 0);
  const previews = rca
    ? [...languages].map(([language, count]) => ({
        language,
        tickets: count,
        text: composeRcaMessage({
          title,
          sections: rca.sections,
          language,
          isUpdate: false,
          // as publish-rca posts it (bugDeployVerdict: the latest shipped time of a shipped stack)
          deployedAt:
            verdict === "shipped" && latest?.shipped_at ? new Date(latest.shipped_at) : null,
        }),
      }))
    : [];

  let history: RcaPanelData["history"] = [];
  if (rca) {
    const { data, error } = await supabase
      .from("rca_publications")
      .select("id, ticket_id, language, version, status, created_at, sent_at")
      .eq("organization_id", organizationId)
      .eq("rca_id", rca.id)
      .order("created_at", { ascending: false })
      .limit(100);
    if (error) throw error;
    const labels = new Map(tickets.map((t) => [t.id, t.label]));
    history = (data ?? []).map((p) => ({
      id: p.id,
      ticketId: p.ticket_id,
      ticketLabel: labels.get(p.ticket_id) ?? "A ticket no longer linked",
      language: p.language,
      version: p.version,
      status: p.status,
      at: p.sent_at ?? p.created_at,
    }));
  }

  return {
    deploy: {
      state,
      shippedAt: latest?.shipped_at ?? null,
      deployedSha: latest?.deployed_sha ?? null,
      pullRequests: rows.map((p) => ({
        repository: p.repository_full_name,
        number: p.number,
        url: p.url,
        state: p.state,
        deployState: p.deploy_state as DeployVerdict,
      })),
    },
    rca,
    approvalRequired:
      settings.data?.rca_approval_required ?? FIX_SETTINGS_DEFAULTS.rcaApprovalRequired,
    noRca: rca
      ? null
      : whyNoRca({
          severity: (bugRes.data?.severity ?? "medium") as Severity,
          linkedTickets: tickets.length,
          minClusterSize:
            settings.data?.rca_min_cluster_size ?? FIX_SETTINGS_DEFAULTS.rcaMinClusterSize,
          pullRequests: rows.length,
          merged: rows.some((p) => p.state === "merged"),
        }),
    previews,
    history,
  };
}
