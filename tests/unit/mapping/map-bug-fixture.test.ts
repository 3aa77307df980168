import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import type { CodeIndex } from "@/lib/pipeline/code-index/types";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";

/**
 * The runtime entry on a small real repository on disk (fixtures/inventory: a Python package),
 * indexed the way the product indexes one: every file read from the tree, skip rules applied.
 */
const ROOT = path.join(__dirname, "fixtures/inventory");

function filesUnder(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    const bytes = readFileSync(full);
    return [{ path: path.relative(ROOT, full), size: bytes.length, read: () => bytes }];
  });
}

let index: CodeIndex;
let search: SearchIndex;
beforeAll(async () => {
  index = await buildIndex(filesUnder(ROOT), { repo: "acme/inventory" });
  search = new SearchIndex([index]);
});

describe("mapBug on a fixture repository", () => {
  it("follows a Python traceback to the file and the functions of its frames", () => {
    const r = mapBug(search, {
      title: "Orders crash with a decimal error",
      stackTraces: [
        [
          "Traceback (most recent call last):",
          '  File "/srv/app/inventory/pricing.py", line 13, in bulk_price',
          '  File "/srv/app/inventory/pricing.py", line 6, in apply_discount',
          "decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]",
        ].join("\n"),
      ],
    });
    expect(r.files[0]?.path).toBe("inventory/pricing.py");
    // Both frames' functions lead, each credited with its frame; the caller (`bulk_price`) also
    // uses the callee's name, so their order is the words' to decide.
    const top2 = r.functions.slice(0, 2);
    expect(top2.map((f) => f.qname).sort()).toEqual(["apply_discount", "bulk_price"]);
    expect(r.functions.find((f) => f.qname === "apply_discount")).toMatchObject({
      path: "inventory/pricing.py",
      kind: "function",
      startLine: 4,
      endLine: 7,
    });
    for (const f of top2)
      expect(
        f.explanation.some((e) => e.signal === "stack-frame" && e.detail.includes(f.qname)),
        f.qname,
      ).toBe(true);
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it("matches a quoted error message to the method raising it", () => {
    const r = mapBug(search, {
      title: "Order fails although the shelf is full",
      description: 'Removing 3 units of A-1 says "not enough stock for A-1: 5 on hand".',
    });
    expect(r.files[0]?.path).toBe("inventory/stock.py");
    expect(r.functions[0]?.qname).toBe("Stock.remove");
    const message = r.files[0]?.explanation.find((e) => e.signal === "string");
    expect(message?.detail).toContain("not enough stock for");
  });

  it("ranks by words alone when the report names no code, with a lower confidence", () => {
    // A report whose trace names the code. Its title names it too: with a title of no words
    // the two confidences differed by 0.003, and plain words of the trace (`pricing` of the
    // path) no longer count as names, which closed that gap.
    const traced = mapBug(search, {
      title: "apply_discount crashes",
      stackTraces: ['  File "inventory/pricing.py", line 6, in apply_discount'],
    });
    const r = mapBug(search, {
      title: "CSV export has no header row",
      description: "Exporting to csv writes the rows but the columns are not named.",
    });
    expect(r.files[0]?.path).toBe("inventory/export.py");
    expect(r.functions.slice(0, 2).map((f) => f.qname)).toContain("write_csv");
    expect(r.confidence).toBeLessThan(traced.confidence);
    // Every file's confidence is a probability and they sum to at most one.
    expect(r.files.every((f) => f.confidence >= 0 && f.confidence <= 1)).toBe(true);
    expect(r.files.reduce((s, f) => s + f.confidence, 0)).toBeLessThanOrEqual(1.0001);
  });

  it("takes the repository index itself and gives the same result as a built search index", () => {
    const report = { title: "apply_discount rounds 0.005 down" };
    expect(mapBug(index, report)).toEqual(mapBug(search, report));
    expect(mapBug([index], report)).toEqual(mapBug(search, report));
  });

  it("rejects a report without a title", () => {
    expect(() => mapBug(search, { description: "no title" } as never)).toThrow(/title/);
  });
});
