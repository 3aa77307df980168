import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { moduleName, SearchIndex } from "@/lib/pipeline/mapping/search-index";

const enc = new TextEncoder();
function source(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = enc.encode(text);
    return { path, size: bytes.length, read: () => bytes };
  });
}

/** The paths a file is import-linked to, sorted. */
function importNeighbours(search: SearchIndex): (path: string) => string[] {
  return (path) => {
    const id = search.files.findIndex((f) => f.record.path === path);
    return [...(search.neighbours[id] ?? [])].map((i) => search.files[i]?.record.path ?? "").sort();
  };
}

describe("SearchIndex", () => {
  it("resolves imports to files across languages, ignoring bare library imports", async () => {
    const index = await buildIndex(
      source({
        "core/hash/hash.go": "package hash\n\nfunc Sum() {}\n",
        "core/bloom/bloom.go":
          'package bloom\n\nimport (\n\t"errors"\n\t"example.com/app/core/hash"\n)\n\nfunc F() { hash.Sum() }\n',
        "tools/errors.go": "package tools\n",
        "src/main/java/com/acme/Parser.java":
          "package com.acme;\nimport com.acme.util.Buffer;\nclass Parser {}\n",
        "src/main/java/com/acme/util/Buffer.java": "package com.acme.util;\nclass Buffer {}\n",
        "src/jv.c": '#include "jv.h"\nint jv_free(void) { return 0; }\n',
        "src/jv.h": "int jv_free(void);\n",
        "pkg/nodes/classes.py": "class Node:\n    pass\n",
        "pkg/api.py": "from pkg.nodes.classes import Node\n",
      }),
      { repo: "r" },
    );
    const search = new SearchIndex([index]);
    const near = importNeighbours(search);
    expect(near("core/bloom/bloom.go")).toEqual(["core/hash/hash.go"]);
    expect(near("src/main/java/com/acme/Parser.java")).toEqual([
      "src/main/java/com/acme/util/Buffer.java",
    ]);
    expect(near("src/jv.c")).toEqual(["src/jv.h"]);
    expect(near("pkg/api.py")).toEqual(["pkg/nodes/classes.py"]);
    expect(near("tools/errors.go")).toEqual([]);
  });

  it("resolves relative JavaScript and TypeScript imports from the importing file", async () => {
    const index = await buildIndex(
      source({
        "src/background/index.ts":
          'import { log } from "./utils/log";\nimport { theme } from "../inject/theme";\nimport { api } from "../api/client.js";\nimport { d } from "../definitions";\nexport const x = log(theme, api, d);\n',
        "src/background/utils/log.ts": "export function log(...a: unknown[]) { return a; }\n",
        "src/inject/utils/log.ts": "export function log() {}\n",
        "src/inject/theme/index.ts": 'export { theme } from "./theme";\n',
        "src/inject/theme/theme.ts": "export const theme = 1;\n",
        "src/inject/theme/colors.ts": "export const colors = 2;\n",
        "src/api/client.ts": "export const api = 3;\n",
        "src/definitions.d.ts": "declare const d: number;\n",
        "lib/view.jsx":
          'import Button from "./button";\nconst icons = require("./icons");\nexport default Button;\n',
        "lib/icons.js": "module.exports = {};\n",
        "lib/button.jsx": "export default function Button() { return null; }\n",
      }),
      { repo: "web" },
    );
    const search = new SearchIndex([index]);
    const near = importNeighbours(search);
    // The sibling `utils/log.ts` only, the directory's index file (not every file in it) and,
    // through its re-export, the file defining the imported `theme`, the `.ts` file an ESM-style
    // `.js` specifier names, and a hand-written declaration file.
    expect(near("src/background/index.ts")).toEqual([
      "src/api/client.ts",
      "src/background/utils/log.ts",
      "src/definitions.d.ts",
      "src/inject/theme/index.ts",
      "src/inject/theme/theme.ts",
    ]);
    expect(near("src/inject/theme/index.ts")).toEqual([
      "src/background/index.ts",
      "src/inject/theme/theme.ts",
    ]);
    expect(near("lib/view.jsx")).toEqual(["lib/button.jsx", "lib/icons.js"]);
  });

  it("resolves Python imports by the module rules: relative, absolute below src/, names in modules", async () => {
    const index = await buildIndex(
      source({
        "src/pkg/__init__.py": "from .core import engine\n",
        "src/pkg/core/__init__.py": "",
        "src/pkg/core/engine.py":
          "from . import utils\nfrom ..rules.base import BaseRule, LintFix as Fix\nimport os, json\n",
        "src/pkg/core/utils.py": "def helper():\n    pass\n",
        "src/pkg/rules/__init__.py": "",
        "src/pkg/rules/base.py": "class BaseRule:\n    pass\n",
        "src/pkg/rules/utils.py": "def other():\n    pass\n",
        "src/pkg/rules/L001.py":
          "from pkg.rules.base import BaseRule\nfrom pkg.core import (\n    engine,\n)\n",
        "tools/utils.py": "X = 1\n",
      }),
      { repo: "py" },
    );
    const search = new SearchIndex([index]);
    const near = importNeighbours(search);
    // `from . import utils` is the sibling module only, not every utils.py; `from ..rules.base
    // import BaseRule` is base.py; `os` and `json` are libraries.
    expect(near("src/pkg/core/engine.py")).toEqual([
      "src/pkg/__init__.py",
      "src/pkg/core/utils.py",
      "src/pkg/rules/L001.py",
      "src/pkg/rules/base.py",
    ]);
    expect(near("src/pkg/rules/L001.py")).toEqual([
      "src/pkg/core/engine.py",
      "src/pkg/rules/base.py",
    ]);
  });

  it("resolves Rust use trees and mod declarations by the module rules", async () => {
    const index = await buildIndex(
      source({
        "src/lib.rs": "mod config;\nmod printer;\npub mod output;\n",
        "src/config.rs": "pub struct Config {}\n",
        "src/printer.rs":
          "use crate::{config::Config, output::{OutputType, Pager}};\nuse std::io::Write;\npub fn print() {}\n",
        "src/output/mod.rs": "mod pager;\npub struct OutputType;\n",
        "src/output/pager.rs": "use super::OutputType;\npub struct Pager;\n",
        "src/bin/app/main.rs": "mod args;\nuse mylib::printer::print;\nfn main() {}\n",
        "src/bin/app/args.rs": "use crate::main;\n",
        "crates/globset/src/lib.rs": "mod glob;\n",
        "crates/globset/src/glob.rs": "pub struct Glob;\n",
        "crates/core/main.rs": "use globset::glob::Glob;\nfn main() {}\n",
      }),
      { repo: "r" },
    );
    const search = new SearchIndex([index]);
    const near = importNeighbours(search);
    expect(near("src/printer.rs")).toEqual([
      "src/bin/app/main.rs",
      "src/config.rs",
      "src/lib.rs",
      "src/output/mod.rs",
    ]);
    expect(near("src/output/pager.rs")).toEqual(["src/output/mod.rs"]);
    expect(near("src/bin/app/main.rs")).toEqual(["src/bin/app/args.rs", "src/printer.rs"]);
    expect(near("crates/core/main.rs")).toEqual(["crates/globset/src/glob.rs"]);
  });

  it("counts a chunk's own lines, without nested chunks", async () => {
    const index = await buildIndex(
      source({ "a.py": "import os\n\nclass A:\n    x = 1\n    def f(self):\n        return 1\n" }),
      { repo: "r" },
    );
    const search = new SearchIndex([index]);
    expect(search.chunks.map((c) => [c.chunk.qname, c.ownLines])).toEqual([
      ["<file>", 2],
      ["A", 2],
      ["A.f", 2],
    ]);
  });

  it("matches paths by their longest suffix and file names by identifier", async () => {
    const search = new SearchIndex([
      await buildIndex(
        source({
          "src/json/JsonParser.java": "class JsonParser {}\n",
          "src/xml/XmlParser.java": "class XmlParser {}\n",
        }),
        { repo: "r" },
      ),
    ]);
    expect(search.matchPath("home/u/proj/src/json/JsonParser.java")).toEqual({
      files: [0],
      segments: 3,
    });
    expect(search.filesNamed("json_parser")).toEqual([0]);
  });

  it("names index, mod and __init__ files by their directory, as their modules are named", async () => {
    expect(moduleName("src/plugin/customParseFormat/index.js")).toBe("customParseFormat");
    expect(moduleName("src/fshelper/mod.rs")).toBe("fshelper");
    expect(moduleName("pkg/nodes/__init__.py")).toBe("nodes");
    expect(moduleName("types/index.d.ts")).toBe("types");
    expect(moduleName("index.ts")).toBe("index");
    expect(moduleName("src/json_parser.py")).toBe("json_parser");
    const search = new SearchIndex([
      await buildIndex(
        source({
          "src/plugin/customParseFormat/index.js": "export default function plugin() {}\n",
          "src/plugin/utc/index.js": "export default function plugin() {}\n",
        }),
        { repo: "r" },
      ),
    ]);
    expect(search.filesNamed("customParseFormat")).toEqual([0]);
  });

  it("indexes Vue components by their script and links their relative imports", async () => {
    const index = await buildIndex(
      source({
        "src/components/Cart.vue":
          '<template><p>{{ total }}</p></template>\n<script setup lang="ts">\nimport { sum } from "../lib/money";\nconst total = sum([]);\nfunction clear() {\n  return 0;\n}\n</script>\n',
        "src/lib/money.ts": "export function sum(xs: number[]) { return xs.length; }\n",
        "src/pages/Home.vue":
          '<script setup>\nimport Cart from "../components/Cart.vue";\n</script>\n',
      }),
      { repo: "r" },
    );
    const cart = index.files.find((f) => f.path === "src/components/Cart.vue");
    expect(cart?.language).toBe("typescript");
    expect(cart?.chunks.map((c) => c.qname)).toEqual(["<file>", "clear"]);
    const near = importNeighbours(new SearchIndex([index]));
    expect(near("src/components/Cart.vue")).toEqual(["src/lib/money.ts", "src/pages/Home.vue"]);
  });

  it("follows a name imported from a package of the same repository to the file exporting it", async () => {
    const index = await buildIndex(
      source({
        "packages/shared/src/index.ts":
          'export * from "./domAttrConfig";\nexport * from "./general";\n',
        "packages/shared/src/domAttrConfig.ts":
          "export const isBooleanAttr = makeMap(specialBooleanAttrs);\n",
        "packages/shared/src/general.ts": "export function makeMap(s: string) { return s; }\n",
        "packages/runtime-dom/src/modules/attrs.ts":
          'import { isBooleanAttr } from "@vue/shared";\nimport { useState } from "react";\nexport function patchAttr() { return isBooleanAttr; }\n',
        "packages/other/src/attrs.ts": "export const isBooleanAttr = 1;\n",
      }),
      { repo: "r" },
    );
    const near = importNeighbours(new SearchIndex([index]));
    // The package folder named like `@vue/shared` holds the definition; `react` names no folder.
    expect(near("packages/runtime-dom/src/modules/attrs.ts")).toEqual([
      "packages/shared/src/domAttrConfig.ts",
    ]);
  });
});
