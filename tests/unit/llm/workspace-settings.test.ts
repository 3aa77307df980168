import { describe, expect, it, vi } from "vitest";
import { testLlmConnection } from "@/lib/pipeline/llm/connection-test";
import type { LlmClient } from "@/lib/pipeline/llm/types";

vi.mock("server-only", () => ({}));

const { saveLlmSettingsInput } = await import("@/lib/pipeline/llm/workspace-settings");

describe("the LLM settings form input", () => {
  it("turns empty model and key into null, and accepts them absent (off hides both fields)", () => {
    expect(saveLlmSettingsInput.parse({ provider: "none" })).toEqual({
      provider: "none",
      model: null,
      apiKey: null,
    });
    expect(
      saveLlmSettingsInput.parse({ provider: "anthropic", model: "  ", apiKey: "  sk-ant-1 " }),
    ).toEqual({ provider: "anthropic", model: null, apiKey: "sk-ant-1" });
  });

  it("refuses an unknown provider, a model name with spaces or quotes, an absurd key", () => {
    expect(saveLlmSettingsInput.safeParse({ provider: "mistral" }).success).toBe(false);
    for (const model of ["gpt 4", 'claude"; drop', "-leading-dash", "x".repeat(101)]) {
      expect(saveLlmSettingsInput.safeParse({ provider: "openai", model }).success, model).toBe(
        false,
      );
    }
    expect(
      saveLlmSettingsInput.safeParse({ provider: "openai", model: "gpt-4.1-mini" }).success,
    ).toBe(true);
    expect(
      saveLlmSettingsInput.safeParse({ provider: "openai", apiKey: "k".repeat(501) }).success,
    ).toBe(false);
  });
});

describe("test connection", () => {
  const failing = (error: unknown): LlmClient => ({
    provider: "openai",
    model: "m",
    complete: () => Promise.reject(error),
  });
  const withStatus = (status: number) =>
    Object.assign(new Error("provider said: secret prompt"), { status });

  it("reports the model and latency of one small call", async () => {
    const sent: string[] = [];
    const client: LlmClient = {
      provider: "anthropic",
      model: "claude-x",
      async complete(request) {
        sent.push(request.user);
        return {
          text: "{}",
          refused: false,
          model: "claude-x-2026",
          inputTokens: 3,
          outputTokens: 1,
        };
      },
    };
    const out = await testLlmConnection(client);
    expect(out).toMatchObject({ ok: true, model: "claude-x-2026" });
    expect(sent).toEqual(["ping"]);
  });

  it("says what went wrong from the status only, never the provider's message", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [withStatus(401), /refused the API key/],
      [withStatus(404), /does not know this model/],
      [withStatus(429), /rate-limiting/],
      [withStatus(503), /HTTP 503/],
      [new TypeError("fetch failed"), /could not be reached/],
    ];
    for (const [error, problem] of cases) {
      const out = await testLlmConnection(failing(error));
      expect(out.ok).toBe(false);
      if (out.ok) continue;
      expect(out.problem).toMatch(problem);
      expect(out.problem).not.toContain("secret prompt");
    }
  });
});
