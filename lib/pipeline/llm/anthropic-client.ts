import Anthropic from "@anthropic-ai/sdk";
import type { LlmClient, LlmCompletion, LlmRequest } from "./types";

export interface ProviderClientOptions {
  apiKey: string;
  /** The provider's API origin (a sandbox locally); the SDK appends `/v1/messages`. */
  baseURL?: string;
  model: string;
  /** Per attempt; the SDK's default (10 minutes) is far too long for a pipeline step. */
  timeoutMs: number;
  /** Retries on 408/409/429/5xx and connection errors, with the SDK's backoff. */
  maxRetries: number;
}

/** Anthropic's Messages API through `@anthropic-ai/sdk`. */
export class AnthropicClient implements LlmClient {
  readonly provider = "anthropic" as const;
  readonly model: string;
  private readonly sdk: Anthropic;

  constructor(options: ProviderClientOptions) {
    this.model = options.model;
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      // The SDK logs request details at debug level through console; keep it quiet.
      logLevel: "off",
    });
  }

  async complete(request: LlmRequest): Promise<LlmCompletion> {
    const message = await this.sdk.messages.create({
      model: this.model,
      max_tokens: request.maxTokens,
      system: request.system,
      messages: [{ role: "user", content: request.user }],
    });
    const text = message.content
      .map((block) => (block.type === "text" ? block.text : ""))
      .join("")
      .trim();
    const refused = message.stop_reason === "refusal";
    return {
      text: refused || text === "" ? null : text,
      refused,
      model: message.model,
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
    };
  }
}
