import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import type { BugStatus, ReviewStatus, Severity } from "./labels";

/** Reads of the review queue (RLS: bugs.read): items held below a confidence gate. */

export const REVIEW_PAGE_SIZE = 50;

export interface ReviewRow {
  /** The newest item's id: deciding on it decides the bug's other open items too. */
  id: string;
  /** Every gate the bug is held at, newest first: a bug below both gates is one row. */
  gates: Array<{ gate: "extraction" | "mapping"; reason: string }>;
  status: ReviewStatus;
  createdAt: string;
  resolvedAt: string | null;
  bug: {
    id: string;
    title: string;
    severity: Severity;
    status: BugStatus;
    extractionConfidence: number;
    mappingConfidence: number | null;
    top: { path: string; functionName: string | null } | null;
  } | null;
  ticket: { id: string; subject: string } | null;
}

/**
 * Items with `status`, newest first, one row per bug (its gates together: accepting or
 * dismissing decides them all, lib/pipeline-data/mutations.ts); one page.
 */
export async function listReviewItems(
  supabase: ServerSupabaseClient,
  organizationId: string,
  status: ReviewStatus,
): Promise<ReviewRow[]> {
  const raw = dataOrThrow(
    await supabase
      .from("review_items")
      .select(
        `id, gate, reason, status, created_at, resolved_at,
         bugs(id, title, severity, status, extraction_confidence, mapping_confidence,
           bug_locations(path, function_name, rank)),
         tickets(id, subject)`,
      )
      .eq("organization_id", organizationId)
      .eq("status", status)
      .eq("bugs.bug_locations.rank", 1)
      .order("created_at", { ascending: false })
      .limit(REVIEW_PAGE_SIZE),
  ) as unknown as Array<{
    id: string;
    gate: "extraction" | "mapping";
    reason: string;
    status: ReviewStatus;
    created_at: string;
    resolved_at: string | null;
    bugs: {
      id: string;
      title: string;
      severity: Severity;
      status: BugStatus;
      extraction_confidence: number | string;
      mapping_confidence: number | string | null;
      bug_locations: Array<{ path: string; function_name: string | null }>;
    } | null;
    tickets: { id: string; subject: string } | null;
  }>;
  const rows: ReviewRow[] = [];
  const byBug = new Map<string, ReviewRow>();
  for (const r of raw) {
    const gate = { gate: r.gate, reason: r.reason };
    const same = r.bugs ? byBug.get(r.bugs.id) : undefined;
    if (same) {
      same.gates.push(gate);
      continue;
    }
    const top = r.bugs?.bug_locations[0];
    const row: ReviewRow = {
      id: r.id,
      gates: [gate],
      status: r.status,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
      bug: r.bugs
        ? {
            id: r.bugs.id,
            title: r.bugs.title,
            severity: r.bugs.severity,
            status: r.bugs.status,
            extractionConfidence: Number(r.bugs.extraction_confidence),
            mappingConfidence:
              r.bugs.mapping_confidence === null ? null : Number(r.bugs.mapping_confidence),
            top: top ? { path: top.path, functionName: top.function_name } : null,
          }
        : null,
      ticket: r.tickets,
    };
    if (r.bugs) byBug.set(r.bugs.id, row);
    rows.push(row);
  }
  return rows;
}

/** How many items wait in the queue (for the nav hint and the empty state). */
export async function countOpenReviewItems(
  supabase: ServerSupabaseClient,
  organizationId: string,
): Promise<number> {
  const { count, error } = await supabase
    .from("review_items")
    .select("id", { count: "exact", head: true })
    .eq("organization_id", organizationId)
    .eq("status", "open");
  if (error) throw error;
  return count ?? 0;
}
