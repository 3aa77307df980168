import { beforeAll, describe, expect, it } from "vitest";
import type { CodeIndex } from "@/lib/pipeline/code-index/types";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { indexDemoRepo } from "@/scripts/lib/pipeline-eval/demo-index";
import { type EvalSet, isBugGold, loadEvalSet } from "@/scripts/lib/pipeline-eval/eval-set";
import { computeMetrics, goldRanks } from "@/scripts/lib/pipeline-eval/metrics";
import { summaryLines } from "@/scripts/lib/pipeline-eval/report";
import { evaluateTickets } from "@/scripts/lib/pipeline-eval/run";

/**
 * The evaluation on a small slice of the real set, through the real stages and the real demo
 * index: the figures must be what the rows say, and the set must be what the task asks for.
 */

let set: EvalSet;
let index: CodeIndex;
let commit: string;

beforeAll(async () => {
  set = loadEvalSet();
  ({ index, commit } = await indexDemoRepo());
}, 120_000);

describe("the labelled set", () => {
  it("holds at least 40 tickets of the required kinds, gold at the demo's head commit", () => {
    expect(commit).toBe(set.commit);
    const t = set.tickets;
    expect(t.length).toBeGreaterThanOrEqual(40);
    expect(t.filter((x) => x.kind === "original")).toHaveLength(10);
    expect(
      t.filter((x) => isBugGold(x.gold) && x.kind !== "original").length,
    ).toBeGreaterThanOrEqual(15);
    const noise = new Set(t.filter((x) => !isBugGold(x.gold)).map((x) => x.gold.classification));
    expect([...noise].sort()).toEqual(
      ["account_access", "billing", "feature_request", "how_to", "spam", "thanks_closing"].sort(),
    );
    expect(t.filter((x) => !isBugGold(x.gold)).length).toBeGreaterThanOrEqual(12);
    for (const lang of ["es", "de", "fr"]) expect(t.some((x) => x.language === lang)).toBe(true);
    expect(t.some((x) => x.kind === "screenshot-only")).toBe(true);
  });

  it("names gold files and functions that exist in the demo index", () => {
    for (const t of set.tickets) {
      if (!isBugGold(t.gold)) continue;
      const gold = t.gold;
      const file = index.files.find((f) => f.path === gold.file);
      expect(file, `${t.id}: ${gold.file}`).toBeDefined();
      expect(
        file?.chunks.map((c) => c.qname),
        t.id,
      ).toContain(gold.function);
    }
  });
});

describe("evaluation on a slice", () => {
  it("scores each row from what the stages did, and the summary from the rows", async () => {
    const pick = [
      "still-signed-in-shared-computer",
      "inventory-409-trace",
      "spam-tagged-crypto",
      "howto-gift-wrap",
    ];
    const slice = set.tickets.filter((t) => pick.includes(t.id));
    const rows = await evaluateTickets(slice, new SearchIndex([index]));
    expect(rows.map((r) => r.id)).toEqual(slice.map((t) => t.id));
    const byId = new Map(rows.map((r) => [r.id, r]));

    // a skip tag sets the ticket aside whatever it says
    expect(byId.get("spam-tagged-crypto")?.decision).toBe("skip");
    // a stack trace naming the file puts it first
    const traced = byId.get("inventory-409-trace");
    expect(traced?.bug?.files[0]).toBe("src/inventory/inventory.ts");
    expect(goldRanks(traced as NonNullable<typeof traced>).file).toBe(1);

    const m = computeMetrics(rows);
    const bugs = rows.filter((r) => isBugGold(r.gold));
    const noise = rows.filter((r) => !isBugGold(r.gold));
    const skipped = rows.filter((r) => r.decision === "skip");
    expect(m.goldBugs).toBe(bugs.length);
    expect(m.noise.recall.n).toBe(noise.length);
    expect(m.noise.precision.n).toBe(skipped.length);
    expect(m.noise.recall.hits).toBe(noise.filter((r) => r.decision === "skip").length);
    expect(m.mapping.fileTop1.hits).toBe(bugs.filter((r) => goldRanks(r).file === 1).length);
    expect(m.mapping.fileTop5.hits).toBeGreaterThanOrEqual(m.mapping.fileTop1.hits);
    expect(m.gates.passedShareOfBugs.hits).toBe(bugs.filter((r) => r.bug?.passedGates).length);
    expect(summaryLines(m).join("\n")).toContain("file top-1");
  }, 60_000);

  it("is deterministic: the same tickets give the same rows", async () => {
    const slice = set.tickets.slice(0, 6);
    const search = new SearchIndex([index]);
    const strip = (rows: Awaited<ReturnType<typeof evaluateTickets>>) =>
      rows.map(({ ms: _, ...r }) => r);
    expect(strip(await evaluateTickets(slice, search))).toEqual(
      strip(await evaluateTickets(slice, search)),
    );
  }, 60_000);
});
