import { type ExtractedBug, toBugReport } from "../extraction";
import { createLlmStage, type LlmCallRecord, type LlmStage, type ResultSource } from "../llm";
import { mapBug } from "../mapping/map-bug";
import type { SearchIndex } from "../mapping/search-index";
import type { Contribution, FunctionResult } from "../mapping/types";
import type { BridgeTable } from "../mapping/vocabulary/types";
import { filterNoise, type NoiseResult } from "../noise";
import type { NormalizedTicket } from "../tickets";

/**
 * What the pipeline decides for one stored ticket, without touching the database: noise filter →
 * (set aside with a reason | extraction → mapping against the workspace's code indexes → the two
 * confidence gates). Without an LLM stage (the default) it is pure and deterministic: the same
 * ticket, indexes and gates give the same decision, which is what makes re-running the job safe.
 * With a workspace's LLM stage (docs/llm.md) the model may fill extraction gaps and reorder the
 * engine's candidates; a model answer is not deterministic, so the job runs the decision inside
 * one memoized step. `persist-decision.ts` writes it.
 */

// The gates and their defaults live beside the Settings form's schema (no engine import there).
import { DEFAULT_GATES, type Gates } from "../gates/settings";

export { DEFAULT_GATES, type Gates };

/** How many ranked code locations a bug keeps. */
export const MAX_LOCATIONS = 5;

export interface LocationDraft {
  /** owner/name, as the index names its repository. */
  repo: string;
  path: string;
  /** Qualified function name; null when the best match is the file as a whole. */
  functionName: string | null;
  startLine: number;
  endLine: number;
  confidence: number;
  explanation: string;
  rank: number;
}

export interface Hold {
  gate: "extraction" | "mapping";
  /** For the review queue: which confidence fell short, by how much, and why. */
  reason: string;
}

export type TicketDecision =
  | { kind: "skip"; noise: NoiseResult; reason: string }
  | {
      kind: "bug";
      noise: NoiseResult;
      bug: ExtractedBug;
      /** Null when the workspace has no ready code index. */
      mappingConfidence: number | null;
      locations: LocationDraft[];
      /** Empty: a Mapped Bug. Otherwise the gates it fell below (it goes to review). */
      holds: Hold[];
      /** Present only when the workspace has an LLM provider: what it did (metadata, no text). */
      llm?: LlmUsage;
    };

/** What the LLM stage did for a bug; recorded on the bug (`extraction_source`, `llm_calls`). */
export interface LlmUsage {
  extraction: ResultSource;
  rerank: ResultSource;
  calls: LlmCallRecord[];
}

/** "matched words: cart, total (2.1); defines `applyDiscount`" — contributions in words. */
export function explain(contributions: readonly Contribution[]): string {
  const parts = contributions
    .filter((c) => c.score > 0 && c.detail)
    .sort((a, b) => b.score - a.score)
    // The three strongest reasons read as a sentence; the rest was a list nobody reads.
    .slice(0, EXPLAINED_REASONS)
    .map((c) => {
      // "bought (3.93), home (2.27)": the engine's term weights are for the ranker, not people.
      if (!/\(\d/.test(c.detail)) return c.detail;
      return `words the report uses: ${c.detail.replace(/\s*\(\d+(?:\.\d+)?\)/g, "")}`;
    });
  if (parts.length === 0) return "";
  const text = parts.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`.slice(0, 4000);
}

const EXPLAINED_REASONS = 3;

/** The kept locations of a ranking: the engine's own, or the same candidates reordered. */
export function locationsOf(mapping: { functions: readonly FunctionResult[] }): LocationDraft[] {
  const pick: FunctionResult[] = mapping.functions.slice(0, MAX_LOCATIONS);
  return pick.map((f, i) => ({
    repo: f.repo,
    path: f.path,
    functionName: f.kind === "file" ? null : f.qname,
    startLine: Math.max(1, f.startLine),
    endLine: Math.max(f.startLine, f.endLine, 1),
    confidence: round3(f.confidence),
    explanation: explain(f.explanation),
    rank: i + 1,
  }));
}

const round3 = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;
const pct = (n: number) => n.toFixed(2);

/** The stage of a workspace without a provider: the deterministic methods, nothing leaves. */
const OFFLINE_STAGE: LlmStage = createLlmStage(null, { info() {} });

/**
 * Decide what to do with a ticket. `search` is null when no repository is indexed yet. `stage`
 * is the workspace's LLM stage (`createLlmStage`); without one (off, the default) the decision
 * is exactly the deterministic one and carries no `llm` field. The stage never throws and falls
 * back to the offline result on any failure, so the model can only fill gaps and reorder.
 */
export async function decideTicket(
  ticket: NormalizedTicket,
  search: SearchIndex | null,
  gates: Gates = DEFAULT_GATES,
  stage: LlmStage | null = null,
  /** The workspace's vocabulary bridge (`vocabulary/bridge-cache.ts`); null: the shipped one. */
  bridge: BridgeTable | null = null,
): Promise<TicketDecision> {
  const noise = filterNoise(ticket);
  if (noise.decision === "skip") {
    return { kind: "skip", noise, reason: noise.skip?.reason ?? "Set aside by the noise filter" };
  }
  const calls: LlmCallRecord[] = [];
  const extracted = await (stage ?? OFFLINE_STAGE).extract({
    subject: ticket.subject,
    customerText: noise.customerText,
    language: noise.language,
  });
  if (extracted.call) calls.push(extracted.call);
  const bug = extracted.bug;
  const llm = (rerank: ResultSource): { llm?: LlmUsage } =>
    stage ? { llm: { extraction: extracted.source, rerank, calls } } : {};

  const holds: Hold[] = [];
  if (bug.confidence < gates.extraction) {
    const why = bug.confidenceReasons.join("; ");
    holds.push({
      gate: "extraction",
      reason: `Extraction confidence ${pct(bug.confidence)} is below the workspace's gate ${pct(gates.extraction)}${why ? `: ${why}` : ""}.`,
    });
  }
  if (!search) {
    holds.push({
      gate: "mapping",
      reason: "No repository is indexed yet, so the bug could not be mapped to code.",
    });
    return {
      kind: "bug",
      noise,
      bug,
      mappingConfidence: null,
      locations: [],
      holds,
      ...llm("offline"),
    };
  }
  const report = toBugReport(bug);
  const mapping = mapBug(search, report, bridge ? { bridge } : {});
  let functions: readonly FunctionResult[] = mapping.functions;
  let rerankSource: ResultSource = "offline";
  // The model is consulted only where the engine is unsure: a mapping at or above the gate
  // becomes a Mapped Bug on the engine's evidence (a stack frame, an exact name) and keeps its
  // calibrated top location, so the metered bug's rank 1 is always the one its confidence is
  // about. Below the gate the bug goes to review, and the model's order is the reviewer's hint.
  if (stage && mapping.confidence < gates.mapping) {
    // the model only reorders what the engine found (unknown ids are dropped by the stage);
    // confidences stay the engine's calibrated figures, so the gates behave the same
    const reranked = await stage.rerank(
      report,
      mapping.functions.map((f, index) => ({
        index,
        path: f.path,
        name: f.kind === "file" ? null : f.qname,
        startLine: f.startLine,
        endLine: f.endLine,
      })),
    );
    if (reranked.call) calls.push(reranked.call);
    const order = reranked.ranked.map((r) => r.candidate.index);
    // defence in depth: the order must be a permutation of the engine's own candidates
    const permutation =
      order.length === mapping.functions.length && new Set(order).size === order.length;
    if (reranked.source === "llm" && permutation) {
      functions = order.flatMap((i) => mapping.functions[i] ?? []);
      rerankSource = "llm";
    }
  }
  const locations = locationsOf({ functions });
  const mappingConfidence = locations.length ? round3(mapping.confidence) : null;
  if (mappingConfidence === null) {
    holds.push({ gate: "mapping", reason: "No function in the indexed code matched the report." });
  } else if (mappingConfidence < gates.mapping) {
    const top = locations[0];
    holds.push({
      gate: "mapping",
      reason: `Mapping confidence ${pct(mappingConfidence)} is below the workspace's gate ${pct(gates.mapping)}${top ? `; best guess ${top.path}${top.functionName ? ` (${top.functionName})` : ""}` : ""}.`,
    });
  }
  return { kind: "bug", noise, bug, mappingConfidence, locations, holds, ...llm(rerankSource) };
}

/** Word set of a title, for duplicate detection (lower-cased words of 3+ letters). */
export function titleWords(title: string): Set<string> {
  return new Set(title.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
}

/** Jaccard similarity of two titles' word sets, in [0, 1]. */
export function titleSimilarity(a: string, b: string): number {
  const x = titleWords(a);
  const y = titleWords(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Titles at least this similar, with the same top location, are the same bug. */
export const DUPLICATE_TITLE_SIMILARITY = 0.3;
