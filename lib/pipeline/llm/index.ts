export { AnthropicClient, type ProviderClientOptions } from "./anthropic-client";
export { OpenAiClient } from "./openai-client";
export {
  createLlmClient,
  DEFAULT_MODELS,
  LLM_MAX_RETRIES,
  LLM_TIMEOUT_MS,
  type LlmEnv,
  type LlmSettings,
  llmSettingsSchema,
} from "./settings";
export {
  type CallSink,
  createLlmStage,
  type LlmStage,
  type RankedCandidate,
  RERANK_LIMIT,
  type RerankCandidate,
  type ResultSource,
  type StageExtraction,
  type StageRerank,
} from "./stage";
export { LLM_PROVIDERS, type LlmCallRecord, type LlmClient, type LlmProviderName } from "./types";
