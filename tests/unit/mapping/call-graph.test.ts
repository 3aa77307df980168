import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { calleeName } from "@/lib/pipeline/code-index/chunk-walk";
import { chunkSource } from "@/lib/pipeline/code-index/chunker";
import type { ParsedLanguageId } from "@/lib/pipeline/code-index/languages";
import { serializeIndex } from "@/lib/pipeline/code-index/serialize";
import { edgesOf } from "@/lib/pipeline/mapping/call-graph";
import { collectCandidates } from "@/lib/pipeline/mapping/candidates";
import { FILE_FEATURES, FUNCTION_FEATURES, RANKER_WEIGHTS } from "@/lib/pipeline/mapping/features";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { extractSignals } from "@/lib/pipeline/mapping/signals";

const enc = new TextEncoder();
function source(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = enc.encode(text);
    return { path, size: bytes.length, read: () => bytes };
  });
}

async function searchOf(files: Record<string, string>): Promise<SearchIndex> {
  return new SearchIndex([await buildIndex(source(files), { repo: "acme/app", calls: true })]);
}

/** Each chunk's calls, by qualified name (chunks that call nothing left out). */
async function callsOf(lang: ParsedLanguageId, text: string): Promise<Record<string, string[]>> {
  const { chunks } = await chunkSource(text, lang);
  return Object.fromEntries(chunks.filter((c) => c.calls).map((c) => [c.qname, c.calls ?? []]));
}

/** The resolved call edges of a search index as `path#caller → path#callee`, sorted. */
function edges(search: SearchIndex): string[] {
  const name = (id: number) => {
    const c = search.chunks[id];
    return `${search.files[c?.file ?? -1]?.record.path}#${c?.chunk.qname}`;
  };
  const graph = search.callGraph();
  const out: string[] = [];
  search.chunks.forEach((_, id) => {
    for (const [to] of edgesOf(graph.callees, id)) out.push(`${name(id)} → ${name(to)}`);
  });
  return out.sort();
}

describe("the names a chunk calls", () => {
  it("takes a callee's last name, without generic arguments", () => {
    expect(calleeName("parse")).toBe("parse");
    expect(calleeName("self.args.parse_args")).toBe("parse_args");
    expect(calleeName("Foo::new")).toBe("new");
    expect(calleeName("parse::<u8>")).toBe("parse");
    expect(calleeName("obj->run")).toBe("run");
    expect(calleeName("(*p).Close")).toBe("Close");
    expect(calleeName("$.ajax")).toBe("ajax");
    expect(calleeName("handlers[0]")).toBeUndefined();
    expect(calleeName("make()")).toBeUndefined();
  });

  it("reads call sites in every parsed language, for the innermost chunk", async () => {
    expect(
      await callsOf(
        "python",
        "def outer(x):\n    y = helper(x)\n    return obj.parse_args(y)\n\nclass A:\n    def m(self):\n        self.run()\n",
      ),
    ).toEqual({ outer: ["helper", "parse_args"], "A.m": ["run"] });
    expect(
      await callsOf(
        "go",
        "package p\nfunc (s *S) Close() error {\n\ts.mu.Lock()\n\treturn closeAll(s.conns)\n}\n",
      ),
    ).toEqual({ "S.Close": ["Lock", "closeAll"] });
    expect(
      await callsOf(
        "rust",
        'fn main() {\n    let a = Foo::new();\n    let v = parse::<u8>(x);\n    a.run(v);\n    println!("x");\n}\n',
      ),
    ).toEqual({ main: ["new", "parse", "run"] });
    expect(
      await callsOf(
        "java",
        "class A {\n  void f() {\n    this.b.doIt(1);\n    helper();\n    new B();\n  }\n}\n",
      ),
    ).toEqual({ "A.f": ["doIt", "helper"] });
    expect(
      await callsOf(
        "typescript",
        "export function f() {\n  return g(a.b.c(1));\n}\nconst h = () => {\n  fs.readFileSync('x');\n};\nsetup();\n",
      ),
    ).toEqual({ "<file>": ["setup"], f: ["c", "g"], h: ["readFileSync"] });
    expect(await callsOf("javascript", "function f() {\n  return lib.go(1);\n}\n")).toEqual({
      f: ["go"],
    });
    expect(await callsOf("c", "int f(void) {\n  return g(p->cb(1));\n}\n")).toEqual({
      f: ["cb", "g"],
    });
    expect(
      await callsOf("cpp", "void A::f() {\n  std::sort(v.begin(), v.end());\n  obj->run();\n}\n"),
    ).toEqual({ "A::f": ["begin", "end", "run", "sort"] });
  });

  it("keeps calls in the serialised index when asked, sorted, and none in test records", async () => {
    const files = source({
      "src/a.ts": "export function a() {\n  zed();\n  beta();\n}\n",
      "src/a.test.ts": "it('works', () => {\n  a();\n});\n",
    });
    const index = await buildIndex(files, { repo: "acme/app", tests: true, calls: true });
    expect(serializeIndex(index)).toContain('"calls":["beta","zed"]');
    expect(index.tests?.[0]?.chunks.every((c) => c.calls === undefined)).toBe(true);
    // A product index (the rule is off by default) does not carry them.
    const plain = await buildIndex(files, { repo: "acme/app", tests: true });
    expect(serializeIndex(plain)).not.toContain('"calls"');
  });
});

describe("resolving calls to definitions", () => {
  it("prefers the same file, then an imported file, then the one definition in the repository", async () => {
    const search = await searchOf({
      "pkg/main.py":
        "from .fmt import render\n\ndef run():\n    render()\n    load()\n    helper()\n    save()\n\ndef helper():\n    pass\n",
      "pkg/fmt.py": "def render():\n    pass\n\ndef helper():\n    pass\n",
      "pkg/html.py": "def render():\n    pass\n",
      "pkg/store.py": "def load():\n    pass\n",
      "pkg/a.py": "def save():\n    pass\n",
      "pkg/b.py": "def save():\n    pass\n",
      "pkg/__init__.py": "",
    });
    expect(edges(search)).toEqual([
      // render: defined twice, the imported module's
      "pkg/main.py#run → pkg/fmt.py#render",
      // helper: the same file's, not fmt.py's
      "pkg/main.py#run → pkg/main.py#helper",
      // load: defined once in the repository; save: twice and imported from neither, dropped
      "pkg/main.py#run → pkg/store.py#load",
    ]);
  });

  it("drops names shorter than three letters and never links a function to itself", async () => {
    const search = await searchOf({
      "src/a.ts": "export function fn() {\n  go();\n  fn();\n}\nexport function go() {}\n",
    });
    expect(edges(search)).toEqual([]);
  });

  it("damps an edge by how many functions call the callee", async () => {
    const callers = Array.from({ length: 9 }, (_, i) => `def use${i}():\n    log_it()\n`).join(
      "\n",
    );
    const search = await searchOf({
      "app/log.py": "def log_it():\n    pass\n\ndef rare():\n    pass\n",
      "app/use.py": `from .log import log_it, rare\n\n${callers}\ndef once():\n    rare()\n`,
    });
    const graph = search.callGraph();
    const weightTo = (callee: string) => {
      const caller = search.chunks.findIndex((c) => (c.chunk.calls ?? []).includes(callee));
      return [...edgesOf(graph.callees, caller)][0]?.[1];
    };
    expect(weightTo("rare")).toBeCloseTo(1);
    expect(weightTo("log_it")).toBeCloseTo(1 / 9);
  });
});

/** An entry point the report names, and the helper in another file that the fix is in. */
const APP = {
  "src/export.ts":
    'import { writeRows } from "./rows";\n\n/** Export the invoices as a spreadsheet. */\nexport function exportInvoices(invoices: Invoice[]) {\n  const sheet = spreadsheetOf(invoices);\n  return writeRows(sheet.rows);\n}\n',
  "src/rows.ts":
    "export function writeRows(rows: Row[]) {\n  const out = [];\n  for (const r of rows) out.push(r.cells.join(','));\n  return out.join('\\n');\n}\n",
  "src/totals.ts":
    "/** The total, on the last line of the spreadsheet. */\nexport function totalOf(invoices: Invoice[]) {\n  let sum = 0;\n  for (const i of invoices) sum += i.amount;\n  return sum;\n}\n",
};

describe("the calls feature in the ranking", () => {
  const bug = { title: "exportInvoices leaves out the last line of the spreadsheet" };

  it("lifts the function a matching function calls, and its file", async () => {
    const search = await searchOf(APP);
    const cands = collectCandidates(search, extractSignals(bug), { calls: true });
    const fn = (q: string) => cands.chunks.find((c) => search.chunks[c.id]?.chunk.qname === q);
    const file = (p: string) => cands.files.find((f) => search.files[f.id]?.record.path === p);
    expect(fn("writeRows")?.x.calls).toBeGreaterThan(0);
    expect(fn("totalOf")?.x.calls ?? 0).toBe(0);
    expect(file("src/rows.ts")?.x.calls).toBeGreaterThan(0);
    expect(file("src/totals.ts")?.x.calls ?? 0).toBe(0);
    // Off by default (measured, not shipped).
    const off = collectCandidates(search, extractSignals(bug));
    expect(off.chunks.every((c) => c.x.calls === 0)).toBe(true);
  });

  it("carries only what the report names as code, not a function matched by words alone", async () => {
    const search = await searchOf(APP);
    const words = { title: "The export of invoices leaves out the last line of the spreadsheet" };
    const cands = collectCandidates(search, extractSignals(words), { calls: true });
    expect(cands.chunks.every((c) => c.x.calls === 0)).toBe(true);
  });

  it("ranks the callee above an unrelated match under a positive weight, explained in words", async () => {
    const search = await searchOf(APP);
    const weights = {
      file: { ...RANKER_WEIGHTS.file, calls: 3 },
      function: { ...RANKER_WEIGHTS.function, calls: 3 },
    };
    const rank = (r: ReturnType<typeof mapBug>, q: string) =>
      r.functions.findIndex((f) => f.name === q);
    const off = mapBug(search, bug, { weights, bridge: null });
    expect(rank(off, "writeRows")).toBeGreaterThan(rank(off, "totalOf"));
    const on = mapBug(search, bug, { weights, bridge: null, rules: { calls: true } });
    expect(rank(on, "writeRows")).toBeLessThan(rank(on, "totalOf"));
    const because = on.functions
      .find((f) => f.name === "writeRows")
      ?.explanation.find((e) => e.signal === "calls");
    expect(because?.detail).toBe("called by `exportInvoices`, which the report names");
    const internal = new Set<string>([...FILE_FEATURES, ...FUNCTION_FEATURES]);
    for (const f of on.functions)
      for (const e of f.explanation) expect(internal.has(e.detail)).toBe(false);
  });
});
