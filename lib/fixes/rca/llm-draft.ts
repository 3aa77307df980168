import type { LlmClient } from "@/lib/pipeline/llm/types";
import { RISK_TAGS, redactPii } from "@/lib/pipeline/redact";
import { draftRca, formatRcaTime, type RcaFacts } from "./draft";
import { containsCode } from "./plain-language";
import {
  RCA_SECTION_KEYS,
  type RcaSectionKey,
  type RcaSections,
  rcaSectionsSchema,
} from "./sections";

/**
 * The RCA drafted by the workspace's model (docs/llm.md): the same facts as the offline draft
 * (draft.ts), the bug's free text redacted before it leaves, and no code names at all (the
 * mapped locations are never sent). The answer must be the five sections (zod) and pass the
 * checks a customer-facing text needs: no stack-trace line, no code, none of the mapped
 * function or file names, no redaction marker, and every time of the timeline copied exactly.
 * Anything else — provider down, refusal, malformed answer, a failed check — gives the offline
 * draft, and the note says why in words for the RCA panel. The prompt and the answer are never
 * logged or stored; only the call's record is.
 */

export const RCA_SYSTEM = `TASK: rca
You draft a root-cause analysis for the customers who reported a software bug that is now fixed.
Write plain, friendly English for non-engineers. Never mention function names, file names, code,
error class names or stack traces; describe what the product did and what customers saw.
Never invent facts: use only the bug report and the facts given. Markers such as [email] stand
for removed personal data: never repeat them.
Answer with one JSON object and nothing else, each value 1 to 4 short paragraphs of plain text:
{"customer_impact": string, "timeline": string, "root_cause": string, "fix": string, "prevention": string}
"timeline": one line per event given under <facts>, with its time copied exactly as written.`;

export type RcaDraftSource = "offline" | "llm" | "offline_fallback";

export interface RcaCallRecord {
  task: "rca";
  provider: string;
  model: string;
  outcome: "used" | "refused" | "malformed" | "failed" | "rejected";
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  piiRisks: string[];
  error?: string;
}

export interface LlmRcaDraft {
  sections: RcaSections;
  source: RcaDraftSource;
  /** Why the model's draft was not used; null when it was (or no model was asked). */
  note: string | null;
  call: RcaCallRecord | null;
}

/** The timeline's events as the offline draft words them, with their exact times. */
export function timelineFacts(facts: RcaFacts): Array<{ event: string; at: string }> {
  const events = [{ event: "First report", at: formatRcaTime(facts.reports.firstAt) }];
  const merges = facts.pullRequests
    .map((p) => p.mergedAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  const lastMerge = merges.at(-1);
  if (lastMerge) events.push({ event: "Fix completed and reviewed", at: formatRcaTime(lastMerge) });
  if (facts.deployedAt)
    events.push({ event: "Fix live in production", at: formatRcaTime(facts.deployedAt) });
  return events;
}

/** The user message (bug fields redacted, facts, no code locations) and the PII kinds found. */
export function rcaPrompt(facts: RcaFacts): { text: string; piiRisks: string[] } {
  const risks = new Set<string>();
  const clean = (s: string | null) => {
    if (!s?.trim()) return null;
    const r = redactPii(s.trim());
    for (const tag of r.risks) risks.add(tag);
    return r.text;
  };
  const b = facts.bug;
  const fields: Array<[string, string | null]> = [
    ["Title", clean(b.title)],
    ["Severity", b.severity],
    ["Feature", clean(b.feature)],
    ["Impact", clean(b.impact)],
    ["Expected", clean(b.expected)],
    ["Actual", clean(b.actual)],
  ];
  const text = [
    "<bug>",
    ...fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`),
    "</bug>",
    "<facts>",
    `Customers who reported it: ${facts.reports.count}`,
    ...timelineFacts(facts).map((e) => `${e.event}: ${e.at}`),
    `Changes that fixed it: ${facts.pullRequests.length}`,
    `Automated tests added: ${facts.testsAdded ? "yes" : "no"}`,
    "</facts>",
  ].join("\n");
  return { text, piiRisks: [...risks].sort() };
}

/** The answer, tolerating a ```json fence, or null when it is not the five sections. */
export function parseRcaAnswer(text: string | null): RcaSections | null {
  if (!text) return null;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  try {
    const parsed = rcaSectionsSchema.safeParse(JSON.parse((fenced?.[1] ?? text).trim()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const SECTION_LABEL: Record<RcaSectionKey, string> = {
  customer_impact: "customer impact",
  timeline: "timeline",
  root_cause: "root cause",
  fix: "fix",
  prevention: "prevention",
};

/** A redaction marker left in prose ("[email]", "[card]"): a customer must never read one. */
const MARKER = new RegExp(`\\[(?:${RISK_TAGS.join("|")})\\]`, "i");

/**
 * What keeps the model's sections from the customer, in words (no quote of the text), or null
 * when they may be used: code, a stack-trace line or a mapped name in any section, a redaction
 * marker, or a timeline that lost one of the given times.
 */
export function checkRcaProse(
  sections: RcaSections,
  facts: Pick<RcaFacts, "avoid"> & Partial<RcaFacts>,
  times: readonly string[] = [],
): string | null {
  for (const key of RCA_SECTION_KEYS) {
    const text = sections[key];
    if (containsCode(text, facts.avoid))
      return `The model's ${SECTION_LABEL[key]} named code or carried a stack trace.`;
    if (MARKER.test(text))
      return `The model's ${SECTION_LABEL[key]} repeated a marker of removed personal data.`;
  }
  const missing = times.filter((t) => !sections.timeline.includes(t));
  if (missing.length) return "The model's timeline did not keep the times of the facts exactly.";
  return null;
}

const RCA_MAX_TOKENS = 2000;

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return "unknown";
  const status = (err as { status?: unknown }).status;
  return typeof status === "number" ? `${err.constructor.name} ${status}` : err.constructor.name;
}

/**
 * The five sections drafted by the model, or the offline draft with a note when the model's
 * answer cannot be used. Without a client: the offline draft, source `offline`, no call.
 */
export async function draftRcaWithModel(
  llm: LlmClient | null,
  facts: RcaFacts,
): Promise<LlmRcaDraft> {
  const offline = draftRca(facts);
  if (!llm) return { sections: offline, source: "offline", note: null, call: null };
  const prompt = rcaPrompt(facts);
  const call: RcaCallRecord = {
    task: "rca",
    provider: llm.provider,
    model: llm.model,
    outcome: "failed",
    inputTokens: 0,
    outputTokens: 0,
    latencyMs: 0,
    piiRisks: prompt.piiRisks,
  };
  const fallback = (note: string): LlmRcaDraft => ({
    sections: offline,
    source: "offline_fallback",
    note,
    call,
  });
  const started = performance.now();
  let completion: Awaited<ReturnType<LlmClient["complete"]>>;
  try {
    completion = await llm.complete({
      system: RCA_SYSTEM,
      user: prompt.text,
      maxTokens: RCA_MAX_TOKENS,
    });
  } catch (err) {
    call.latencyMs = Math.round(performance.now() - started);
    call.error = describeError(err);
    return fallback(`The LLM provider did not answer (${call.error}); this is the offline draft.`);
  }
  Object.assign(call, {
    latencyMs: Math.round(performance.now() - started),
    model: completion.model,
    inputTokens: completion.inputTokens,
    outputTokens: completion.outputTokens,
  });
  if (completion.refused) {
    call.outcome = "refused";
    return fallback("The model declined to draft the RCA; this is the offline draft.");
  }
  const sections = parseRcaAnswer(completion.text);
  if (!sections) {
    call.outcome = "malformed";
    return fallback("The model's answer was not the five sections; this is the offline draft.");
  }
  const problem = checkRcaProse(
    sections,
    facts,
    timelineFacts(facts).map((e) => e.at),
  );
  if (problem) {
    call.outcome = "rejected";
    return fallback(`${problem} This is the offline draft instead.`);
  }
  call.outcome = "used";
  return { sections, source: "llm", note: null, call };
}
