import { z } from "zod";
import { AnthropicClient } from "./anthropic-client";
import { OpenAiClient } from "./openai-client";
import { LLM_PROVIDERS, type LlmClient } from "./types";

/**
 * A workspace's choice of LLM provider (egress control). Off by default: without an explicit
 * choice nothing leaves Patchline and every stage runs on its deterministic methods.
 */
export const llmSettingsSchema = z.object({
  provider: z.enum(["none", ...LLM_PROVIDERS]).default("none"),
  /** Overrides the provider's default model. */
  model: z.string().trim().min(1).max(100).optional(),
});
export type LlmSettings = z.infer<typeof llmSettingsSchema>;

export const DEFAULT_MODELS = {
  anthropic: "claude-sonnet-4-5",
  openai: "gpt-4.1-mini",
} as const;

/** Bounded so a slow or failing provider delays a ticket by seconds, never minutes. */
export const LLM_TIMEOUT_MS = 20_000;
export const LLM_MAX_RETRIES = 2;

/** The provider keys and base URLs, as `serverEnv()` reads them (lib/env.ts). */
export interface LlmEnv {
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
}

/**
 * The client a workspace's settings ask for, or null: when the setting is off, or when the
 * deployment has no key for the chosen provider (the stage then runs offline, as if off).
 */
export function createLlmClient(
  settings: LlmSettings,
  env: LlmEnv,
  limits: { timeoutMs?: number; maxRetries?: number } = {},
): LlmClient | null {
  const common = {
    timeoutMs: limits.timeoutMs ?? LLM_TIMEOUT_MS,
    maxRetries: limits.maxRetries ?? LLM_MAX_RETRIES,
  };
  if (settings.provider === "anthropic" && env.ANTHROPIC_API_KEY) {
    return new AnthropicClient({
      ...common,
      apiKey: env.ANTHROPIC_API_KEY,
      baseURL: env.ANTHROPIC_BASE_URL,
      model: settings.model ?? DEFAULT_MODELS.anthropic,
    });
  }
  if (settings.provider === "openai" && env.OPENAI_API_KEY) {
    return new OpenAiClient({
      ...common,
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      model: settings.model ?? DEFAULT_MODELS.openai,
    });
  }
  return null;
}
