import { describe, expect, it } from "vitest";
import { parseServerEnv } from "@/lib/env";
import { extractBug } from "@/lib/pipeline/extraction";
import {
  AnthropicClient,
  createLlmClient,
  createLlmStage,
  llmSettingsSchema,
  OpenAiClient,
} from "@/lib/pipeline/llm";
import { EXPORT_TICKET } from "./fixtures";

describe("LLM settings", () => {
  const keys = { ANTHROPIC_API_KEY: "k1", OPENAI_API_KEY: "k2" };

  it("are off by default: no client, whatever keys the deployment has", () => {
    const settings = llmSettingsSchema.parse({});
    expect(settings.provider).toBe("none");
    expect(createLlmClient(settings, keys)).toBeNull();
  });

  it("give the chosen provider's SDK client only when its key is set", () => {
    expect(createLlmClient({ provider: "anthropic" }, keys)).toBeInstanceOf(AnthropicClient);
    expect(createLlmClient({ provider: "openai", model: "gpt-x" }, keys)).toMatchObject({
      provider: "openai",
      model: "gpt-x",
    });
    expect(createLlmClient({ provider: "openai" }, keys)).toBeInstanceOf(OpenAiClient);
    expect(createLlmClient({ provider: "anthropic" }, {})).toBeNull();
  });

  it("the environment's provider variables are optional, base URLs default to the real APIs", () => {
    const env = parseServerEnv({ MAILBOX_URL: "http://localhost:1" });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.ANTHROPIC_BASE_URL).toBe("https://api.anthropic.com");
    expect(env.OPENAI_BASE_URL).toBe("https://api.openai.com/v1");
    expect(() =>
      parseServerEnv({ MAILBOX_URL: "http://localhost:1", OPENAI_BASE_URL: "not a url" }),
    ).toThrow(/OPENAI_BASE_URL/);
  });
});

describe("the stage without a provider", () => {
  it("returns exactly the offline extraction and order, records no call, logs nothing", async () => {
    const lines: string[] = [];
    const stage = createLlmStage(null, { info: (o, m) => lines.push(JSON.stringify([o, m])) });
    const out = await stage.extract(EXPORT_TICKET);
    expect(out).toEqual({ bug: extractBug(EXPORT_TICKET), source: "offline" });
    const candidates = [
      { path: "a.ts", name: "f", startLine: 1, endLine: 2 },
      { path: "b.ts", name: null, startLine: 1, endLine: 9 },
    ];
    const ranked = await stage.rerank({ title: "x" }, candidates);
    expect(ranked.ranked.map((r) => r.candidate)).toEqual(candidates);
    expect(ranked.source).toBe("offline");
    expect(lines).toEqual([]);
  });
});
