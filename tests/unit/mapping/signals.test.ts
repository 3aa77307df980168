import { describe, expect, it } from "vitest";
import { tokenize } from "@/lib/pipeline/code-index/tokenize";
import { extractSignals } from "@/lib/pipeline/mapping/signals";

describe("extractSignals", () => {
  it("reads Go panics: file:line frames and (*Receiver).Method symbols", () => {
    const s = extractSignals({
      title: "panic when close ClientConn",
      description: [
        "```",
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "google.golang.org/grpc.(*ClientConn).Close(0xc0000b6000, 0x0, 0x0)",
        "\t/home/u/go/src/google.golang.org/grpc/clientconn.go:749 +0x1a",
        "```",
      ].join("\n"),
    });
    expect(s.paths).toContainEqual(
      expect.objectContaining({
        path: "home/u/go/src/google.golang.org/grpc/clientconn.go",
        line: 749,
        source: "stack-frame",
      }),
    );
    expect(s.symbols).toContainEqual(
      expect.objectContaining({ name: "Close", qualifier: "ClientConn", source: "stack-frame" }),
    );
    expect(s.terms.get("nil_pointer")).toBeGreaterThan(0);
  });

  it("reads Java and Python frames", () => {
    const java = extractSignals({
      title: "NPE",
      description:
        "java.lang.NullPointerException\n\tat com.acme.core.JsonReader.nextToken(JsonReader.java:120)",
    });
    expect(java.paths).toContainEqual(
      expect.objectContaining({ path: "com/acme/core/JsonReader.java", line: 120 }),
    );
    expect(java.symbols).toContainEqual(
      expect.objectContaining({ name: "nextToken", qualifier: "JsonReader" }),
    );
    const py = extractSignals({
      title: "crash",
      description:
        'Traceback (most recent call last):\n  File "/x/pkg/reader.py", line 12, in read_all\n    raise ValueError("bad header")',
    });
    expect(py.paths).toContainEqual(expect.objectContaining({ path: "x/pkg/reader.py", line: 12 }));
    expect(py.symbols).toContainEqual(
      expect.objectContaining({ name: "read_all", source: "stack-frame" }),
    );
  });

  it("weighs a Python traceback from its last frame, and counts each frame's path once", () => {
    const py = extractSignals({
      title: "ValueError on a bad range",
      description: [
        "Traceback (most recent call last):",
        '  File "/env/site-packages/flask/app.py", line 1982, in wsgi_app',
        "    response = self.full_dispatch_request()",
        '  File "/env/site-packages/flask/helpers.py", line 620, in send_file',
        "    rv.make_conditional(request)",
        "ValueError: bad range",
      ].join("\n"),
    });
    const weight = (file: string): number[] =>
      py.paths.filter((p) => p.path.endsWith(file)).map((p) => p.weight);
    expect(weight("flask/helpers.py")).toEqual([1]);
    expect(weight("flask/app.py")).toEqual([0.85]);
    const java = extractSignals({
      title: "NPE",
      description: "\tat com.acme.core.JsonReader.nextToken(JsonReader.java:120)",
    });
    expect(java.paths).toHaveLength(1);
  });

  it("keeps capitalised names that are keywords in lower case, and short constructor calls", () => {
    expect(tokenize("Mod(x, y) is a mod of the Match")).toEqual(["mod", "match"]);
    expect(tokenize("The type is returned")).toEqual(["return"]);
    const s = extractSignals({
      title: "Mod(x**2, x) is not always 0",
      description: "```\n>>> Mod(x**2, x)\n0\n```",
    });
    expect(s.terms.get("mod")).toBeGreaterThan(0);
    expect(s.symbols).toContainEqual(expect.objectContaining({ name: "Mod", source: "code" }));
    expect(s.symbols).toContainEqual(expect.objectContaining({ name: "Mod", source: "text" }));
  });

  it("reads JavaScript frames, Vue components included, as paths with lines", () => {
    const js = extractSignals({
      title: "TypeError on checkout",
      description:
        "TypeError: Cannot read properties of undefined (reading 'total')\n    at setup (webpack:///./src/components/Cart.vue:42:17)\n    at callWithErrorHandling (/app/node_modules/@vue/runtime-core/dist/runtime-core.cjs.js:158:22)",
    });
    expect(js.paths).toContainEqual(
      expect.objectContaining({ path: "src/components/Cart.vue", line: 42, source: "stack-frame" }),
    );
  });

  it("takes identifiers from backticks and code-looking words, message pairs from quotes", () => {
    const s = extractSignals({
      title: "`Foo::bar_baz` returns wrong value",
      description:
        'Calling parseHeader() prints "unexpected end of input" and the setting `max_depth` is ignored.',
    });
    const names = s.symbols.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(["bar_baz", "parseHeader", "max_depth"]));
    expect(s.symbols.find((x) => x.name === "bar_baz")?.qualifier).toBe("Foo");
    // Words are stemmed the same way on both sides: "unexpected" → "unexpect".
    expect(s.terms.get("unexpect_end")).toBeGreaterThan(0);
    expect(s.terms.get("end_of")).toBeGreaterThan(s.terms.get("call_pars") ?? 0);
  });

  it("keeps quoted messages and error lines of logs as word-pair sequences", () => {
    const s = extractSignals({
      title: "Fails on start",
      description:
        'It prints "listener already bound to port" and then\n```\nerror: cannot open config file\nok line\n```',
    });
    const raws = s.messages.map((m) => m.raw);
    expect(raws).toContain("listener already bound to port");
    expect(raws).toContain("error: cannot open config file");
    expect(raws).not.toContain("ok line");
    expect(s.messages.find((m) => m.raw.startsWith("listener"))?.pairs).toEqual([
      "listener_already",
      "already_bound",
      "bound_to",
      "to_port",
    ]);
  });

  it("drops HTML comments and issue-template words from prose", () => {
    const s = extractSignals({
      title: "Crash in tokenizer",
      description:
        "<!-- READ THIS FIRST: frobnicate questions go elsewhere -->\n**Describe the bug**\nThe tokenizer crashes.\n**Expected behavior**\nNo crash.",
    });
    expect(s.terms.has("frobnicat")).toBe(false);
    expect(s.terms.has("frobnicate")).toBe(false);
    expect(s.terms.has("describe")).toBe(false);
    expect(s.terms.get("tokenizer")).toBeGreaterThan(0);
  });

  it("reads kebab-case flags and keys as the identifiers that hold them", () => {
    const s = extractSignals({
      title: "Incomplete matches with the `--word-regexp` flag",
      description: "Setting tab-width: 4 in the config file has no effect.",
    });
    expect(s.terms.get("wordregexp")).toBeGreaterThan(0);
    expect(s.terms.get("tabwidth")).toBeGreaterThan(0);
    expect(s.symbols.map((x) => x.name)).toEqual(
      expect.arrayContaining(["word_regexp", "tab_width"]),
    );
  });

  it("reads links to code lines on a forge as a path and line, and ignores other links", () => {
    const s = extractSignals({
      title: "Handler requires an optional attribute",
      description:
        "It [requires it here](https://github.com/acme/img/blob/8da0b9b2/img/handlers/numpy%5Fhandler.py#L46), " +
        "see also https://gitlab.com/acme/img/-/blob/main/img/util.py and https://example.com/docs/page.html.",
    });
    expect(s.paths).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "img/handlers/numpy_handler.py", line: 46 }),
        expect.objectContaining({ path: "img/util.py" }),
      ]),
    );
    expect(s.paths.find((p) => p.path === "img/util.py")?.line).toBeUndefined();
    expect(s.paths.some((p) => p.path.includes("docs/page"))).toBe(false);
    // The link's words do not leak into the report's words.
    expect(s.terms.has("github")).toBe(false);
  });
});
