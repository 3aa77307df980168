import type { LlmCallRecord } from "@/lib/pipeline/llm";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";
import type { IndexedRepository } from "./code-index-store";
import {
  DEFAULT_GATES,
  DUPLICATE_TITLE_SIMILARITY,
  type Gates,
  type TicketDecision,
  titleSimilarity,
} from "./decide";

/**
 * Writes a ticket's decision: a skip reason on the ticket, or a bug with its locations, its link
 * to the ticket and its review items. Idempotent at every write, so a retried step or a second
 * run for the same ticket converges on the same rows:
 * - a ticket already linked to a bug keeps that bug (a ticket processed twice yields one bug);
 * - a bug is found by its source ticket (unique) before one is inserted;
 * - locations are unique per (bug, rank), review items per (bug, gate), links per ticket;
 * - the meter is the database's: the bug is inserted in review and set to `mapped` last, once
 *   its locations are stored, and `billed_at` is set by the trigger the first time only.
 */

/** A call record as stored: the listed metadata fields only, whatever else a record carries. */
function callMetadata(call: LlmCallRecord): Json {
  return {
    task: call.task,
    provider: call.provider,
    model: call.model,
    outcome: call.outcome,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    latencyMs: call.latencyMs,
    piiRisks: [...call.piiRisks],
    ...(call.error ? { error: call.error } : {}),
  };
}

function fail(what: string, error: { message: string; code?: string }): never {
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

/** The workspace's gates (`DEFAULT_GATES` when it never changed them). */
export async function loadGates(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<Gates> {
  const { data, error } = await admin
    .from("pipeline_settings")
    .select("extraction_threshold, mapping_threshold")
    .eq("organization_id", organizationId)
    .maybeSingle();
  if (error) fail("read gate settings", error);
  if (!data) return DEFAULT_GATES;
  return { extraction: Number(data.extraction_threshold), mapping: Number(data.mapping_threshold) };
}

export type PersistOutcome =
  | { kind: "skipped" }
  | {
      kind: "bug";
      bugId: string;
      status: "mapped" | "held" | "review" | "dismissed";
      duplicateOf: boolean;
    };

/** Marks the ticket skipped with the noise filter's reason. */
async function persistSkip(
  admin: AdminSupabaseClient,
  organizationId: string,
  ticketId: string,
  decision: Extract<TicketDecision, { kind: "skip" }>,
): Promise<PersistOutcome> {
  const { error } = await admin
    .from("tickets")
    .update({
      status: "skipped",
      classification: decision.noise.classification.label,
      skip_reason: decision.reason.slice(0, 500),
      language: decision.noise.language,
      processed_at: new Date().toISOString(),
      last_error: null,
    })
    .eq("organization_id", organizationId)
    .eq("id", ticketId);
  if (error) fail("mark ticket skipped", error);
  // the reason stays on the ticket: a job's output is stored by Inngest and names ids only
  return { kind: "skipped" };
}

async function linkedBug(admin: AdminSupabaseClient, organizationId: string, ticketId: string) {
  const { data, error } = await admin
    .from("bug_tickets")
    .select("bug_id, bugs(status)")
    .eq("organization_id", organizationId)
    .eq("ticket_id", ticketId)
    .maybeSingle();
  if (error) fail("read ticket link", error);
  if (!data) return null;
  const bug = data.bugs as unknown as { status: "mapped" | "review" | "dismissed" } | null;
  return { bugId: data.bug_id, status: bug?.status ?? "review" };
}

/** An open bug with the same top location and a similar title, or null. */
async function findDuplicate(
  admin: AdminSupabaseClient,
  organizationId: string,
  ticketId: string,
  decision: Extract<TicketDecision, { kind: "bug" }>,
): Promise<{ bugId: string; status: "mapped" | "review" } | null> {
  const top = decision.locations[0];
  if (!top) return null;
  let query = admin
    .from("bug_locations")
    .select("bug_id, bugs!inner(id, title, status, source_ticket_id)")
    .eq("organization_id", organizationId)
    .eq("rank", 1)
    .eq("repository_full_name", top.repo)
    .eq("path", top.path)
    .in("bugs.status", ["mapped", "review"])
    .limit(50);
  query = top.functionName
    ? query.eq("function_name", top.functionName)
    : query.is("function_name", null);
  const { data, error } = await query;
  if (error) fail("look for duplicate bugs", error);
  let best: { bugId: string; status: "mapped" | "review"; similarity: number } | null = null;
  for (const row of data ?? []) {
    const bug = row.bugs as unknown as {
      id: string;
      title: string;
      status: "mapped" | "review";
      source_ticket_id: string | null;
    };
    if (bug.source_ticket_id === ticketId) continue;
    const similarity = titleSimilarity(bug.title, decision.bug.title);
    if (similarity >= DUPLICATE_TITLE_SIMILARITY && (!best || similarity > best.similarity)) {
      best = { bugId: bug.id, status: bug.status, similarity };
    }
  }
  return best ? { bugId: best.bugId, status: best.status } : null;
}

async function setTicketOutcome(
  admin: AdminSupabaseClient,
  organizationId: string,
  ticketId: string,
  status: "mapped" | "held" | "review" | "dismissed",
  decision: Extract<TicketDecision, { kind: "bug" }>,
) {
  const { error } = await admin
    .from("tickets")
    .update({
      status: status === "mapped" ? "bug" : status === "review" ? "review" : "bug",
      classification: decision.noise.classification.label,
      skip_reason: null,
      language: decision.noise.language,
      processed_at: new Date().toISOString(),
      last_error: null,
    })
    .eq("organization_id", organizationId)
    .eq("id", ticketId);
  if (error) fail("record ticket outcome", error);
}

async function link(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  ticketId: string,
  reason: "created" | "duplicate",
) {
  const { error } = await admin
    .from("bug_tickets")
    .upsert(
      { organization_id: organizationId, bug_id: bugId, ticket_id: ticketId, link_reason: reason },
      { onConflict: "ticket_id", ignoreDuplicates: true },
    );
  if (error) fail("link ticket to bug", error);
}

/** Finds the bug this ticket created, or inserts it (in review; mapped last). */
async function ensureBug(
  admin: AdminSupabaseClient,
  organizationId: string,
  ticketId: string,
  decision: Extract<TicketDecision, { kind: "bug" }>,
): Promise<string> {
  const existing = await admin
    .from("bugs")
    .select("id")
    .eq("organization_id", organizationId)
    .eq("source_ticket_id", ticketId)
    .maybeSingle();
  if (existing.error) fail("read bug", existing.error);
  if (existing.data) return existing.data.id;
  const { bug } = decision;
  const { data, error } = await admin
    .from("bugs")
    .insert({
      organization_id: organizationId,
      title: bug.title,
      severity: bug.severity.level,
      severity_cue: bug.severity.cue.slice(0, 500),
      steps: bug.stepsToReproduce,
      expected: bug.expected,
      actual: bug.actual,
      feature: bug.affectedFeature,
      impact: bug.customerImpact,
      error_messages: bug.errorMessages,
      stack_traces: bug.stackTraces,
      verbatim: bug.verbatim.text.slice(0, 100_000),
      verbatim_language: bug.verbatim.language,
      extraction_confidence: Math.round(bug.confidence * 1000) / 1000,
      extraction_reasons: bug.confidenceReasons,
      mapping_confidence: decision.mappingConfidence,
      status: "review",
      source_ticket_id: ticketId,
      // only with a provider: metadata of the calls (model, token counts, outcome, PII tags)
      ...(decision.llm
        ? {
            extraction_source: decision.llm.extraction,
            llm_calls: decision.llm.calls.map(callMetadata),
          }
        : {}),
    })
    .select("id")
    .single();
  if (error?.code === "23505") return ensureBug(admin, organizationId, ticketId, decision);
  if (error || !data) fail("create bug", error ?? { message: "no row" });
  return data.id;
}

async function storeLocations(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  decision: Extract<TicketDecision, { kind: "bug" }>,
  repositories: readonly IndexedRepository[],
) {
  if (!decision.locations.length) return;
  const byName = new Map(repositories.map((r) => [r.fullName, r]));
  const rows = decision.locations.flatMap((l) => {
    const repo = byName.get(l.repo);
    if (!repo) return [];
    return [
      {
        organization_id: organizationId,
        bug_id: bugId,
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
      },
    ];
  });
  const { error } = await admin
    .from("bug_locations")
    .upsert(rows, { onConflict: "bug_id,rank", ignoreDuplicates: true });
  if (error) fail("store bug locations", error);
}

async function queueReview(
  admin: AdminSupabaseClient,
  organizationId: string,
  bugId: string,
  ticketId: string,
  decision: Extract<TicketDecision, { kind: "bug" }>,
) {
  for (const hold of decision.holds) {
    const { data, error } = await admin
      .from("review_items")
      .select("id")
      .eq("organization_id", organizationId)
      .eq("bug_id", bugId)
      .eq("gate", hold.gate)
      .maybeSingle();
    if (error) fail("read review item", error);
    if (data) continue;
    const inserted = await admin.from("review_items").insert({
      organization_id: organizationId,
      bug_id: bugId,
      ticket_id: ticketId,
      gate: hold.gate,
      reason: hold.reason.slice(0, 2000),
    });
    // 23505: a concurrent attempt queued it first
    if (inserted.error && inserted.error.code !== "23505")
      fail("queue review item", inserted.error);
  }
}

/** Writes the decision for `ticketId`; see the module comment for why each write is safe twice. */
export async function persistDecision(
  admin: AdminSupabaseClient,
  organizationId: string,
  ticketId: string,
  decision: TicketDecision,
  repositories: readonly IndexedRepository[],
): Promise<PersistOutcome> {
  if (decision.kind === "skip") return persistSkip(admin, organizationId, ticketId, decision);

  const already = await linkedBug(admin, organizationId, ticketId);
  if (already) {
    await setTicketOutcome(admin, organizationId, ticketId, already.status, decision);
    return { kind: "bug", bugId: already.bugId, status: already.status, duplicateOf: false };
  }
  const duplicate = await findDuplicate(admin, organizationId, ticketId, decision);
  if (duplicate) {
    await link(admin, organizationId, duplicate.bugId, ticketId, "duplicate");
    await setTicketOutcome(admin, organizationId, ticketId, duplicate.status, decision);
    return { kind: "bug", bugId: duplicate.bugId, status: duplicate.status, duplicateOf: true };
  }

  const bugId = await ensureBug(admin, organizationId, ticketId, decision);
  await storeLocations(admin, organizationId, bugId, decision, repositories);
  await link(admin, organizationId, bugId, ticketId, "created");
  let status: "mapped" | "held" | "review" = "review";
  if (decision.holds.length) {
    await queueReview(admin, organizationId, bugId, ticketId, decision);
  } else {
    // the meter: the trigger sets billed_at here, the first time only, or holds the bug when
    // the workspace is at its cap (status held, docs/billing.md); read back which it became
    const { data: marked, error } = await admin
      .from("bugs")
      .update({ status: "mapped" })
      .eq("organization_id", organizationId)
      .eq("id", bugId)
      .eq("status", "review")
      .select("status");
    if (error) fail("mark bug mapped", error);
    let became = marked?.[0]?.status;
    if (!became) {
      // a retry: an earlier attempt already moved it out of review
      const { data: bug, error: readError } = await admin
        .from("bugs")
        .select("status")
        .eq("organization_id", organizationId)
        .eq("id", bugId)
        .single();
      if (readError) fail("read bug status", readError);
      became = bug?.status;
    }
    status = became === "held" ? "held" : "mapped";
  }
  await setTicketOutcome(admin, organizationId, ticketId, status, decision);
  return { kind: "bug", bugId, status, duplicateOf: false };
}
