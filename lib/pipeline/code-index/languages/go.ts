import type { Node } from "web-tree-sitter";
import { byNameField, importTargets } from "./names";
import type { DefInfo, LanguageSpec } from "./spec";

/**
 * Go: methods are qualified by their receiver's type (`Server.Serve`). Imports name packages,
 * which are directories: they resolve by path suffix (no module rules here).
 */

/** Base type name of a Go method receiver: `(s *Server)` → `Server`. */
function goReceiver(node: Node): string | undefined {
  const recv = node.childForFieldName("receiver");
  const param = recv?.namedChildren.find((c) => c?.type === "parameter_declaration");
  const type = param?.childForFieldName("type");
  if (!type) return undefined;
  return type.text.match(/[A-Za-z_][A-Za-z0-9_]*/)?.[0];
}

function definition(node: Node): DefInfo | undefined {
  if (node.type === "method_declaration") {
    const name = node.childForFieldName("name");
    if (!name) return undefined;
    const recv = goReceiver(node);
    return recv ? { name: name.text, ownQualifier: recv } : { name: name.text };
  }
  return byNameField(node);
}

export const go: LanguageSpec<"go"> = {
  id: "go",
  grammar: "tree-sitter-go.wasm",
  extensions: ["go"],
  defs: { function_declaration: "function", method_declaration: "method", type_spec: "type" },
  scopes: new Set(),
  separator: ".",
  strings: new Set(["interpreted_string_literal", "raw_string_literal"]),
  calls: new Set(["call_expression"]),
  imports: new Set(["import_declaration"]),
  transparent: new Set(),
  definition,
  importTargets,
};
