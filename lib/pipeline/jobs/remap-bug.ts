import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { BugRow } from "@/lib/supabase/pipeline.types";
import { mapBug } from "../mapping/map-bug";
import type { SearchIndex } from "../mapping/search-index";
import type { BugReport } from "../mapping/types";
import type { BridgeTable } from "../mapping/vocabulary/types";
import type { IndexedRepository } from "./code-index-store";
import { type Gates, type LocationDraft, locationsOf } from "./decide";

/**
 * Re-mapping a bug after a person corrected its fields (issue 14, docs/pipeline.md "Re-mapping
 * after an edit"). The edited fields go through the same engine as a new ticket (`mapBug` over
 * the workspace's ready indexes, top 5 locations); the result replaces the bug's locations in one
 * transaction (public.replace_bug_locations). The bug's status never changes here and it is
 * never metered again: a Mapped Bug stays Mapped whatever the new confidence (a person's
 * correction is itself a review, and it was billed already); a bug in review keeps its review
 * item for the mapping gate, whose reason is rewritten with the new figures.
 */

type EditedBug = Pick<
  BugRow,
  | "title"
  | "steps"
  | "expected"
  | "actual"
  | "feature"
  | "impact"
  | "error_messages"
  | "stack_traces"
>;

/**
 * The report the engine reads after an edit: the person's corrected fields, plus the error
 * messages and stack traces extracted from the ticket (not editable, still evidence). The
 * customer's verbatim words are left out on purpose: the corrected fields are the person's
 * reading of them, and re-reading the original would pull the map back where the edit moved it.
 */
export function editedReport(bug: EditedBug): BugReport {
  return {
    title: bug.title,
    description: bug.impact ?? undefined,
    stepsToReproduce: bug.steps.length
      ? bug.steps.map((s, i) => `${i + 1}. ${s}`).join("\n")
      : undefined,
    expected: bug.expected ?? undefined,
    actual: bug.actual ?? undefined,
    errorMessages: bug.error_messages,
    stackTraces: bug.stack_traces,
    featureArea: bug.feature ?? undefined,
  };
}

const round3 = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;

/** The engine's answer for the edited fields; empty when nothing is indexed. */
export function remapEdited(
  bug: EditedBug,
  search: SearchIndex | null,
  bridge: BridgeTable | null = null,
): { locations: LocationDraft[]; mappingConfidence: number | null } {
  if (!search) return { locations: [], mappingConfidence: null };
  const mapping = mapBug(search, editedReport(bug), bridge ? { bridge } : {});
  const locations = locationsOf(mapping);
  return { locations, mappingConfidence: locations.length ? round3(mapping.confidence) : null };
}

/** Why the mapping gate holds a bug in review, with the re-mapped figures. */
export function mappingHoldReason(
  mappingConfidence: number | null,
  locations: readonly LocationDraft[],
  gates: Gates,
  indexed: boolean,
): string | null {
  if (!indexed)
    return "No repository is indexed yet, so the edited bug could not be mapped to code.";
  if (mappingConfidence === null) return "After the edit, no function in the indexed code matched.";
  const top = locations[0];
  const guess = top
    ? `; best guess ${top.path}${top.functionName ? ` (${top.functionName})` : ""}`
    : "";
  if (mappingConfidence < gates.mapping) {
    return `After the edit, mapping confidence ${mappingConfidence.toFixed(2)} is below the workspace's gate ${gates.mapping.toFixed(2)}${guess}.`;
  }
  return `After the edit, mapping confidence ${mappingConfidence.toFixed(2)} reaches the workspace's gate ${gates.mapping.toFixed(2)}${guess}. Accept to make it a Mapped Bug.`;
}

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

export type RemapOutcome =
  | { kind: "missing" }
  | { kind: "superseded" }
  | { kind: "remapped"; locations: number; status: BugRow["status"] };

/**
 * Re-maps `bugId` as edited at `editedAt` and writes the result. Safe to run twice: the
 * replacement is one transaction keyed on the edit, and a newer edit wins (its own run follows).
 */
export async function remapBug(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  deps: {
    loadReadyIndexes: (
      admin: AdminSupabaseClient,
      organizationId: string,
    ) => Promise<IndexedRepository[]>;
    searchIndexFor: (repositories: readonly IndexedRepository[]) => SearchIndex | null;
    loadGates: (admin: AdminSupabaseClient, organizationId: string) => Promise<Gates>;
    /** The workspace's vocabulary bridge for these repositories (null: the shipped one). */
    loadBridge?: (
      admin: AdminSupabaseClient,
      organizationId: string,
      repositories: readonly IndexedRepository[],
    ) => Promise<BridgeTable | null>;
  },
): Promise<RemapOutcome> {
  const { data: bug, error } = await admin
    .from("bugs")
    .select(
      "id, title, steps, expected, actual, feature, impact, error_messages, stack_traces, status, edited_at, source_ticket_id",
    )
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .maybeSingle();
  if (error) fail("read bug", error);
  if (!bug) return { kind: "missing" };

  const [repositories, gates, previous] = await Promise.all([
    deps.loadReadyIndexes(admin, organizationId),
    deps.loadGates(admin, organizationId),
    admin
      .from("bug_locations")
      .select(
        "repository_full_name, path, function_name, mismapped_reason, mismapped_by, mismapped_at",
      )
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .eq("mismapped", true),
  ]);
  if (previous.error) fail("read mismapped locations", previous.error);
  const bridge = deps.loadBridge
    ? await deps.loadBridge(admin, organizationId, repositories)
    : null;
  const { locations, mappingConfidence } = remapEdited(
    bug,
    deps.searchIndexFor(repositories),
    bridge,
  );

  // a location a person marked mismapped keeps its mark when the re-map finds it again
  const marks = new Map(
    (previous.data ?? []).map((m) => [
      `${m.repository_full_name}\n${m.path}\n${m.function_name ?? ""}`,
      m,
    ]),
  );
  const byName = new Map(repositories.map((r) => [r.fullName, r]));
  const rows = locations.flatMap((l) => {
    const repo = byName.get(l.repo);
    if (!repo) return [];
    const mark = marks.get(`${repo.fullName}\n${l.path}\n${l.functionName ?? ""}`);
    return [
      {
        repository_id: repo.repositoryId,
        repository_full_name: repo.fullName,
        commit_sha: repo.commitSha,
        path: l.path,
        function_name: l.functionName,
        start_line: l.startLine,
        end_line: l.endLine,
        confidence: l.confidence,
        explanation: l.explanation,
        rank: l.rank,
        mismapped: mark !== undefined,
        mismapped_reason: mark?.mismapped_reason ?? null,
        mismapped_by: mark?.mismapped_by ?? null,
        mismapped_at: mark?.mismapped_at ?? null,
      },
    ];
  });

  const replaced = await admin.rpc("replace_bug_locations", {
    p_organization_id: organizationId,
    p_bug_id: bugId,
    p_edited_at: bug.edited_at,
    p_mapping_confidence: mappingConfidence,
    p_locations: rows,
  });
  if (replaced.error) fail("replace bug locations", replaced.error);
  if (replaced.data === null) return { kind: "missing" };
  if (replaced.data === -1) return { kind: "superseded" };

  if (bug.status === "review") {
    await refreshMappingHold(admin, organizationId, bug, {
      reason: mappingHoldReason(mappingConfidence, locations, gates, repositories.length > 0),
      below: mappingConfidence === null || mappingConfidence < gates.mapping,
    });
  }
  return { kind: "remapped", locations: replaced.data, status: bug.status };
}

/**
 * A bug in review: its open mapping item says the new figures; one is queued when the edit drops
 * the mapping below the gate and the bug had none. A resolved item is history and stays as is.
 */
async function refreshMappingHold(
  admin: AdminSupabaseClient,
  organizationId: string,
  bug: { id: string; source_ticket_id: string | null },
  hold: { reason: string | null; below: boolean },
) {
  if (!hold.reason) return;
  const { data: item, error } = await admin
    .from("review_items")
    .select("id, status")
    .eq("organization_id", organizationId)
    .eq("bug_id", bug.id)
    .eq("gate", "mapping")
    .maybeSingle();
  if (error) fail("read mapping review item", error);
  if (item) {
    if (item.status !== "open") return;
    const updated = await admin
      .from("review_items")
      .update({ reason: hold.reason.slice(0, 2000) })
      .eq("organization_id", organizationId)
      .eq("id", item.id)
      .eq("status", "open");
    if (updated.error) fail("update mapping review item", updated.error);
    return;
  }
  if (!hold.below) return;
  const inserted = await admin.from("review_items").insert({
    organization_id: organizationId,
    bug_id: bug.id,
    ticket_id: bug.source_ticket_id,
    gate: "mapping",
    reason: hold.reason.slice(0, 2000),
  });
  // 23505: a concurrent run queued it first
  if (inserted.error && inserted.error.code !== "23505") fail("queue review item", inserted.error);
}

/** Attempts remap-bug makes before its failure handler runs (the first and 4 retries). */
export const REMAP_ATTEMPTS = 5;

/**
 * Records that re-mapping an edit failed for good, for the bug page: only while that edit is still
 * the bug's latest (a newer edit has its own run). The words name the attempts and the error's
 * class, never its message (an error may quote the bug's text).
 */
export async function recordRemapFailure(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  editedAt: string,
  error: { name?: string },
): Promise<void> {
  const kind = /^[A-Za-z]{1,60}$/.test(error.name ?? "") ? error.name : "Error";
  const { error: updateError } = await admin
    .from("bugs")
    .update({
      remap_failed_edit_at: editedAt,
      remap_error: `Re-mapping stopped after ${REMAP_ATTEMPTS} attempts (${kind}).`,
    })
    .eq("organization_id", organizationId)
    .eq("id", bugId)
    .eq("edited_at", editedAt);
  if (updateError) throw new Error(`record re-map failure: ${updateError.message}`);
}
