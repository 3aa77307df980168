import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { DEFAULT_GATES, decideTicket, explain, titleSimilarity } from "@/lib/pipeline/jobs/decide";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import type { NormalizedTicket } from "@/lib/pipeline/tickets";

/**
 * The processing job's decision, without a database: noise → extraction → mapping → gates, on
 * the mapping suite's fixture repository (a Python inventory package on disk).
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

function ticket(subject: string, body: string, tags: string[] = []): NormalizedTicket {
  const at = "2026-12-01T10:00:00.000Z";
  return {
    provider: "zendesk",
    externalId: "1",
    subject,
    tags,
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

const crash = ticket(
  "Bulk orders crash with a decimal error",
  [
    "Steps to reproduce:",
    "1. Add 40 units to an order",
    "2. Apply the bulk discount",
    "Expected: the discounted price. Actual: the order fails with this error:",
    "Traceback (most recent call last):",
    '  File "/srv/app/inventory/pricing.py", line 13, in bulk_price',
    '  File "/srv/app/inventory/pricing.py", line 6, in apply_discount',
    "decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]",
  ].join("\n"),
);

describe("decideTicket", () => {
  it("sets a skip-tagged ticket aside with the reason, before any extraction", async () => {
    const d = await decideTicket(
      ticket("Crash on checkout", "It crashes", ["patchline-skip"]),
      search,
    );
    expect(d.kind).toBe("skip");
    if (d.kind === "skip") expect(d.reason).toMatch(/tag/i);
  });

  it("sets a billing question aside as billing", async () => {
    const d = await decideTicket(
      ticket("Refund please", "I was charged twice this month, please refund the second charge."),
      search,
    );
    expect(d.kind).toBe("skip");
    if (d.kind === "skip") expect(d.noise.classification.label).toBe("billing");
  });

  it("maps a bug with a traceback to the file of its frames, ranked, with explanations", async () => {
    const d = await decideTicket(crash, search);
    expect(d.kind).toBe("bug");
    if (d.kind !== "bug") return;
    expect(d.locations[0]).toMatchObject({
      repo: "acme/inventory",
      path: "inventory/pricing.py",
      rank: 1,
    });
    expect(d.locations.map((l) => l.rank)).toEqual(d.locations.map((_, i) => i + 1));
    for (const l of d.locations) {
      expect(l.endLine).toBeGreaterThanOrEqual(l.startLine);
      expect(l.confidence).toBeGreaterThanOrEqual(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
      expect(l.explanation.length).toBeGreaterThan(0);
    }
    expect(d.mappingConfidence).not.toBeNull();
  });

  it("holds a bug at each gate it falls below, with the figures in the reason", async () => {
    const strict = await decideTicket(crash, search, { extraction: 1, mapping: 1 });
    expect(strict.kind).toBe("bug");
    if (strict.kind !== "bug") return;
    expect(strict.holds.map((h) => h.gate)).toEqual(["extraction", "mapping"]);
    expect(strict.holds[0]?.reason).toMatch(/below the workspace's gate 1\.00/);
    const lenient = await decideTicket(crash, search, { extraction: 0, mapping: 0 });
    expect(lenient.kind === "bug" && lenient.holds).toEqual([]);
  });

  it("without a code index the bug waits for mapping, never silently passes", async () => {
    const d = await decideTicket(crash, null, DEFAULT_GATES);
    expect(d.kind).toBe("bug");
    if (d.kind !== "bug") return;
    expect(d.locations).toEqual([]);
    expect(d.mappingConfidence).toBeNull();
    expect(
      d.holds.some((h) => h.gate === "mapping" && /No repository is indexed/.test(h.reason)),
    ).toBe(true);
  });

  it("is deterministic: the same ticket and index decide the same", async () => {
    expect(await decideTicket(crash, search)).toEqual(await decideTicket(crash, search));
  });
});

describe("duplicate detection helpers", () => {
  it("titles about the same failure are similar; unrelated ones are not", () => {
    expect(
      titleSimilarity(
        "Bulk orders crash with a decimal error",
        "Decimal error crash on bulk orders",
      ),
    ).toBeGreaterThanOrEqual(0.3);
    expect(titleSimilarity("Bulk orders crash", "Password reset email never arrives")).toBe(0);
    expect(titleSimilarity("", "anything")).toBe(0);
  });

  it("explains contributions in words, strongest first, dropping zero scores", () => {
    expect(
      explain([
        { signal: "lexical", detail: "words: order, bulk", score: 1 },
        { signal: "stack-frame", detail: "frame pricing.py:13", score: 3 },
        { signal: "file", detail: "ignored", score: 0 },
      ]),
    ).toBe("Frame pricing.py:13; words: order, bulk.");
  });

  it("keeps the three strongest reasons and drops the ranker's term weights", () => {
    expect(
      explain([
        { signal: "lexical", detail: "bought (3.93), home (2.27), also like (2.09)", score: 5 },
        { signal: "file", detail: "score of its file, billing/recommend.py", score: 4 },
        { signal: "structure", detail: "92 lines", score: 3 },
        { signal: "function-lexical", detail: "share of the word match in signatures", score: 1 },
      ]),
    ).toBe(
      "Words the report uses: bought, home, also like; score of its file, billing/recommend.py; 92 lines.",
    );
    expect(explain([])).toBe("");
  });
});
