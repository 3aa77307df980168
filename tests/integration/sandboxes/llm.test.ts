import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { control, env, sandbox } from "./helpers";

/** The LLM stand-ins driven by the providers' own SDKs over real HTTP. */

const anthropic = (apiKey = env().ANTHROPIC_API_KEY, maxRetries = 0) =>
  new Anthropic({ apiKey, baseURL: env().ANTHROPIC_BASE_URL, maxRetries, timeout: 5_000 });
const openai = (apiKey = env().OPENAI_API_KEY, maxRetries = 0) =>
  new OpenAI({ apiKey, baseURL: env().OPENAI_BASE_URL, maxRetries, timeout: 5_000 });

const EXTRACT = {
  system: "TASK: extract",
  user: "Subject: Broken\n<ticket>\nI clicked Save. It shows an error.\n</ticket>",
};

const askAnthropic = (client = anthropic()) =>
  client.messages.create({
    model: "claude-test",
    max_tokens: 200,
    system: EXTRACT.system,
    messages: [{ role: "user", content: EXTRACT.user }],
  });
const askOpenai = (client = openai()) =>
  client.chat.completions.create({
    model: "gpt-test",
    messages: [
      { role: "system", content: EXTRACT.system },
      { role: "user", content: EXTRACT.user },
    ],
  });

describe("LLM stand-ins", () => {
  afterEach(async () => {
    await control("DELETE", "/llm/faults");
    await control("DELETE", "/llm/requests");
  });

  it("Anthropic: x-api-key checked, anthropic-version required, a message with usage", async () => {
    await expect(askAnthropic(anthropic("wrong"))).rejects.toMatchObject({
      status: 401,
      error: { type: "error", error: { type: "authentication_error" } },
    });
    const noVersion = await fetch(sandbox("/llm/anthropic/v1/messages"), {
      method: "POST",
      headers: { "x-api-key": env().ANTHROPIC_API_KEY ?? "", "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        max_tokens: 1,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(noVersion.status).toBe(400);
    // The API's own header works too (curl, other clients).
    const withHeader = await fetch(sandbox("/llm/anthropic/v1/messages"), {
      method: "POST",
      headers: {
        "x-api-key": env().ANTHROPIC_API_KEY ?? "",
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: "m",
        max_tokens: 1,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(withHeader.status).toBe(200);
    const message = await askAnthropic();
    expect(message).toMatchObject({
      type: "message",
      model: "claude-test",
      stop_reason: "end_turn",
    });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const block = message.content[0];
    const answer = JSON.parse(block?.type === "text" ? block.text : "null");
    expect(answer).toMatchObject({
      title: "Broken",
      stepsToReproduce: ["I clicked Save."],
      actual: "It shows an error.",
    });
  });

  it("OpenAI: Bearer key checked, a chat completion with usage", async () => {
    await expect(askOpenai(openai("wrong"))).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    const completion = await askOpenai();
    expect(completion.model).toBe("gpt-test");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(JSON.parse(completion.choices[0]?.message.content ?? "null")).toMatchObject({
      title: "Broken",
    });
  });

  it("scripted faults: a 429 is retried by the SDK after retry-after-ms; without retries it surfaces", async () => {
    await control("POST", "/llm/faults", { provider: "anthropic", mode: "rate-limit", times: 1 });
    await expect(askAnthropic()).rejects.toMatchObject({ status: 429 });
    await control("POST", "/llm/faults", { provider: "openai", mode: "rate-limit", times: 1 });
    const completion = await askOpenai(openai(undefined, 1));
    expect(completion.choices[0]?.message.content).toBeTruthy();
    const seen = await control<{ requests: unknown[] }>("GET", "/llm/requests?provider=openai");
    expect(seen.json.requests).toHaveLength(2);
  });

  it("scripted faults: 500, overload, refusal and malformed answers in each provider's shape", async () => {
    await control("POST", "/llm/faults", { mode: "server-error", times: 2 });
    await expect(askAnthropic()).rejects.toMatchObject({
      status: 500,
      error: { error: { type: "api_error" } },
    });
    await expect(askOpenai()).rejects.toMatchObject({ status: 500, type: "server_error" });
    await control("POST", "/llm/faults", { provider: "anthropic", mode: "overloaded" });
    await expect(askAnthropic()).rejects.toMatchObject({ status: 529 });
    await control("POST", "/llm/faults", { mode: "refusal", times: 2 });
    expect((await askAnthropic()).stop_reason).toBe("refusal");
    expect((await askOpenai()).choices[0]?.message.refusal).toBeTruthy();
    await control("POST", "/llm/faults", { provider: "openai", mode: "malformed" });
    const text = (await askOpenai()).choices[0]?.message.content ?? "";
    expect(() => JSON.parse(text)).toThrow();
  });

  it("the control API validates faults, lists and clears them", async () => {
    expect((await control("POST", "/llm/faults", { mode: "explode" })).status).toBe(422);
    await control("POST", "/llm/faults", { mode: "slow", times: 0, delayMs: 10 });
    expect((await control<{ faults: unknown[] }>("GET", "/llm/faults")).json.faults).toHaveLength(
      1,
    );
    await control("DELETE", "/llm/faults");
    expect((await control<{ faults: unknown[] }>("GET", "/llm/faults")).json.faults).toHaveLength(
      0,
    );
  });
});
