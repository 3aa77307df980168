import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile, updateIndex } from "@/lib/pipeline/code-index/builder";
import { serializeIndex } from "@/lib/pipeline/code-index/serialize";
import { collectCandidates } from "@/lib/pipeline/mapping/candidates";
import { FILE_FEATURES, FUNCTION_FEATURES, RANKER_WEIGHTS } from "@/lib/pipeline/mapping/features";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { extractSignals } from "@/lib/pipeline/mapping/signals";
import { testSubject } from "@/lib/pipeline/mapping/test-links";

const enc = new TextEncoder();
function source(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = enc.encode(text);
    return { path, size: bytes.length, read: () => bytes };
  });
}

async function searchOf(files: Record<string, string>): Promise<SearchIndex> {
  return new SearchIndex([await buildIndex(source(files), { repo: "acme/app", tests: true })]);
}

/** Each test case of the index as `path#name → linked product paths` (sorted). */
function links(search: SearchIndex): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of search.testCases) {
    out[`${t.path}#${t.name}`] = [...t.files.keys()]
      .map((id) => search.files[id]?.record.path ?? "")
      .sort();
  }
  return out;
}

describe("which module a test file is named after", () => {
  it("follows each language's naming rule", () => {
    expect(testSubject("pkg/duration/parse_test.go")).toBe("parse");
    expect(testSubject("tests/test_timezone.py")).toBe("timezone");
    expect(testSubject("pkg/timezone_test.py")).toBe("timezone");
    expect(testSubject("src/coerce.test.ts")).toBe("coerce");
    expect(testSubject("src/coerce.spec.js")).toBe("coerce");
    expect(testSubject("src/__tests__/coerce.ts")).toBe("coerce");
    expect(testSubject("src/test/java/com/acme/JsonParserTest.java")).toBe("jsonparser");
    expect(testSubject("src/test/java/com/acme/JsonParserTests.java")).toBe("jsonparser");
    expect(testSubject("src/test/java/com/acme/TestJsonParser.java")).toBe("jsonparser");
    expect(testSubject("tests/line_index.rs")).toBe("lineindex");
    expect(testSubject("test/test-buffer.c")).toBe("buffer");
  });

  it("takes the folder for a test named only 'test' or after a folder module", () => {
    expect(testSubject("acme/tz/tests.py")).toBe("tz");
    expect(testSubject("src/locale/index.test.ts")).toBe("locale");
    expect(testSubject("tests/test.py")).toBeUndefined();
  });
});

describe("linking tests to the code they exercise", () => {
  it("links a Go test to the file of its name in its package, and the functions it calls", async () => {
    const search = await searchOf({
      "time/format.go": "package time\n\nfunc ParseDuration(s string) int { return 0 }\n",
      "time/zone.go": "package time\n\nfunc Local() int { return 0 }\n",
      "other/format.go": "package other\n\nfunc Format() int { return 0 }\n",
      "time/format_test.go":
        'package time\n\n// West of Greenwich the offset is negative.\nfunc TestNegativeOffset(t *testing.T) {\n\tif ParseDuration("-1h") != 0 {\n\t\tt.Fatal("wrong")\n\t}\n}\n',
    });
    expect(links(search)["time/format_test.go#TestNegativeOffset"]).toEqual(["time/format.go"]);
    const test = search.testCases.find((t) => t.name === "TestNegativeOffset");
    expect(test?.chunks.map((id) => search.chunks[id]?.chunk.qname)).toEqual(["ParseDuration"]);
  });

  it("links Python tests by name and by import, and JS tests by import", async () => {
    const search = await searchOf({
      "acme/timezone.py": "def utc_offset(dt):\n    return 0\n",
      "acme/calendar.py": "def week_start(d):\n    return 0\n",
      "tests/test_timezone.py":
        "from acme.calendar import week_start\n\ndef test_west_of_greenwich():\n    assert week_start(1) == 0\n",
      "src/coerce.ts": "export function coerce(v: unknown) { return v; }\n",
      "src/parse.ts": "export function parse(v: string) { return v; }\n",
      "test/values.test.ts":
        'import { coerce } from "../src/coerce";\n\ndescribe("values", () => {\n  it("keeps an empty string", () => {\n    expect(coerce("")).toBe("");\n  });\n});\n',
    });
    const l = links(search);
    expect(l["tests/test_timezone.py#test_west_of_greenwich"]).toEqual([
      "acme/calendar.py",
      "acme/timezone.py",
    ]);
    expect(l["test/values.test.ts#<file>"]).toEqual(["src/coerce.ts"]);
  });

  it("links nothing for a test that names, imports and calls no product code", async () => {
    const search = await searchOf({
      "acme/timezone.py": "def utc_offset(dt):\n    return 0\n",
      "tests/test_misc.py": "import os\n\ndef test_environment():\n    assert os.sep\n",
      "tests/fixtures/test_data.py": "def test_fixture_utc_offset():\n    utc_offset(1)\n",
    });
    expect(search.testCases).toEqual([]);
    expect(search.testCollection.size).toBe(0);
  });
});

describe("test files in the index", () => {
  it("are kept for their prose only with `tests: true`, and never as indexed files", async () => {
    const files = {
      "src/clock.ts": "export function toLocal(t: number) { return t; }\n",
      "src/clock.test.ts":
        'import { toLocal } from "./clock";\n// the summary\nit("keeps the day west of Greenwich", () => toLocal(1));\n',
      "src/__fixtures__/clock.ts": "export const sample = 1;\n",
    };
    const plain = await buildIndex(source(files), { repo: "acme/app" });
    expect(plain.tests).toBeUndefined();
    expect(serializeIndex(plain)).not.toContain("greenwich");
    const withTests = await buildIndex(source(files), { repo: "acme/app", tests: true });
    expect(withTests.files.map((f) => f.path)).toEqual(["src/clock.ts"]);
    expect(withTests.stats).toEqual(plain.stats);
    expect(withTests.tests?.map((t) => t.path)).toEqual(["src/clock.test.ts"]);
    const fields = withTests.tests?.[0]?.chunks[0]?.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(["doc", "id", "str"]);
    expect(fields.str?.greenwich).toBe(1);
  });

  it("are kept in step by an incremental update, as a full rebuild would give them", async () => {
    const before = {
      "src/clock.ts": "export function toLocal(t: number) { return t; }\n",
      "src/clock.test.ts": 'it("keeps the day", () => 1);\n',
      "src/old.test.ts": 'it("is removed", () => 1);\n',
    };
    const after = {
      "src/clock.ts": before["src/clock.ts"],
      "src/clock.test.ts": 'it("keeps the day west of Greenwich", () => 1);\n',
    };
    const options = { repo: "acme/app", tests: true };
    const base = await buildIndex(source(before), options);
    const changed = source({ "src/clock.test.ts": after["src/clock.test.ts"] });
    const updated = await updateIndex(base, changed, ["src/old.test.ts"], options);
    expect(serializeIndex(updated)).toBe(serializeIndex(await buildIndex(source(after), options)));
  });
});

const APP = {
  "src/clock.ts":
    "export function toLocal(t: number, tz: number) {\n  return t + tz * 3600;\n}\nexport function fromLocal(t: number) {\n  return t;\n}\n",
  "src/report.ts":
    'export function summary(rows: string[]) {\n  return rows.join(", ") + " rows a day";\n}\n',
  "src/clock.test.ts":
    'import { toLocal } from "./clock";\n\ndescribe("clock", () => {\n  it("keeps the day west of Greenwich", () => {\n    expect(toLocal(0, -5)).toBe(-18000);\n  });\n});\n',
  "src/report.test.ts":
    'import { summary } from "./report";\n\nit("joins the rows with commas", () => {\n  expect(summary(["a", "b"])).toContain("a, b");\n});\n',
  "src/utils.ts": 'export function pad(s: string) { return " " + s; }\n',
  "src/utils.test.ts":
    'import { pad } from "./utils";\n\nit("pads with one space", () => {\n  expect(pad("a")).toBe(" a");\n});\n',
};

describe("the tests feature in the ranking", () => {
  const bug = { title: "Wrong day west of Greenwich" };

  it("lifts the file and the function a matching test exercises", async () => {
    const search = await searchOf(APP);
    const cands = collectCandidates(search, extractSignals(bug), { tests: true });
    const byPath = (p: string) => cands.files.find((f) => search.files[f.id]?.record.path === p);
    expect(byPath("src/clock.ts")?.x.tests).toBeGreaterThan(0);
    expect(byPath("src/report.ts")?.x.tests ?? 0).toBe(0);
    const fn = cands.chunks.find((c) => search.chunks[c.id]?.chunk.qname === "toLocal");
    expect(fn?.x.tests).toBeGreaterThan(0);
    const other = cands.chunks.find((c) => search.chunks[c.id]?.chunk.qname === "fromLocal");
    expect(other?.x.tests ?? 0).toBe(0);
    // Off by default (measured, not shipped).
    const off = collectCandidates(search, extractSignals(bug));
    expect(off.files.every((f) => f.x.tests === 0)).toBe(true);
  });

  it("puts the exercised file first under a positive weight, explained in words", async () => {
    const search = await searchOf(APP);
    const weights = {
      file: { ...RANKER_WEIGHTS.file, tests: 3 },
      function: { ...RANKER_WEIGHTS.function, tests: 1 },
    };
    // Without tests the report's one word the code uses ("day") points at the report code.
    const off = mapBug(search, bug, { weights, bridge: null });
    expect(off.files[0]?.path).toBe("src/report.ts");
    const on = mapBug(search, bug, { weights, bridge: null, rules: { tests: true } });
    expect(on.files[0]?.path).toBe("src/clock.ts");
    const because = on.files[0]?.explanation.find((e) => e.signal === "tests");
    expect(because?.detail).toBe(
      "tests in src/clock.test.ts matches the report and exercises this file",
    );
    const internal = new Set<string>([...FILE_FEATURES, ...FUNCTION_FEATURES]);
    for (const e of on.files[0]?.explanation ?? []) expect(internal.has(e.detail)).toBe(false);
  });
});
