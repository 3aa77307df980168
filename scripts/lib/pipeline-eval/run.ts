import { toBugReport } from "@/lib/pipeline/extraction";
import { DEFAULT_GATES, decideTicket, type Gates } from "@/lib/pipeline/jobs/decide";
import type { LlmCallRecord, LlmStage } from "@/lib/pipeline/llm";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import type { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import type { NoiseLabel } from "@/lib/pipeline/noise";
import { fromZendesk, type ZendeskInput } from "@/lib/pipeline/tickets";
import type { EvalTicket, Gold } from "./eval-set";

/**
 * Runs labelled tickets through the stages exactly as the `process-ticket` job does: the
 * provider JSON through the ticket converter (`fromZendesk`, as the intake job does), then
 * `decideTicket` (noise filter → extraction → mapping → the two gates), the pure function the
 * job calls before it persists. The job's database round trip (store, read back) is not here.
 * `decideTicket` keeps the top functions only, so the file ranking is read from `mapBug` called
 * again on the same extracted report (deterministic: the same call the decision made). With an
 * LLM stage (`--llm`) the functions are the decision's own (reranked) locations and the files
 * follow them, since a model's order cannot be recomputed.
 */

/** How many ranked files and functions a row keeps (top-5 is the widest figure reported). */
export const RANKS_KEPT = 5;

export interface PredictedBug {
  severity: string;
  /** Presence of each extracted field (title is always produced by extraction). */
  fields: { title: boolean; steps: boolean; expected: boolean; actual: boolean };
  extractionConfidence: number;
  mappingConfidence: number | null;
  /** Top files by the mapping engine, best first. */
  files: string[];
  /** Top functions by the mapping engine, best first (`name` null for a whole-file chunk). */
  functions: { path: string; name: string | null }[];
  /** Both gates passed: the job would persist a Mapped Bug. */
  passedGates: boolean;
  holds: ("extraction" | "mapping")[];
  /** With an LLM stage: where extraction and ranking came from, and the calls' metadata. */
  llm?: { extraction: "llm" | "offline"; rerank: "llm" | "offline"; calls: LlmCallRecord[] };
}

export interface EvalRow {
  id: string;
  language: string;
  kind?: string;
  gold: Gold;
  decision: "skip" | "bug";
  /** The noise filter's label (for a skipped ticket, the class that set it aside). */
  label: NoiseLabel;
  skipReason: string | null;
  bug: PredictedBug | null;
  ms: number;
}

/** One ticket through the stages (with the workspace's LLM stage when one is given). */
export async function evaluateTicket(
  ticket: EvalTicket,
  search: SearchIndex | null,
  gates: Gates = DEFAULT_GATES,
  stage: LlmStage | null = null,
): Promise<EvalRow> {
  const started = performance.now();
  const normalized = fromZendesk(ticket.zendesk as ZendeskInput);
  const decision = await decideTicket(normalized, search, gates, stage);
  const base = {
    id: ticket.id,
    language: ticket.language,
    kind: ticket.kind,
    gold: ticket.gold,
    label: decision.noise.classification.label,
  };
  if (decision.kind === "skip") {
    return {
      ...base,
      decision: "skip",
      skipReason: decision.reason,
      bug: null,
      ms: performance.now() - started,
    };
  }
  const { bug } = decision;
  const mapping = search ? mapBug(search, toBugReport(bug)) : null;
  const engineFiles = (mapping?.files ?? []).map((f) => f.path);
  const engineFunctions = (mapping?.functions ?? []).map((f) => ({
    path: f.path,
    name: f.kind === "file" ? null : f.qname,
  }));
  const reranked = decision.llm?.rerank === "llm";
  const functions = reranked
    ? decision.locations.map((l) => ({ path: l.path, name: l.functionName }))
    : engineFunctions;
  const files = reranked
    ? [...new Set([...functions.map((f) => f.path), ...engineFiles])]
    : engineFiles;
  return {
    ...base,
    decision: "bug",
    skipReason: null,
    bug: {
      severity: bug.severity.level,
      fields: {
        title: bug.title.trim().length > 0,
        steps: bug.stepsToReproduce.length > 0,
        expected: bug.expected !== null,
        actual: bug.actual !== null,
      },
      extractionConfidence: bug.confidence,
      mappingConfidence: decision.mappingConfidence,
      files: files.slice(0, RANKS_KEPT),
      functions: functions.slice(0, RANKS_KEPT),
      passedGates: decision.holds.length === 0,
      holds: decision.holds.map((h) => h.gate),
      ...(decision.llm ? { llm: decision.llm } : {}),
    },
    ms: performance.now() - started,
  };
}

/** Every ticket, in the set's order, one at a time (a provider is called in sequence). */
export async function evaluateTickets(
  tickets: readonly EvalTicket[],
  search: SearchIndex | null,
  gates: Gates = DEFAULT_GATES,
  stage: LlmStage | null = null,
): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const t of tickets) rows.push(await evaluateTicket(t, search, gates, stage));
  return rows;
}
