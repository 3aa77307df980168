import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { extractBug } from "@/lib/pipeline/extraction";
import { createLlmClient, createLlmStage, type LlmProviderName } from "@/lib/pipeline/llm";
import { EXPORT_TICKET, EXPORT_TICKET_PII } from "../../unit/llm/fixtures";
import { control, env } from "./helpers";

/**
 * The LLM stage end to end: the pipeline's stage → the official SDK → the devstack stand-in over
 * real HTTP. Logs are captured from a real pino logger (lib/log.ts).
 */

const CANDIDATES = [
  { path: "src/cart/total.ts", name: "cartTotal", startLine: 1, endLine: 20 },
  { path: "src/reports/export-csv.ts", name: "exportOrdersCsv", startLine: 5, endLine: 60 },
  { path: "src/ui/button.tsx", name: null, startLine: 1, endLine: 12 },
];
const REPORT = {
  title: "Export is incomplete",
  actual: "The CSV export of orders only has 100 rows; mail jane.doe@example.com",
};

/** A stage on `provider` whose call records go to a captured pino logger. */
function stageOn(provider: LlmProviderName, limits = { timeoutMs: 5_000, maxRetries: 1 }) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: "info", destination }).child({ module: "llm" });
  const client = createLlmClient({ provider }, llmEnv(), limits);
  if (!client) throw new Error(`no ${provider} key in the devstack env file`);
  return { stage: createLlmStage(client, logger), lines };
}

/** The provider keys and stand-in URLs the devstack wrote to its env file. */
const llmEnv = () => {
  const e = env();
  return {
    ANTHROPIC_API_KEY: e.ANTHROPIC_API_KEY,
    ANTHROPIC_BASE_URL: e.ANTHROPIC_BASE_URL,
    OPENAI_API_KEY: e.OPENAI_API_KEY,
    OPENAI_BASE_URL: e.OPENAI_BASE_URL,
  };
};

const sentences = EXPORT_TICKET.customerText.split(/(?<=\.)\s+/).filter((s) => s.length > 12);

describe.each(["anthropic", "openai"] as const)("LLM stage on %s", (provider) => {
  beforeEach(async () => {
    await control("DELETE", "/llm/requests");
  });
  afterEach(async () => {
    await control("DELETE", "/llm/faults");
  });

  it("fills the extraction's gaps from redacted text; logs only model, tokens, latency, PII tags", async () => {
    const { stage, lines } = stageOn(provider);
    const offline = extractBug(EXPORT_TICKET);
    const out = await stage.extract(EXPORT_TICKET);
    expect(out.source).toBe("llm");
    expect(out.bug.expected).toBe("The file should have every order of the month.");
    expect(out.bug.actual).toBe("It only has the first 100 rows.");
    expect(out.bug.confidence).toBeGreaterThanOrEqual(0.7);
    expect(offline.confidence).toBeLessThan(0.7);
    // The customer's words stay whole inside Patchline.
    expect(out.bug.verbatim).toEqual(offline.verbatim);
    expect(out.call).toMatchObject({
      task: "extract",
      provider,
      outcome: "used",
      piiRisks: expect.arrayContaining(["email", "phone", "card"]),
    });
    expect(out.call?.inputTokens).toBeGreaterThan(0);
    expect(out.call?.outputTokens).toBeGreaterThan(0);

    // What reached the provider was redacted.
    const seen = await control<{ requests: Array<{ user: string }> }>("GET", "/llm/requests");
    expect(seen.json.requests).toHaveLength(1);
    const sent = seen.json.requests[0]?.user ?? "";
    expect(sent).toContain("[email]");
    for (const pii of EXPORT_TICKET_PII) expect(sent).not.toContain(pii);

    // What reached the log: the record, never the ticket.
    const log = lines.join("");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      module: "llm",
      llm: {
        model: expect.any(String),
        usage: { input: expect.any(Number), output: expect.any(Number) },
        piiRisks: ["email", "phone", "card"],
        latencyMs: expect.any(Number),
      },
    });
    for (const s of [...sentences, ...EXPORT_TICKET_PII, EXPORT_TICKET.subject]) {
      expect(log).not.toContain(s);
    }
  });

  it("reranks the offline candidates with reasons", async () => {
    const { stage, lines } = stageOn(provider);
    const out = await stage.rerank(REPORT, CANDIDATES);
    expect(out.source).toBe("llm");
    expect(out.ranked.map((r) => r.candidate.path)).toEqual([
      "src/reports/export-csv.ts",
      "src/cart/total.ts",
      "src/ui/button.tsx",
    ]);
    expect(out.ranked[0]?.reason).toMatch(/export/);
    expect(out.call?.piiRisks).toEqual(["email"]);
    const seen = await control<{ requests: Array<{ user: string }> }>("GET", "/llm/requests");
    expect(seen.json.requests[0]?.user).not.toContain("jane.doe@example.com");
    expect(lines.join("")).not.toContain("100 rows");
  });

  it("a single 429 is retried within the bound and the answer is used", async () => {
    await control("POST", "/llm/faults", { provider, mode: "rate-limit", times: 1 });
    const { stage } = stageOn(provider);
    expect((await stage.extract(EXPORT_TICKET)).source).toBe("llm");
    const seen = await control<{ requests: unknown[] }>("GET", "/llm/requests");
    expect(seen.json.requests).toHaveLength(2);
  });

  // The option is never worse: whatever the provider does, the results equal the offline ones.
  it.each([
    ["rate-limit", "failed"],
    ["server-error", "failed"],
    ["overloaded", "failed"],
    ["malformed", "malformed"],
    ["refusal", "refused"],
    ["slow", "failed"],
  ] as const)("provider %s → exactly the offline results (%s)", async (mode, outcome) => {
    await control("POST", "/llm/faults", { provider, mode, times: 0, delayMs: 1_500 });
    const { stage, lines } = stageOn(provider, { timeoutMs: 500, maxRetries: 1 });
    const extraction = await stage.extract(EXPORT_TICKET);
    const reranked = await stage.rerank(REPORT, CANDIDATES);
    expect(extraction.bug).toEqual(extractBug(EXPORT_TICKET));
    expect(extraction.source).toBe("offline");
    expect(reranked.ranked).toEqual(CANDIDATES.map((candidate) => ({ candidate, reason: null })));
    expect(extraction.call?.outcome).toBe(outcome);
    expect(reranked.call?.outcome).toBe(outcome);
    // Bounded: a slow answer is cut by the half-second timeout (else the outcome would be "ok"),
    // and there is one retry (the request count below). No wall-clock assertion: shared machines.
    const seen = await control<{ requests: unknown[] }>("GET", "/llm/requests");
    expect(seen.json.requests).toHaveLength(outcome === "failed" ? 4 : 2);
    if (outcome === "failed") expect(extraction.call?.error).toMatch(/Error/);
    for (const s of [...sentences, ...EXPORT_TICKET_PII]) expect(lines.join("")).not.toContain(s);
  });
});
