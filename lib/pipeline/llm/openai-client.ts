import OpenAI from "openai";
import type { ProviderClientOptions } from "./anthropic-client";
import type { LlmClient, LlmCompletion, LlmRequest } from "./types";

/** OpenAI's Chat Completions API through the `openai` SDK, in JSON mode. */
export class OpenAiClient implements LlmClient {
  readonly provider = "openai" as const;
  readonly model: string;
  private readonly sdk: OpenAI;

  constructor(options: ProviderClientOptions) {
    this.model = options.model;
    this.sdk = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      logLevel: "off",
    });
  }

  async complete(request: LlmRequest): Promise<LlmCompletion> {
    const completion = await this.sdk.chat.completions.create({
      model: this.model,
      max_completion_tokens: request.maxTokens,
      temperature: 0,
      response_format: { type: "json_object" },
      messages: [
        { role: "system", content: request.system },
        { role: "user", content: request.user },
      ],
    });
    const message = completion.choices[0]?.message;
    const refused = Boolean(message?.refusal);
    const text = message?.content?.trim() ?? "";
    return {
      text: refused || text === "" ? null : text,
      refused,
      model: completion.model,
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
    };
  }
}
