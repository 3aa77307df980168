import { describe, expect, it } from "vitest";
import { chunkComponent, chunkSource } from "@/lib/pipeline/code-index/chunker";
import { LANGUAGES } from "@/lib/pipeline/code-index/languages";
import { loadLanguage, parserFor } from "@/lib/pipeline/code-index/parser";
import type { LanguageId } from "@/lib/pipeline/code-index/types";

/** `kind:qname@start-end` of every chunk but the file chunk. */
async function outline(src: string, lang: LanguageId): Promise<string[]> {
  const { chunks } = await chunkSource(src, lang);
  return chunks.slice(1).map((c) => `${c.kind}:${c.qname}@${c.startLine}-${c.endLine}`);
}

describe("grammars", () => {
  it.each(Object.keys(LANGUAGES))("%s loads with the pinned runtime and parses", async (id) => {
    const lang = await loadLanguage(id as keyof typeof LANGUAGES);
    expect(lang.abiVersion).toBeGreaterThanOrEqual(13);
    const parser = await parserFor(id as keyof typeof LANGUAGES);
    const tree = parser.parse("x");
    expect(tree?.rootNode.type).toBeTruthy();
    tree?.delete();
  });
});

describe("chunker", () => {
  it("Go: functions, methods qualified by receiver, types, closures stay in their function", async () => {
    const src = [
      "package main", // 1
      "", // 2
      'import "fmt"', // 3
      "", // 4
      "// Close tears the connection down.", // 5
      "func (cc *ClientConn) Close() error {", // 6
      '\tf := func() { fmt.Println("grpc: the client connection is closing") }', // 7
      "\tf()", // 8
      "\treturn nil", // 9
      "}", // 10
      "", // 11
      "type Server struct {", // 12
      "\tx int", // 13
      "}", // 14
      "", // 15
      "func main() {}", // 16
    ].join("\n");
    expect(await outline(src, "go")).toEqual([
      "method:ClientConn.Close@6-10",
      "type:Server@12-14",
      "function:main@16-16",
    ]);
    const { chunks, imports } = await chunkSource(src, "go");
    expect(imports).toEqual(["fmt"]);
    const close = chunks[1]!;
    expect(close.fields.doc).toMatchObject({ tear: 1, connection: 1 });
    expect(close.fields.str).toMatchObject({ grpc: 1, client: 1, clos: 1 });
    expect(close.fields.sbi).toMatchObject({ client_connection: 1, is_clos: 1 });
    expect(close.fields.name).toMatchObject({ clos: 1, clientconn: 1 });
  });

  it("Python: classes, methods, nested functions, decorators", async () => {
    const src = [
      "class A:", // 1
      '    """Doc."""', // 2
      "    def m(self):", // 3
      "        def inner():", // 4
      '            raise ValueError("bad thing happened")', // 5
      "        return inner", // 6
      "", // 7
      "@dec", // 8
      "def top(x):", // 9
      "    return lambda y: y", // 10
    ].join("\n");
    expect(await outline(src, "python")).toEqual([
      "class:A@1-6",
      "method:A.m@3-6",
      "function:A.m.inner@4-5",
      "function:top@9-10",
    ]);
  });

  it("Python: imports as dotted module paths, one per imported name", async () => {
    const src = [
      "import os.path as p, json",
      "from . import utils",
      "from ..rules.base import (",
      "    BaseRule,  # the base",
      "    LintFix as Fix,",
      ")",
      "from pkg.core import *",
    ].join("\n");
    expect((await chunkSource(src, "python")).imports).toEqual([
      "..rules.base.BaseRule",
      "..rules.base.LintFix",
      ".utils",
      "json",
      "os.path",
      "pkg.core",
    ]);
  });

  it("JavaScript and TypeScript: re-exports and require() are imports too", async () => {
    const src =
      'export { a } from "./a";\nexport * from "../b";\nconst c = require("./c");\nexport const d = "./not-an-import";\n';
    // A name taken in braces is kept with its module, to follow it to the file defining it.
    const ts = await chunkSource(src, "typescript");
    expect(ts.imports).toEqual(["../b", "./a", "./a#a", "./c"]);
    expect(ts.exports).toEqual(["d"]);
    expect((await chunkSource(src, "javascript")).imports).toEqual(["../b", "./a", "./a#a", "./c"]);
  });

  it("JavaScript and TypeScript: named imports and the names a module exports", async () => {
    const src = [
      'import Vue, { ref, type Ref, computed as c } from "vue";',
      'import * as utils from "./utils";',
      "export const isBooleanAttr = makeMap(specialBooleanAttrs);",
      "export function patchProp() {}",
      "export default class Renderer {}",
      "export interface Options { a: number }",
      "const local = 1;",
      "export { local as exported, other };",
    ].join("\n");
    const r = await chunkSource(src, "typescript");
    expect(r.imports).toEqual(["./utils", "vue", "vue#Ref", "vue#computed", "vue#ref"]);
    expect(r.exports).toEqual([
      "Options",
      "Renderer",
      "exported",
      "isBooleanAttr",
      "other",
      "patchProp",
    ]);
    expect((await chunkSource("def f():\n    pass\n", "python")).exports).toBeUndefined();
  });

  it("Java: classes, constructors, methods, nested classes; lambdas stay in their method", async () => {
    const src = [
      "package a.b;",
      "import java.util.List;",
      "public class Outer {",
      "  /** Makes one. */",
      "  public Outer() {}",
      "  void m() { Runnable r = () -> {}; }",
      "  static class Inner { int g() { return 1; } }",
      "}",
    ].join("\n");
    expect(await outline(src, "java")).toEqual([
      "class:Outer@3-8",
      "method:Outer.Outer@5-5",
      "method:Outer.m@6-6",
      "class:Outer.Inner@7-7",
      "method:Outer.Inner.g@7-7",
    ]);
    const { imports, chunks } = await chunkSource(src, "java");
    expect(imports).toEqual(["java.util.List"]);
    expect(chunks[2]!.fields.doc).toMatchObject({ make: 1 });
  });

  it("Rust: impl methods as Type::fn, traits, modules, closures; syntax errors still chunk", async () => {
    const src = [
      "use std::io;",
      "struct S;",
      "impl Display for S {",
      "    fn fmt(&self) -> i32 { let c = |x| x + 1; c(1) }",
      "}",
      "mod inner { pub fn f() {} }",
      "fn broken( {",
    ].join("\n");
    const { chunks, status } = await chunkSource(src, "rust");
    expect(status).toBe("syntax-errors");
    const names = chunks.slice(1).map((c) => `${c.kind}:${c.qname}@${c.startLine}-${c.endLine}`);
    expect(names.slice(0, 5)).toEqual([
      "type:S@2-2",
      "impl:impl Display for S@3-5",
      "method:S::fmt@4-4",
      "module:inner@6-6",
      "function:inner::f@6-6",
    ]);
  });

  it("C: functions through pointer declarators, structs with bodies only", async () => {
    const src = [
      '#include "jv.h"',
      "static int f(int x) { return x; }",
      "struct pt { int x; };",
      "struct pt *g(void) { return 0; }",
      "struct fwd;",
    ].join("\n");
    expect(await outline(src, "c")).toEqual(["function:f@2-2", "type:pt@3-3", "function:g@4-4"]);
    expect((await chunkSource(src, "c")).imports).toEqual(["jv.h"]);
  });

  it("C++: namespaces qualify, out-of-line methods, templates", async () => {
    const src = [
      "#include <cstdio>",
      "namespace fmt { namespace detail {",
      'class Foo { public: void bar() { std::printf("hi there %d", 1); } };',
      "void Foo::baz(int x) {}",
      "template <typename T> T id(T x) { return x; }",
      "}}",
    ].join("\n");
    expect(await outline(src, "cpp")).toEqual([
      "class:fmt::detail::Foo@3-3",
      "method:fmt::detail::Foo::bar@3-3",
      "method:fmt::detail::Foo::baz@4-4",
      "function:fmt::detail::id@5-5",
    ]);
  });

  it("C++ confused by macros: names stay identifiers of the source, not keywords or comments run together", async () => {
    const src = [
      "FMT_BEGIN_NAMESPACE",
      "namespace detail {",
      "FMT_CONSTEXPR inline auto f(int x) -> int { return x; }",
      "}",
      "FMT_BEGIN_EXPORT",
      "// A generic formatting context.",
      "template <typename Char> class generic_context {",
      "  void advance_to(int it) {}",
      "};",
      "FMT_END_NAMESPACE",
    ].join("\n");
    const words = new Set(src.match(/[A-Za-z_]\w*/g));
    const names = (await chunkSource(src, "cpp")).chunks.slice(1).map((c) => c.qname);
    expect(names).toContain("detail::f");
    for (const name of names)
      for (const part of name.split("::")) expect(words.has(part), `${name}: ${part}`).toBe(true);
  });

  it("TypeScript and TSX: classes, methods, arrow functions bound to names, nested functions", async () => {
    const src = [
      'import x from "./x";',
      "export class K { m() {} f = () => 1; }",
      "export const g = async () => { const h = function () {}; };",
      "function top() { function nested() {} [1].map((v) => v); }",
    ].join("\n");
    const expected = [
      "class:K@2-2",
      "method:K.m@2-2",
      "method:K.f@2-2",
      "function:g@3-3",
      "function:g.h@3-3",
      "function:top@4-4",
      "function:top.nested@4-4",
    ];
    expect(await outline(src, "typescript")).toEqual(expected);
    expect(await outline(src, "tsx")).toEqual(expected);
    expect((await chunkSource(src, "typescript")).imports).toEqual(["./x"]);
  });

  it("JavaScript: functions and object-less closures", async () => {
    const src = [
      "function a() {",
      "  return () => 1;",
      "}",
      "class B extends C { constructor() { super(); } }",
    ].join("\n");
    expect(await outline(src, "javascript")).toEqual([
      "function:a@1-3",
      "class:B@4-4",
      "method:B.constructor@4-4",
    ]);
  });

  it("JavaScript: prototype methods, exports and object-literal functions (qualified by the object) of more than two lines", async () => {
    const src = [
      "Axios.prototype.request = function request(config) {", // 1
      "  return config;",
      "};",
      "exports.isURL = function (u) {", // 4
      "  return true;",
      "};",
      "module.exports = function xhrAdapter(config) {", // 7
      "  return config;",
      "};",
      "const utils = {", // 10
      "  merge: function () {",
      "    return 2;",
      "  },",
      "  trim: (s) => s.trim(),", // one line: part of the table, not a chunk
      "};",
      "module.exports = () => 1;", // nothing to name it by
    ].join("\n");
    expect(await outline(src, "javascript")).toEqual([
      "method:Axios.request@1-3",
      "function:isURL@4-6",
      "function:xhrAdapter@7-9",
      "method:utils.merge@11-13",
    ]);
  });

  it("unknown languages and unparseable text are indexed at file level", async () => {
    const r = await chunkSource('def foo\n  raise "boom happened"\nend\n', "text");
    expect(r.status).toBe("file-level");
    expect(r.chunks).toHaveLength(1);
    expect(r.chunks[0]!.fields.str).toMatchObject({ boom: 1, happen: 1 });
    expect(r.chunks[0]!.fields.id).toMatchObject({ foo: 1 });
  });

  it("a file full of syntax errors keeps a file chunk spanning every line", async () => {
    const r = await chunkSource("}}}{{{ ((( \n\n )))", "java");
    expect(r.status).toBe("syntax-errors");
    expect(r.chunks[0]).toMatchObject({ kind: "file", startLine: 1, endLine: 3 });
  });

  it("Vue and Svelte components: scripts chunked by their grammar on the file's own lines, markup at file level", async () => {
    const vue = [
      "<template>", // 1
      '  <button @click="submitOrder">{{ $t("Confirm payment") }}</button>', // 2
      "</template>", // 3
      "", // 4
      '<script setup lang="ts">', // 5
      'import { useCart } from "./cart";', // 6
      "const cart = useCart();", // 7
      "function submitOrder(): void {", // 8
      "  cart.checkout();", // 9
      "}", // 10
      "</script>", // 11
      "<style scoped>.x { color: red; }</style>", // 12
    ].join("\n");
    const v = await chunkComponent(vue);
    expect(v?.language).toBe("typescript");
    expect(v?.status).toBe("parsed");
    expect(v?.imports).toEqual(["./cart", "./cart#useCart"]);
    expect(v?.chunks.map((c) => `${c.kind}:${c.qname}@${c.startLine}-${c.endLine}`)).toEqual([
      "file:<file>@1-12",
      "function:submitOrder@8-10",
    ]);
    // The markup's handler name and text are the component's own words.
    expect(v?.chunks[0]?.fields.id).toMatchObject({ submitorder: 1, button: 2 });
    expect(v?.chunks[0]?.fields.str).toMatchObject({ confirm: 1, payment: 1 });

    const svelte = [
      "<script module>", // 1
      "  export const prerender = true;", // 2
      "</script>", // 3
      "<script>", // 4
      "  let count = $state(0);", // 5
      "  const increment = () => {", // 6
      "    count += 1;", // 7
      "  };", // 8
      "</script>", // 9
      "<button onclick={increment}>{count}</button>", // 10
    ].join("\n");
    const s = await chunkComponent(svelte);
    expect(s?.language).toBe("javascript");
    expect(s?.chunks.map((c) => `${c.kind}:${c.qname}@${c.startLine}-${c.endLine}`)).toEqual([
      "file:<file>@1-10",
      "function:increment@6-8",
    ]);
    // Markup alone: nothing to chunk by grammar, so the caller indexes it as text.
    expect(await chunkComponent("<template><p>hi</p></template>\n")).toBeUndefined();
  });
});
