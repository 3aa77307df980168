import { cFamilyDefinition } from "./c";
import { importTargets } from "./names";
import type { LanguageSpec } from "./spec";

/** C++: C's definition rules, plus classes and namespaces (`ns::Class::method`). */
export const cpp: LanguageSpec<"cpp"> = {
  id: "cpp",
  grammar: "tree-sitter-cpp.wasm",
  extensions: ["cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "ipp", "inl"],
  defs: {
    function_definition: "function",
    class_specifier: "class",
    struct_specifier: "class",
    union_specifier: "type",
    enum_specifier: "type",
  },
  scopes: new Set(["namespace_definition"]),
  separator: "::",
  strings: new Set(["string_literal", "raw_string_literal", "string_content"]),
  calls: new Set(["call_expression"]),
  imports: new Set(["preproc_include"]),
  transparent: new Set(["template_declaration", "linkage_specification"]),
  definition: cFamilyDefinition,
  importTargets,
};
