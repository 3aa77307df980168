import { z } from "zod";

/**
 * What the bug page says about the optional LLM stage, from the metadata stored on a bug
 * (`bugs.extraction_source`, `bugs.llm_calls`: model, task, outcome, token counts, PII kinds
 * redacted; never text). Pure, so the sentences are unit-tested without rendering the page.
 */

export const storedCallSchema = z.object({
  task: z.enum(["extract", "rerank"]),
  provider: z.string().max(50),
  model: z.string().max(200),
  outcome: z.enum(["used", "refused", "malformed", "failed"]),
  inputTokens: z.number().int().nonnegative().catch(0),
  outputTokens: z.number().int().nonnegative().catch(0),
  piiRisks: z.array(z.string().max(50)).max(20).catch([]),
});
export type StoredCall = z.infer<typeof storedCallSchema>;

const PROVIDER: Record<string, string> = { anthropic: "Anthropic", openai: "OpenAI" };

const NOT_USED: Record<Exclude<StoredCall["outcome"], "used">, string> = {
  refused: "declined to answer",
  malformed: "answered in a shape Patchline could not use",
  failed: "could not be reached",
};

const WHAT: Record<StoredCall["task"], { used: string; asked: string }> = {
  extract: {
    used: "filled gaps in the extracted fields",
    asked: "was asked to fill gaps in the extracted fields",
  },
  rerank: {
    used: "reordered the candidate code locations",
    asked: "was asked to reorder the candidate code locations",
  },
};

/** Whether a call's answer shaped the stored bug (an extraction only when the fields came from it). */
export function callHelped(call: StoredCall, extractionSource: "offline" | "llm"): boolean {
  return call.outcome === "used" && (call.task === "rerank" || extractionSource === "llm");
}

/** One sentence per call: which model, what it did, or why its answer was left out. */
export function describeCall(call: StoredCall, extractionSource: "offline" | "llm"): string {
  const who = `${call.model} (${PROVIDER[call.provider] ?? call.provider})`;
  if (callHelped(call, extractionSource)) return `${who} ${WHAT[call.task].used}.`;
  const why =
    call.outcome === "used"
      ? "added nothing the offline extraction lacked"
      : NOT_USED[call.outcome];
  return `${who} ${WHAT[call.task].asked} but ${why}; the offline result stands.`;
}

/** The stored calls that parse (a malformed entry is left out rather than failing the page). */
export function storedCalls(value: unknown): StoredCall[] {
  return z
    .array(z.unknown())
    .catch([])
    .parse(value)
    .flatMap((c) => {
      const parsed = storedCallSchema.safeParse(c);
      return parsed.success ? [parsed.data] : [];
    });
}
