import { createHmac } from "node:crypto";

/** The API keys the LLM stand-ins accept, written to the env file for the app. */
export interface LlmKeys {
  ANTHROPIC_API_KEY: string;
  OPENAI_API_KEY: string;
}

/** Derived from the devstack's JWT secret like the other sandbox credentials: stable, not constants. */
export function deriveLlmKeys(seed: string): LlmKeys {
  const d = (label: string) =>
    createHmac("sha256", seed).update(`patchline-sandbox:${label}`).digest("hex").slice(0, 40);
  return {
    ANTHROPIC_API_KEY: `sbx_ant_${d("anthropic-api-key")}`,
    OPENAI_API_KEY: `sbx_oai_${d("openai-api-key")}`,
  };
}

/** What the env file gains: the keys and base URLs the SDKs are given (they add `/v1/…` paths). */
export function llmEnv(sandboxUrl: string, keys: LlmKeys): Record<string, string> {
  return {
    ...keys,
    // Anthropic's SDK appends /v1/messages to its base URL; OpenAI's appends /chat/completions.
    ANTHROPIC_BASE_URL: `${sandboxUrl}/llm/anthropic`,
    OPENAI_BASE_URL: `${sandboxUrl}/llm/openai/v1`,
  };
}
