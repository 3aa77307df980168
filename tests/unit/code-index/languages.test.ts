import { describe, expect, it } from "vitest";
import {
  LANGUAGES,
  languageOf,
  moduleResolutionOf,
  refineHeaderLanguage,
} from "@/lib/pipeline/code-index/languages";
import { pythonImportTargets } from "@/lib/pipeline/code-index/languages/python";
import { expandUseTree } from "@/lib/pipeline/code-index/languages/rust";

describe("language registry", () => {
  it.each(Object.values(LANGUAGES))("$id owns its extensions", (spec) => {
    expect(spec.extensions.length).toBeGreaterThan(0);
    for (const ext of spec.extensions) expect(languageOf(`src/a.${ext}`)).toBe(spec.id);
  });

  it("keeps grammarless source at file level and ignores what is not source", () => {
    expect(languageOf("app/models/user.rb")).toBe("text");
    expect(languageOf("src/App.vue")).toBe("text");
    expect(languageOf("README.md")).toBeUndefined();
    expect(languageOf("Makefile")).toBeUndefined();
  });

  it("reads a .h header as C++ only when it looks like C++", () => {
    expect(refineHeaderLanguage("a.h", "int f(void);\n")).toBe("c");
    expect(refineHeaderLanguage("a.h", "namespace fmt {\n}\n")).toBe("cpp");
    expect(refineHeaderLanguage("a.go", "")).toBe("go");
  });

  it("finds module rules by extension; other languages resolve by path suffix", () => {
    const rules = (p: string) => moduleResolutionOf(p);
    expect(rules("src/lib.rs")).toBeDefined();
    expect(rules("pkg/a.py")).toBeDefined();
    expect(rules("src/a.ts")).toBe(rules("src/App.vue"));
    expect(rules("src/a.ts")).not.toBe(rules("src/lib.rs"));
    for (const p of ["a.go", "A.java", "a.c", "a.hpp", "a.pyi"]) expect(rules(p)).toBeUndefined();
  });

  it("keeps each language's import reading with the language", () => {
    expect(pythonImportTargets("from ..rules.base import BaseRule, LintFix as Fix")).toEqual([
      "..rules.base.BaseRule",
      "..rules.base.LintFix",
    ]);
    expect(expandUseTree("crate::{a::B, c::{d, e}}")).toEqual([
      ["crate", "a", "B"],
      ["crate", "c", "d"],
      ["crate", "c", "e"],
    ]);
  });
});
