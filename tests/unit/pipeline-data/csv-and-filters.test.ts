import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "@/lib/pipeline-data/csv";
import {
  decodeCursor,
  encodeCursor,
  keysetFilter,
  likePattern,
  toPage,
} from "@/lib/pipeline-data/cursor";
import {
  bugFiltersInput,
  parseFilters,
  resolveReviewInput,
  updateBugInput,
} from "@/lib/pipeline-data/schemas";

/** RFC 4180 reader, enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("CSV export", () => {
  it("quotes every field and doubles quotes; CRLF rows; BOM for Excel", () => {
    const csv = toCsv(["a", "b"], [['say "hi"', "x,y\nz"]]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toBe('\uFEFF"a","b"\r\n"say ""hi""","x,y\nz"\r\n');
  });

  it("defuses formulas: = + - @ tab and CR at the start become text", () => {
    for (const bad of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      expect(csvField(bad)).toBe(`"'${bad.replace(/"/g, '""')}"`);
    }
    expect(csvField("safe = fine")).toBe('"safe = fine"');
    expect(csvField(-5)).toBe('"-5"');
    expect(csvField(null)).toBe('""');
  });

  it("round-trips any text through a CSV reader, never starting a cell with a formula", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (cells) => {
        const rows = parseCsv(toCsv(["h"], [cells]).slice(1));
        const back = rows[1] ?? [];
        expect(back).toHaveLength(cells.length);
        back.forEach((cell, i) => {
          const original = cells[i] ?? "";
          expect(cell).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
          expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
        });
      }),
    );
  });
});

describe("keyset cursor", () => {
  it("round-trips a timestamp with microseconds and an id; rejects anything else", () => {
    const c = {
      at: "2026-12-06T05:31:00.123456+00:00",
      id: "3f1c6a3e-8d7b-4f0e-9a2b-1c2d3e4f5a6b",
    };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor("not-a-cursor")).toBeUndefined();
    expect(decodeCursor(Buffer.from("2026-01-01|x").toString("base64url"))).toBeUndefined();
    expect(decodeCursor(Buffer.from(`x"),id.gt.0|${c.id}`).toString("base64url"))).toBeUndefined();
    expect(keysetFilter("created_at", c, "older")).toBe(
      `created_at.lt."${c.at}",and(created_at.eq."${c.at}",id.lt.${c.id})`,
    );
  });

  it("turns size + 1 rows into a page with the cursors of the pages on either side", () => {
    const row = (n: number) => ({ at: `2026-12-06T00:00:0${n}+00:00`, id: `id-${n}` });
    const cursor = (n: number) => encodeCursor(row(n));
    const same = <T>(r: T) => r;
    // first page, newest first, one more row exists: older page only
    expect(toPage([row(9), row(8), row(7)], 2, {}, same, same)).toEqual({
      rows: [row(9), row(8)],
      next: cursor(8),
      previous: undefined,
    });
    // after a cursor, the last rows: a newer page only
    expect(toPage([row(3)], 2, { after: row(4) }, same, same)).toEqual({
      rows: [row(3)],
      next: undefined,
      previous: cursor(3),
    });
    // before a cursor: read ascending, shown newest first; more rows mean a newer page
    expect(toPage([row(5), row(6), row(7)], 2, { before: row(4) }, same, same)).toEqual({
      rows: [row(6), row(5)],
      next: cursor(5),
      previous: cursor(6),
    });
  });

  it("escapes LIKE wildcards so they match themselves", () => {
    expect(likePattern("100%_off\\")).toBe("%100\\%\\_off\\\\%");
  });
});

describe("filters and forms", () => {
  it("drops a bad filter value and keeps the good ones", () => {
    const f = parseFilters(bugFiltersInput, {
      status: "bogus",
      severity: "high",
      q: " cart ",
      repository: "",
    });
    expect(f.status).toBeUndefined();
    expect(f.repository).toBeUndefined();
    expect(f).toMatchObject({ severity: "high", q: "cart" });
  });

  it("a bug edit trims, splits steps by line and turns empty text into null", () => {
    const parsed = updateBugInput.parse({
      bugId: "3f1c6a3e-8d7b-4f0e-9a2b-1c2d3e4f5a6b",
      title: "  Total wrong ",
      severity: "low",
      steps: "Open cart\r\n\r\n  Pay  \n",
      expected: "",
      actual: " 12.34 ",
    });
    expect(parsed).toMatchObject({
      title: "Total wrong",
      steps: ["Open cart", "Pay"],
      expected: null,
      actual: "12.34",
      feature: null,
    });
    const bad = updateBugInput.safeParse({ bugId: "x", title: "", severity: "urgent" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0])).toEqual(
      expect.arrayContaining(["bugId", "title", "severity"]),
    );
    expect(
      resolveReviewInput.safeParse({
        itemId: "3f1c6a3e-8d7b-4f0e-9a2b-1c2d3e4f5a6b",
        decision: "maybe",
      }).success,
    ).toBe(false);
  });
});
