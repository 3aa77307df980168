import type { RiskTag } from "../redact";

/**
 * The provider-neutral transport every LLM adapter speaks: one system prompt, one user message,
 * one text answer asked for as JSON. Anthropic and OpenAI implement it on their official SDKs
 * (`anthropic-client.ts`, `openai-client.ts`); the stage (`stage.ts`) never sees which one.
 */
export interface LlmClient {
  readonly provider: LlmProviderName;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmCompletion>;
}

export const LLM_PROVIDERS = ["anthropic", "openai"] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

export interface LlmRequest {
  /** Already redacted: nothing that reaches a client may carry PII (stage.ts redacts). */
  system: string;
  user: string;
  maxTokens: number;
}

export interface LlmCompletion {
  /** The answer's text, or null when the model refused or said nothing. */
  text: string | null;
  refused: boolean;
  /** The model that answered, as the provider names it. */
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * What happened on one call: all that is ever recorded about it (logs, and whatever a caller
 * persists). Never the prompt, the answer or the ticket's text.
 */
export interface LlmCallRecord {
  task: "extract" | "rerank";
  provider: LlmProviderName;
  model: string;
  outcome: "used" | "refused" | "malformed" | "failed";
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** PII kinds found and redacted before the text left (lib/pipeline/redact). */
  piiRisks: RiskTag[];
  /** For "failed": the error's class and HTTP status, never its message (it may quote input). */
  error?: string;
}
