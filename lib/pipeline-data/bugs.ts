import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import {
  keysetFilter,
  likePattern,
  type Page,
  type PageRequest,
  readsAscending,
  toPage,
} from "./cursor";
import type { BugStatus, Severity } from "./labels";

/**
 * Reads of a workspace's bugs for the Bugs pages, as the signed-in member (RLS: bugs.read).
 * Lists are keyset-paginated on (created_at desc, id desc) with the filters in the query, so a
 * workspace with 10,000 bugs reads one index range per page (docs/pipeline-pages.md).
 */

export const BUGS_PAGE_SIZE = 25;

export interface BugFilters {
  status?: BugStatus;
  severity?: Severity;
  /** owner/name of the top location's repository */
  repository?: string;
  /** words in the title */
  q?: string;
}

export interface BugListRow {
  id: string;
  title: string;
  severity: Severity;
  status: BugStatus;
  extractionConfidence: number;
  mappingConfidence: number | null;
  createdAt: string;
  top: { repository: string; path: string; functionName: string | null } | null;
  ticketCount: number;
}

interface RawBug {
  id: string;
  title: string;
  severity: string;
  status: string;
  extraction_confidence: number | string;
  mapping_confidence: number | string | null;
  created_at: string;
  bug_locations: Array<{
    repository_full_name: string;
    path: string;
    function_name: string | null;
  }>;
  bug_tickets: Array<{ ticket_id: string }>;
}

function toRow(b: RawBug): BugListRow {
  const top = b.bug_locations[0];
  return {
    id: b.id,
    title: b.title,
    severity: b.severity as Severity,
    status: b.status as BugStatus,
    extractionConfidence: Number(b.extraction_confidence),
    mappingConfidence: b.mapping_confidence === null ? null : Number(b.mapping_confidence),
    createdAt: b.created_at,
    top: top
      ? { repository: top.repository_full_name, path: top.path, functionName: top.function_name }
      : null,
    ticketCount: b.bug_tickets.length,
  };
}

/**
 * One page of bugs, newest first. `after` continues to older bugs, `before` goes back to newer
 * ones (read ascending from the cursor, then reversed).
 */
export async function listBugs(
  supabase: ServerSupabaseClient,
  organizationId: string,
  filters: BugFilters,
  page: PageRequest = {},
): Promise<Page<BugListRow>> {
  // the repository filter needs the top location to exist: an inner embed, else a left one
  const locations = filters.repository
    ? "bug_locations!inner(repository_full_name, path, function_name)"
    : "bug_locations(repository_full_name, path, function_name)";
  const ascending = readsAscending(page);
  let query = supabase
    .from("bugs")
    .select(
      `id, title, severity, status, extraction_confidence, mapping_confidence, created_at, ${locations}, bug_tickets(ticket_id)`,
    )
    .eq("organization_id", organizationId)
    .eq("bug_locations.rank", 1);
  if (filters.status) query = query.eq("status", filters.status);
  if (filters.severity) query = query.eq("severity", filters.severity);
  if (filters.repository)
    query = query.eq("bug_locations.repository_full_name", filters.repository);
  if (filters.q) query = query.ilike("title", likePattern(filters.q));
  if (page.after) {
    query = query
      .lte("created_at", page.after.at)
      .or(keysetFilter("created_at", page.after, "older"));
  } else if (page.before) {
    query = query
      .gte("created_at", page.before.at)
      .or(keysetFilter("created_at", page.before, "newer"));
  }
  const raw = dataOrThrow(
    await query
      .order("created_at", { ascending })
      .order("id", { ascending })
      .limit(BUGS_PAGE_SIZE + 1),
  ) as unknown as RawBug[];
  return toPage(raw, BUGS_PAGE_SIZE, page, toRow, (r) => ({ at: r.createdAt, id: r.id }));
}

/** The repositories the workspace's bugs may point at (for the repository filter). */
export async function listRepositoryNames(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<string[]> {
  const rows = dataOrThrow(
    await supabase
      .from("integration_repositories")
      .select("full_name")
      .eq("organization_id", organizationId)
      .eq("selected", true)
      .order("full_name"),
  );
  return [...new Set(rows.map((r) => r.full_name))];
}

export interface BugLocation {
  id: string;
  repository: string;
  commitSha: string;
  path: string;
  functionName: string | null;
  startLine: number;
  endLine: number;
  confidence: number;
  explanation: string;
  rank: number;
  mismapped: boolean;
  mismappedReason: string | null;
  mismappedAt: string | null;
}

export interface LinkedTicket {
  id: string;
  subject: string;
  provider: string;
  externalId: string;
  status: string;
  linkReason: string;
  receivedAt: string;
}

export interface BugReviewItem {
  id: string;
  gate: "extraction" | "mapping";
  reason: string;
  status: "open" | "accepted" | "dismissed";
  createdAt: string;
}

export interface BugDetail {
  id: string;
  title: string;
  severity: Severity;
  severityCue: string | null;
  status: BugStatus;
  steps: string[];
  expected: string | null;
  actual: string | null;
  feature: string | null;
  impact: string | null;
  errorMessages: string[];
  stackTraces: string[];
  verbatim: string;
  verbatimLanguage: string | null;
  extractionConfidence: number;
  extractionReasons: string[];
  mappingConfidence: number | null;
  billedAt: string | null;
  editedAt: string | null;
  /** The edit the locations were re-mapped from (null: never re-mapped). */
  remappedEditAt: string | null;
  createdAt: string;
  locations: BugLocation[];
  tickets: LinkedTicket[];
  reviewItems: BugReviewItem[];
}

/** One bug with its locations, tickets and review items; null when it is not this workspace's. */
export async function getBug(
  supabase: ServerSupabaseClient,
  organizationId: string,
  bugId: string,
): Promise<BugDetail | null> {
  const { data, error } = await supabase
    .from("bugs")
    .select(
      `id, title, severity, severity_cue, status, steps, expected, actual, feature, impact,
       error_messages, stack_traces, verbatim, verbatim_language, extraction_confidence,
       extraction_reasons, mapping_confidence, billed_at, edited_at, remapped_edit_at,
       created_at, bug_locations(id, repository_full_name, commit_sha, path, function_name, start_line,
         end_line, confidence, explanation, rank, mismapped, mismapped_reason, mismapped_at),
       bug_tickets(link_reason, tickets(id, subject, provider, external_id, status, received_at)),
       review_items(id, gate, reason, status, created_at)`,
    )
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .order("rank", { referencedTable: "bug_locations" })
    .maybeSingle();
  if (error) throw error;
  if (!data) return null;
  const d = data as unknown as Record<string, unknown> & {
    bug_locations: Array<Record<string, unknown>>;
    bug_tickets: Array<{ link_reason: string; tickets: Record<string, unknown> | null }>;
    review_items: Array<Record<string, unknown>>;
  };
  return {
    id: String(d.id),
    title: String(d.title),
    severity: d.severity as Severity,
    severityCue: (d.severity_cue as string | null) ?? null,
    status: d.status as BugStatus,
    steps: (d.steps as string[]) ?? [],
    expected: (d.expected as string | null) ?? null,
    actual: (d.actual as string | null) ?? null,
    feature: (d.feature as string | null) ?? null,
    impact: (d.impact as string | null) ?? null,
    errorMessages: (d.error_messages as string[]) ?? [],
    stackTraces: (d.stack_traces as string[]) ?? [],
    verbatim: String(d.verbatim ?? ""),
    verbatimLanguage: (d.verbatim_language as string | null) ?? null,
    extractionConfidence: Number(d.extraction_confidence),
    extractionReasons: (d.extraction_reasons as string[]) ?? [],
    mappingConfidence: d.mapping_confidence === null ? null : Number(d.mapping_confidence),
    billedAt: (d.billed_at as string | null) ?? null,
    editedAt: (d.edited_at as string | null) ?? null,
    remappedEditAt: (d.remapped_edit_at as string | null) ?? null,
    createdAt: String(d.created_at),
    locations: d.bug_locations
      .map((l) => ({
        id: String(l.id),
        repository: String(l.repository_full_name),
        commitSha: String(l.commit_sha),
        path: String(l.path),
        functionName: (l.function_name as string | null) ?? null,
        startLine: Number(l.start_line),
        endLine: Number(l.end_line),
        confidence: Number(l.confidence),
        explanation: String(l.explanation ?? ""),
        rank: Number(l.rank),
        mismapped: Boolean(l.mismapped),
        mismappedReason: (l.mismapped_reason as string | null) ?? null,
        mismappedAt: (l.mismapped_at as string | null) ?? null,
      }))
      .sort((a, b) => a.rank - b.rank),
    tickets: d.bug_tickets.flatMap((bt) =>
      bt.tickets
        ? [
            {
              id: String(bt.tickets.id),
              subject: String(bt.tickets.subject ?? ""),
              provider: String(bt.tickets.provider),
              externalId: String(bt.tickets.external_id),
              status: String(bt.tickets.status),
              linkReason: bt.link_reason,
              receivedAt: String(bt.tickets.received_at),
            },
          ]
        : [],
    ),
    reviewItems: d.review_items.map((r) => ({
      id: String(r.id),
      gate: r.gate as "extraction" | "mapping",
      reason: String(r.reason),
      status: r.status as "open" | "accepted" | "dismissed",
      createdAt: String(r.created_at),
    })),
  };
}

/** `${GITHUB_WEB_BASE}/{owner}/{repo}/blob/{sha}/{path}#L{a}-L{b}`: the lines at the indexed commit. */
export function githubLinesUrl(webBase: string, location: BugLocation): string {
  const base = webBase.replace(/\/$/, "");
  const path = location.path.split("/").map(encodeURIComponent).join("/");
  return `${base}/${location.repository}/blob/${location.commitSha}/${path}#L${location.startLine}-L${location.endLine}`;
}
