import { type ExtractedBug, type ExtractionInput, extractBug } from "../extraction";
import type { BugReport } from "../mapping/types";
import { type RiskTag, redactPii } from "../redact";
import { extractionAnswerSchema, parseAnswer, rerankAnswerSchema } from "./answers";
import { mergeExtraction } from "./merge-extraction";
import { EXTRACT_SYSTEM, extractPrompt, RERANK_SYSTEM, rerankPrompt } from "./prompts";
import type { LlmCallRecord, LlmClient, LlmCompletion } from "./types";

/** Where a result came from: the model's answer folded in, or the deterministic path alone. */
export type ResultSource = "llm" | "offline";

export interface StageExtraction {
  bug: ExtractedBug;
  source: ResultSource;
  /** Absent when no provider is configured (nothing left Patchline). */
  call?: LlmCallRecord;
}

/** A code location to rerank; callers keep their own richer type. */
export interface RerankCandidate {
  path: string;
  /** Qualified function name, or null for a whole file. */
  name: string | null;
  startLine: number;
  endLine: number;
}

export interface RankedCandidate<T> {
  candidate: T;
  /** The model's one-line reason, null when the offline order stands for it. */
  reason: string | null;
}

export interface StageRerank<T> {
  ranked: RankedCandidate<T>[];
  source: ResultSource;
  call?: LlmCallRecord;
}

/** The provider-neutral LLM stage: the pipeline calls these two and never a provider. */
export interface LlmStage {
  /** Extraction, improved by the model where the rules left gaps; never worse, never throws. */
  extract(ticket: ExtractionInput): Promise<StageExtraction>;
  /** The offline candidates reordered with reasons (top `RERANK_LIMIT` only); never throws. */
  rerank<T extends RerankCandidate>(
    report: BugReport,
    candidates: readonly T[],
  ): Promise<StageRerank<T>>;
}

/** Where call records go: a pino logger in production (`log.child({ module: "llm" })`). */
export interface CallSink {
  info(record: object, message: string): void;
}

/** How many of the best offline candidates the model may reorder; the rest keep their places. */
export const RERANK_LIMIT = 10;
const EXTRACT_MAX_TOKENS = 1500;
const RERANK_MAX_TOKENS = 1200;

/**
 * Builds the stage for a workspace. With `client` null (the default: no provider chosen, or no
 * key) every call returns the offline result and nothing leaves Patchline. With a client, text
 * is redacted before it leaves, and any failure (HTTP error after the SDK's bounded retries,
 * timeout, refusal, malformed JSON) yields exactly the offline result. Only the call record
 * (model, tokens, latency, PII-risk tags, outcome) is logged: never prompt or ticket text.
 */
export function createLlmStage(client: LlmClient | null, sink: CallSink): LlmStage {
  return {
    async extract(ticket) {
      const offline = extractBug(ticket);
      if (!client) return { bug: offline, source: "offline" };
      const subject = redactPii(ticket.subject);
      const body = redactPii(ticket.customerText);
      const shown = `${subject.text}\n${body.text}`;
      const { completion, record } = await call(
        client,
        "extract",
        mergeRisks(subject.risks, body.risks),
        {
          system: EXTRACT_SYSTEM,
          user: extractPrompt({
            subject: subject.text,
            text: body.text,
            language: ticket.language,
          }),
          maxTokens: EXTRACT_MAX_TOKENS,
        },
      );
      const answer = completion?.text ? parseAnswer(extractionAnswerSchema, completion.text) : null;
      if (!answer)
        return finish(sink, { bug: offline, source: "offline" as const }, record, completion);
      const { bug } = mergeExtraction(offline, answer, shown);
      return finish(sink, { bug, source: "llm" as const }, record, completion);
    },

    async rerank(report, candidates) {
      const offline = candidates.map((candidate) => ({ candidate, reason: null }));
      if (!client || candidates.length < 2) return { ranked: offline, source: "offline" };
      const head = candidates.slice(0, RERANK_LIMIT);
      const ids = head.map((_, i) => `c${i + 1}`);
      const redacted = redactReport(report);
      const { completion, record } = await call(client, "rerank", redacted.risks, {
        system: RERANK_SYSTEM,
        user: rerankPrompt(
          redacted.report,
          head.map((c, i) => ({ ...c, name: c.name ?? null, id: ids[i]! })),
        ),
        maxTokens: RERANK_MAX_TOKENS,
      });
      const answer = completion?.text ? parseAnswer(rerankAnswerSchema, completion.text) : null;
      const order = answer ? orderFromAnswer(answer.ranking, ids) : null;
      if (!order)
        return finish(sink, { ranked: offline, source: "offline" as const }, record, completion);
      const ranked = [
        ...order.map(({ index, reason }) => ({ candidate: head[index]!, reason })),
        ...candidates.slice(RERANK_LIMIT).map((candidate) => ({ candidate, reason: null })),
      ];
      return finish(sink, { ranked, source: "llm" as const }, record, completion);
    },
  };
}

/**
 * The model's ranking as indexes into the candidates it was shown: unknown and repeated ids are
 * dropped, candidates it left out follow in their offline order. Null when no id was known.
 */
export function orderFromAnswer(
  ranking: ReadonlyArray<{ id: string; reason: string }>,
  ids: readonly string[],
): Array<{ index: number; reason: string | null }> | null {
  const seen = new Set<number>();
  const out: Array<{ index: number; reason: string | null }> = [];
  for (const { id, reason } of ranking) {
    const index = ids.indexOf(id.trim());
    if (index < 0 || seen.has(index)) continue;
    seen.add(index);
    out.push({ index, reason });
  }
  if (out.length === 0) return null;
  ids.forEach((_, index) => {
    if (!seen.has(index)) out.push({ index, reason: null });
  });
  return out;
}

async function call(
  client: LlmClient,
  task: LlmCallRecord["task"],
  piiRisks: RiskTag[],
  request: { system: string; user: string; maxTokens: number },
): Promise<{ completion: LlmCompletion | null; record: LlmCallRecord }> {
  const started = performance.now();
  const record: LlmCallRecord = {
    task,
    provider: client.provider,
    model: client.model,
    outcome: "failed",
    inputTokens: 0,
    outputTokens: 0,
    latencyMs: 0,
    piiRisks,
  };
  try {
    const completion = await client.complete(request);
    record.latencyMs = Math.round(performance.now() - started);
    return { completion, record };
  } catch (err) {
    record.latencyMs = Math.round(performance.now() - started);
    record.error = describeError(err);
    return { completion: null, record };
  }
}

/** Completes the record from the completion and the result's source, logs it, returns the result. */
function finish<R extends { source: ResultSource }>(
  sink: CallSink,
  result: R,
  record: LlmCallRecord,
  completion: LlmCompletion | null,
): R & { call: LlmCallRecord } {
  if (completion) {
    record.model = completion.model;
    record.inputTokens = completion.inputTokens;
    record.outputTokens = completion.outputTokens;
    record.outcome = completion.refused
      ? "refused"
      : result.source === "llm"
        ? "used"
        : "malformed";
  }
  // Token counts go under `usage`: the logger redacts any key whose name contains "token".
  const { inputTokens, outputTokens, ...rest } = record;
  sink.info(
    { llm: { ...rest, usage: { input: inputTokens, output: outputTokens } } },
    `llm ${record.task}: ${record.outcome}`,
  );
  return { ...result, call: record };
}

/** The error's class and HTTP status only: SDK messages can quote the provider's answer. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return "unknown";
  const status = (err as { status?: unknown }).status;
  return typeof status === "number" ? `${err.constructor.name} ${status}` : err.constructor.name;
}

function mergeRisks(...lists: RiskTag[][]): RiskTag[] {
  return [...new Set(lists.flat())];
}

/** Every text field of a report redacted; the risk tags of all of them. */
function redactReport(report: BugReport): { report: BugReport; risks: RiskTag[] } {
  const risks: RiskTag[][] = [];
  const r = (s: string | undefined) => {
    if (s === undefined) return undefined;
    const out = redactPii(s);
    risks.push(out.risks);
    return out.text;
  };
  return {
    report: {
      title: r(report.title) ?? "",
      stepsToReproduce: r(report.stepsToReproduce),
      expected: r(report.expected),
      actual: r(report.actual),
      featureArea: r(report.featureArea),
      errorMessages: report.errorMessages?.map((m) => r(m) ?? ""),
      stackTraces: report.stackTraces?.map((t) => r(t) ?? ""),
    },
    risks: mergeRisks(...risks),
  };
}
