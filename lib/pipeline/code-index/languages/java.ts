import { byNameField, importTargets } from "./names";
import type { LanguageSpec } from "./spec";

/** Java: dotted imports resolve by path suffix (`a.b.C` → `a/b/C.java`). */
export const java: LanguageSpec<"java"> = {
  id: "java",
  grammar: "tree-sitter-java.wasm",
  extensions: ["java"],
  defs: {
    class_declaration: "class",
    interface_declaration: "type",
    enum_declaration: "type",
    record_declaration: "class",
    annotation_type_declaration: "type",
    method_declaration: "method",
    constructor_declaration: "method",
  },
  scopes: new Set(),
  separator: ".",
  strings: new Set(["string_literal", "string_fragment"]),
  calls: new Set(["method_invocation"]),
  imports: new Set(["import_declaration"]),
  transparent: new Set(["modifiers", "marker_annotation", "annotation"]),
  definition: byNameField,
  importTargets,
};
