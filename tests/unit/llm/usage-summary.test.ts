import { describe, expect, it } from "vitest";
import { describeCall, storedCalls } from "@/lib/pipeline/llm/usage-summary";

/** The bug page's "Model help" sentences, from the stored call metadata (never text). */

const call = (over: Partial<Parameters<typeof describeCall>[0]> = {}) => ({
  task: "extract" as const,
  provider: "anthropic",
  model: "claude-haiku-4-5",
  outcome: "used" as const,
  inputTokens: 300,
  outputTokens: 80,
  piiRisks: [],
  ...over,
});

describe("describeCall", () => {
  it("keeps the calls that parse and drops a malformed entry", () => {
    expect(storedCalls([call(), { task: "other" }, "x"])).toHaveLength(1);
    expect(storedCalls(null)).toEqual([]);
  });

  it("names the model and what it did when its answer was used", () => {
    expect(describeCall(call(), "llm")).toBe(
      "claude-haiku-4-5 (Anthropic) filled gaps in the extracted fields.",
    );
    expect(
      describeCall(call({ task: "rerank", provider: "openai", model: "gpt-5-mini" }), "offline"),
    ).toBe("gpt-5-mini (OpenAI) reordered the candidate code locations.");
  });

  it("says the offline result stands when the model's answer was not used", () => {
    expect(describeCall(call({ outcome: "failed" }), "offline")).toBe(
      "claude-haiku-4-5 (Anthropic) was asked to fill gaps in the extracted fields but could not be reached; the offline result stands.",
    );
    expect(describeCall(call({ task: "rerank", outcome: "malformed" }), "offline")).toContain(
      "answered in a shape Patchline could not use",
    );
    // an extraction answer that added nothing: the stored fields are the offline ones
    expect(describeCall(call(), "offline")).toContain(
      "added nothing the offline extraction lacked",
    );
  });
});
