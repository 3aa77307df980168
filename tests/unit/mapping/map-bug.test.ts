import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { collectCandidates } from "@/lib/pipeline/mapping/candidates";
import { FILE_FEATURES, FUNCTION_FEATURES } from "@/lib/pipeline/mapping/features";
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

const API = {
  "server/conn.go": [
    "package server",
    "",
    "type Conn struct{ closed bool }",
    "",
    "// Close closes the connection.",
    "func (c *Conn) Close() error {",
    "\tif c.closed {",
    '\t\treturn errors.New("server: connection already closed")',
    "\t}",
    "\tc.closed = true",
    "\treturn nil",
    "}",
    "",
  ].join("\n"),
  "server/route.go":
    'package server\n\nfunc Route(path string) string {\n\treturn "route " + path\n}\n',
  "server/limits.go":
    "package server\n\nfunc MaxDepth() int { return maxDepthSetting }\n\nvar maxDepthSetting = 10\n",
  "client/retry.go":
    'package client\n\nfunc Retry(n int) error {\n\treturn fmt.Errorf("retry budget exhausted after %d attempts", n)\n}\n',
};
const WEB = {
  "src/render.ts":
    'export function renderPage(title: string): string {\n  if (!title) throw new Error("page title missing");\n  return "<h1>" + title;\n}\n',
  "src/router.ts":
    "export function matchRoute(url: string): boolean {\n  return url.startsWith('/');\n}\n",
};

async function searchIndex(): Promise<SearchIndex> {
  const a = await buildIndex(source(API), { repo: "acme/api" });
  const b = await buildIndex(source(WEB), { repo: "acme/web" });
  return new SearchIndex([a, b]);
}

describe("mapBug", () => {
  it("maps a quoted error message to the file and function holding the string literal", async () => {
    const search = await searchIndex();
    const r = mapBug(search, {
      title: "Error on shutdown",
      description: 'We get "connection already closed" when stopping twice.',
    });
    expect(r.files[0]?.path).toBe("server/conn.go");
    expect(r.functions[0]?.qname).toBe("Conn.Close");
    expect(r.functions[0]).toMatchObject({ startLine: 6, endLine: 12 });
    const lexical = r.files[0]?.explanation.find((e) => e.signal === "lexical");
    expect(lexical?.detail).toContain("connection");
    const message = r.files[0]?.explanation.find((e) => e.signal === "string");
    expect(message?.detail).toContain("connection already closed");
    expect(message?.score).toBeGreaterThan(0);
    // Every contribution says what it is in words, never an internal feature name.
    const internal = new Set<string>([...FILE_FEATURES, ...FUNCTION_FEATURES]);
    const all = [...(r.files[0]?.explanation ?? []), ...(r.functions[0]?.explanation ?? [])];
    expect(all.length).toBeGreaterThan(3);
    for (const e of all) expect(internal.has(e.detail), e.detail).toBe(false);
    const size = r.files[0]?.explanation.find((e) => e.signal === "structure");
    if (size) expect(size.detail).toMatch(/\d+ (lines|files)/);
  });

  it("follows a stack frame to the function containing the line, with the frame in the explanation", async () => {
    const search = await searchIndex();
    const r = mapBug(search, {
      title: "panic",
      stackTraces: [
        "goroutine 1 [running]:\nacme/server.(*Conn).Close(0xc0000)\n\t/src/acme/server/conn.go:8 +0x1",
      ],
    });
    expect(r.files[0]?.path).toBe("server/conn.go");
    expect(r.functions[0]?.qname).toBe("Conn.Close");
    expect(
      r.files[0]?.explanation.some(
        (e) => e.signal === "stack-frame" && e.detail.includes("conn.go:8"),
      ),
    ).toBe(true);
  });

  it("follows a link to a code line to the file and the function around that line", async () => {
    const search = await searchIndex();
    const r = mapBug(search, {
      title: "Wrong value returned",
      description:
        "The value [here](https://github.com/acme/api/blob/0a1b2c3/server/limits.go#L3) looks wrong.",
    });
    expect(r.files[0]?.path).toBe("server/limits.go");
    expect(r.functions[0]?.qname).toBe("MaxDepth");
  });

  it("uses identifiers in backticks, across the repositories of a search index", async () => {
    const search = await searchIndex();
    const r = mapBug(search, { title: "`renderPage` breaks on empty titles" });
    expect(r.files[0]).toMatchObject({ repo: "acme/web", path: "src/render.ts" });
    expect(
      r.files[0]?.explanation.some((e) => e.signal === "symbol" && e.detail.includes("renderPage")),
    ).toBe(true);
  });

  it("gives confidences in [0, 1] that sum to at most 1 over files, and is deterministic", async () => {
    const search = await searchIndex();
    const bug = {
      title: "retry budget exhausted too early",
      description: "Retry gives up after 1 attempt",
    };
    const a = mapBug(search, bug);
    const b = mapBug(search, bug);
    expect(a).toEqual(b);
    expect(a.files[0]?.path).toBe("client/retry.go");
    const total = a.files.reduce((s, f) => s + f.confidence, 0);
    expect(total).toBeLessThanOrEqual(1.0001);
    for (const f of a.files) {
      expect(f.confidence).toBeGreaterThanOrEqual(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
    }
    expect(a.confidence).toBe(a.files[0]?.confidence);
  });

  it("returns nothing for a report that matches nothing", async () => {
    const search = await searchIndex();
    const r = mapBug(search, { title: "zzqx" });
    expect(r.files).toEqual([]);
    expect(r.confidence).toBe(0);
  });

  it("credits a file whose base name words the report uses", async () => {
    const search = await searchIndex();
    const signals = extractSignals({ title: "route limits are wrong", description: "" });
    const cands = collectCandidates(search, signals);
    const cover = (path: string): number => {
      const c = cands.files.find((f) => search.files[f.id]?.record.path === path);
      return c?.x.name_cover ?? -1;
    };
    expect(cover("server/limits.go")).toBe(1);
    expect(cover("server/route.go")).toBe(1);
  });

  it("meets a file name's words by their first six letters", async () => {
    const index = await buildIndex(
      source({
        "src/formatter.ts": "export function pad(s: string): string {\n  return s;\n}\n",
        "src/route.ts": "export function loop(): void {}\n",
      }),
      { repo: "acme/fmt" },
    );
    const search = new SearchIndex([index]);
    const signals = extractSignals({
      title: "formatting pad breaks when the router loops",
      description: "",
    });
    const cands = collectCandidates(search, signals);
    const cover = (path: string): number => {
      const c = cands.files.find((f) => search.files[f.id]?.record.path === path);
      return c?.x.name_cover ?? 0;
    };
    // The stemmer leaves `formatting` and `formatter` apart; they share `format` and six letters
    // (`formatt`…`formatte`). `router` and `route` share five only.
    expect(cover("src/formatter.ts")).toBe(1);
    expect(cover("src/route.ts")).toBe(0);
  });
});
