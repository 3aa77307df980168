import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { decideTicket, type TicketDecision } from "@/lib/pipeline/jobs/decide";
import { createLlmStage, type LlmClient } from "@/lib/pipeline/llm";
import type { LlmCompletion, LlmRequest } from "@/lib/pipeline/llm/types";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import type { NormalizedTicket } from "@/lib/pipeline/tickets";

/**
 * `decideTicket` with a workspace's LLM stage, on a fake adapter (the transport: the stage,
 * redaction, parsing and merging are the real ones): the model fills extraction gaps, any
 * failure gives exactly the offline decision (recorded as such), and a reranking can only
 * reorder the engine's own candidates, never add one.
 */

const ROOT = path.join(__dirname, "../mapping/fixtures/inventory");
function filesUnder(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    const bytes = readFileSync(full);
    return [{ path: path.relative(ROOT, full), size: bytes.length, read: () => bytes }];
  });
}

let search: SearchIndex;
beforeAll(async () => {
  search = new SearchIndex([await buildIndex(filesUnder(ROOT), { repo: "acme/inventory" })]);
});

const PII = "jane.doe@example.com";
const EXPECTED = "The total should drop by fifteen percent for bulk orders.";
const ACTUAL = "It stays at the full price for every unit.";

function ticket(subject: string, body: string): NormalizedTicket {
  const at = "2026-12-01T10:00:00.000Z";
  return {
    provider: "zendesk",
    externalId: "1",
    subject,
    tags: [],
    requester: { externalId: "9", name: "Casey" },
    channel: "web",
    language: null,
    assignedTeam: null,
    createdAt: at,
    messages: [
      {
        id: "m1",
        authorRole: "customer",
        public: true,
        origin: "person",
        createdAt: at,
        body,
        attachments: [],
      },
    ],
    droppedInternalNotes: 0,
    truncation: null,
  };
}

// The rules miss this phrasing of expected/actual (no "Expected:"/"Actual:" cues).
const bulk = ticket(
  "Bulk discount is not applied to the price",
  `I added 40 units to an order and opened the cart. ${EXPECTED} ${ACTUAL} Write to me at ${PII}.`,
);

type Answer = (request: LlmRequest) => string | Error;

/** An adapter answering from a script; keeps what it was sent. */
function fakeClient(answer: Answer) {
  const sent: LlmRequest[] = [];
  const client: LlmClient = {
    provider: "anthropic",
    model: "fake-model-1",
    async complete(request): Promise<LlmCompletion> {
      sent.push(request);
      const out = answer(request);
      if (out instanceof Error) throw out;
      return { text: out, refused: false, model: "fake-model-1", inputTokens: 7, outputTokens: 3 };
    },
  };
  return { client, sent };
}

const silent = { info() {} };
/** A mapping gate no candidate reaches: the engine is unsure, so the model may reorder. */
const UNSURE = { extraction: 0.7, mapping: 1 };
/** A gate every candidate passes: the engine is sure, so its order stands. */
const SURE = { extraction: 0.7, mapping: 0 };
const task = (r: LlmRequest) => (/^TASK: rerank/m.test(r.system) ? "rerank" : "extract");
const ids = (r: LlmRequest) => [...r.user.matchAll(/"id":"(c\d+)"/g)].map((m) => m[1] ?? "");
const bugOf = (d: TicketDecision) => {
  if (d.kind !== "bug") throw new Error("expected a bug decision");
  return d;
};

describe("decideTicket with an LLM stage", () => {
  it("without a stage: the offline decision, no llm record (the default, unchanged)", async () => {
    const offline = bugOf(await decideTicket(bulk, search, UNSURE));
    expect(offline).not.toHaveProperty("llm");
    expect(await decideTicket(bulk, search, UNSURE, null)).toEqual(offline);
  });

  it("fills the gaps the rules left, from redacted text, and records the calls' metadata", async () => {
    const offline = bugOf(await decideTicket(bulk, search, UNSURE));
    expect(offline.bug.expected).toBeNull();
    expect(offline.bug.actual).toBeNull();
    const { client, sent } = fakeClient((r) =>
      task(r) === "extract"
        ? JSON.stringify({ expected: EXPECTED, actual: ACTUAL, stepsToReproduce: [] })
        : JSON.stringify({ ranking: ids(r).map((id) => ({ id, reason: "same words" })) }),
    );
    const d = bugOf(await decideTicket(bulk, search, UNSURE, createLlmStage(client, silent)));
    expect(d.bug.expected).toBe(EXPECTED);
    expect(d.bug.actual).toBe(ACTUAL);
    expect(d.bug.confidence).toBeGreaterThan(offline.bug.confidence);
    expect(d.bug.verbatim).toEqual(offline.bug.verbatim);
    expect(d.llm?.extraction).toBe("llm");
    expect(d.llm?.calls.map((c) => [c.task, c.outcome, c.model])).toEqual([
      ["extract", "used", "fake-model-1"],
      ["rerank", "used", "fake-model-1"],
    ]);
    expect(d.llm?.calls[0]?.piiRisks).toContain("email");
    // nothing that left carried the customer's address
    expect(sent.length).toBe(2);
    for (const r of sent) expect(`${r.system}\n${r.user}`).not.toContain(PII);
  });

  const failures: Array<[string, Answer, "failed" | "malformed"]> = [
    ["the provider fails", () => new Error("boom"), "failed"],
    ["the answer is prose", () => "Sure! The export is broken.", "malformed"],
    ["the answer has the wrong types", () => JSON.stringify({ expected: 42 }), "malformed"],
    [
      "the ranking names only unknown ids",
      (r) =>
        task(r) === "extract" ? "no" : JSON.stringify({ ranking: [{ id: "c99", reason: "x" }] }),
      "malformed",
    ],
  ];
  it.each(failures)(
    "falls back to exactly the offline decision when %s",
    async (_, answer, outcome) => {
      const offline = bugOf(await decideTicket(bulk, search, UNSURE));
      const { client } = fakeClient(answer);
      const d = bugOf(await decideTicket(bulk, search, UNSURE, createLlmStage(client, silent)));
      const { llm, ...rest } = d;
      expect(rest).toEqual(offline);
      expect(llm?.extraction).toBe("offline");
      expect(llm?.rerank).toBe("offline");
      expect(llm?.calls.map((c) => c.outcome)).toEqual([outcome, outcome]);
    },
  );

  it("reranks only the engine's candidates: reorders them, drops invented ids, keeps confidences", async () => {
    const offline = bugOf(await decideTicket(bulk, search, UNSURE));
    expect(offline.locations.length).toBeGreaterThanOrEqual(2);
    const { client } = fakeClient((r) => {
      if (task(r) === "extract") return JSON.stringify({ stepsToReproduce: [] });
      // the engine's order reversed, with an invented candidate and a repeated one on top
      const shown = ids(r);
      return JSON.stringify({
        ranking: [
          { id: "c42", reason: "src/evil.py looks guilty" },
          ...shown.reverse().map((id) => ({ id, reason: `reason for ${id}` })),
          { id: shown[0] ?? "c1", reason: "again" },
        ],
      });
    });
    const d = bugOf(await decideTicket(bulk, search, UNSURE, createLlmStage(client, silent)));
    expect(d.llm?.rerank).toBe("llm");
    const key = (l: { path: string; functionName: string | null }) => `${l.path}#${l.functionName}`;
    // every location is one the engine produced (with its own confidence and explanation)
    const engine = await engineCandidates();
    for (const l of d.locations) {
      const mine = engine.get(key(l));
      expect(mine, key(l)).toBeDefined();
      expect(l.confidence).toBe(mine?.confidence);
      expect(l.explanation).toBe(mine?.explanation);
    }
    expect(d.locations.some((l) => l.path.includes("evil"))).toBe(false);
    expect(d.locations.map((l) => l.rank)).toEqual(d.locations.map((_, i) => i + 1));
    // the order did change: the engine's first candidate is no longer first
    expect(key(d.locations[0] ?? offline.locations[0]!)).not.toBe(key(offline.locations[0]!));
    // the gates read the same calibrated figure
    expect(d.mappingConfidence).toBe(offline.mappingConfidence);
  });
});

describe("decideTicket when the engine is sure", () => {
  it("keeps the engine's order for a mapping at or above the gate: no rerank call is made", async () => {
    const offline = bugOf(await decideTicket(bulk, search, SURE));
    const { client, sent } = fakeClient((r) =>
      task(r) === "extract"
        ? JSON.stringify({ stepsToReproduce: [] })
        : JSON.stringify({
            ranking: ids(r)
              .reverse()
              .map((id) => ({ id, reason: "reversed" })),
          }),
    );
    const d = bugOf(await decideTicket(bulk, search, SURE, createLlmStage(client, silent)));
    expect(d.locations).toEqual(offline.locations);
    expect(d.llm?.rerank).toBe("offline");
    expect(sent.map(task)).toEqual(["extract"]);
  });
});

/** Every candidate the engine ranks for the bulk ticket, by path#function (all, not the top 5). */
async function engineCandidates() {
  const { client } = fakeClient((r) => {
    if (task(r) === "extract") return JSON.stringify({ stepsToReproduce: [] });
    return JSON.stringify({ ranking: ids(r).map((id) => ({ id, reason: "keep" })) });
  });
  // keeping the order gives the engine's list; read it through a permissive ranking per slot
  const d = bugOf(await decideTicket(bulk, search, UNSURE, createLlmStage(client, silent)));
  const offline = bugOf(await decideTicket(bulk, search, UNSURE));
  expect(d.locations).toEqual(offline.locations);
  const { mapBug } = await import("@/lib/pipeline/mapping/map-bug");
  const { toBugReport } = await import("@/lib/pipeline/extraction");
  const { explain } = await import("@/lib/pipeline/jobs/decide");
  const mapping = mapBug(search, toBugReport(offline.bug));
  return new Map(
    mapping.functions.map((f) => [
      `${f.path}#${f.kind === "file" ? null : f.qname}`,
      {
        confidence: Math.round(Math.min(1, Math.max(0, f.confidence)) * 1000) / 1000,
        explanation: explain(f.explanation),
      },
    ]),
  );
}
