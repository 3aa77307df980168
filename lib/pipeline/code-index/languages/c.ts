import type { Node } from "web-tree-sitter";
import { byNameField, cleanName, importTargets } from "./names";
import type { DefInfo, LanguageSpec } from "./spec";

/**
 * C, and the definition rules C++ shares with it: a function's name is found through its
 * declarator chain (`static const char *name(…)`), and a struct is a definition only with a
 * body. Includes resolve by path suffix. A `.h` header is C unless it looks like C++.
 */

const DECLARATOR_WRAPPERS = new Set([
  "function_declarator",
  "pointer_declarator",
  "reference_declarator",
  "parenthesized_declarator",
  "attributed_declarator",
  "array_declarator",
]);
const DECLARATOR_NAMES = new Set([
  "identifier",
  "field_identifier",
  "type_identifier",
  "destructor_name",
  "operator_name",
  "qualified_identifier",
  "template_function",
  "operator_cast",
]);

/** The identifier a C/C++ function definition declares, following its declarator chain. */
function declaratorName(node: Node): string | undefined {
  let d: Node | null = node.childForFieldName("declarator");
  for (let i = 0; d && i < 12; i++) {
    if (DECLARATOR_NAMES.has(d.type)) return cleanName(d.text);
    if (!DECLARATOR_WRAPPERS.has(d.type)) return undefined;
    d = d.childForFieldName("declarator") ?? d.firstNamedChild;
  }
  return undefined;
}

/** Definitions of C and C++: functions (`Foo::bar` qualified by what precedes the name), types. */
export function cFamilyDefinition(node: Node): DefInfo | undefined {
  switch (node.type) {
    case "function_definition": {
      const full = declaratorName(node);
      if (!full) return undefined;
      const parts = full.split("::").filter((p) => p !== "");
      const name = parts.pop() ?? full;
      return parts.length > 0 ? { name, ownQualifier: parts.join("::") } : { name };
    }
    case "struct_specifier":
    case "union_specifier":
    case "enum_specifier":
    case "class_specifier": {
      const name = node.childForFieldName("name");
      if (!name || !node.childForFieldName("body")) return undefined;
      return { name: cleanName(name.text) };
    }
    default:
      return byNameField(node);
  }
}

/** Whether a `.h` header's text is C++ (classes, namespaces, templates, access labels, `::`). */
export function looksLikeCpp(text: string): boolean {
  return /^\s*(class|namespace|template)\b|\b(public|private|protected):|::/m.test(text);
}

export const c: LanguageSpec<"c"> = {
  id: "c",
  grammar: "tree-sitter-c.wasm",
  extensions: ["c", "h"],
  defs: {
    function_definition: "function",
    struct_specifier: "type",
    union_specifier: "type",
    enum_specifier: "type",
  },
  scopes: new Set(),
  separator: ".",
  strings: new Set(["string_literal", "string_content"]),
  calls: new Set(["call_expression"]),
  imports: new Set(["preproc_include"]),
  transparent: new Set(["linkage_specification"]),
  definition: cFamilyDefinition,
  importTargets,
};
