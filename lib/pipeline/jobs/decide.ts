import { type ExtractedBug, extractBug, toBugReport } from "../extraction";
import { mapBug } from "../mapping/map-bug";
import type { SearchIndex } from "../mapping/search-index";
import type { Contribution, FunctionResult, MappingResult } from "../mapping/types";
import { filterNoise, type NoiseResult } from "../noise";
import type { NormalizedTicket } from "../tickets";

/**
 * What the pipeline decides for one stored ticket, without touching the database: noise filter →
 * (set aside with a reason | extraction → mapping against the workspace's code indexes → the two
 * confidence gates). Pure and deterministic: the same ticket, indexes and gates give the same
 * decision, which is what makes re-running the job safe. `persist-decision.ts` writes it.
 */

export interface Gates {
  /** Extraction confidence at or above this passes (workspace setting, default 0.70). */
  extraction: number;
  /** Mapping confidence at or above this passes. */
  mapping: number;
}

export const DEFAULT_GATES: Gates = { extraction: 0.7, mapping: 0.7 };

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
    };

/** "matched words: cart, total (2.1); defines `applyDiscount`" — contributions in words. */
export function explain(contributions: readonly Contribution[]): string {
  return contributions
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((c) => c.detail)
    .filter(Boolean)
    .join("; ")
    .slice(0, 4000);
}

export function locationsOf(mapping: MappingResult): LocationDraft[] {
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

/** Decide what to do with a ticket. `search` is null when no repository is indexed yet. */
export function decideTicket(
  ticket: NormalizedTicket,
  search: SearchIndex | null,
  gates: Gates = DEFAULT_GATES,
): TicketDecision {
  const noise = filterNoise(ticket);
  if (noise.decision === "skip") {
    return { kind: "skip", noise, reason: noise.skip?.reason ?? "Set aside by the noise filter" };
  }
  const bug = extractBug({
    subject: ticket.subject,
    customerText: noise.customerText,
    language: noise.language,
  });
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
    return { kind: "bug", noise, bug, mappingConfidence: null, locations: [], holds };
  }
  const mapping = mapBug(search, toBugReport(bug));
  const locations = locationsOf(mapping);
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
  return { kind: "bug", noise, bug, mappingConfidence, locations, holds };
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
