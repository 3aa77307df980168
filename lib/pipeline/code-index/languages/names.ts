import type { Node } from "web-tree-sitter";
import type { DefInfo } from "./spec";

/** Naming rules shared by every grammar. */

const NAME_KEYWORDS = new Set(
  "namespace class struct union enum template typename inline constexpr consteval static const virtual explicit export extern friend mut dyn impl for".split(
    " ",
  ),
);
const NAME_TOKEN = /^~?[A-Za-z_$][\w$]*(::~?[A-Za-z_$][\w$]*)*$/;

/**
 * A definition's name as code writes it: without template arguments, comments and whitespace.
 * Where macros confuse the grammar (C++ `FMT_BEGIN_EXPORT`, attributes), the node a name is read
 * from can span keywords and comments (`namespace detail`, `X // A generic …`): the name is then
 * its last identifier, not the text run together.
 */
export function cleanName(text: string): string {
  let t = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " ");
  for (let i = 0; i < 3 && /<[^<>]*>/.test(t); i++) t = t.replace(/<[^<>]*>/g, "");
  t = t.trim();
  const compact = t.replace(/\s+/g, "");
  if (
    /^operator\b/.test(t) ||
    (NAME_TOKEN.test(compact) && !/\s/.test(t.replace(/\s*::\s*/g, "::")))
  )
    return compact.slice(0, 120);
  const tokens = t.split(/[\s&*]+/).filter((w) => NAME_TOKEN.test(w) && !NAME_KEYWORDS.has(w));
  return (tokens.pop() ?? compact).slice(0, 120);
}

/** The usual case: the definition's `name` field. */
export function byNameField(node: Node): DefInfo | undefined {
  const name = node.childForFieldName("name");
  if (!name) return undefined;
  return { name: cleanName(name.text) };
}

/**
 * The names of an import or export list (`a, b as c, type D`): each name as the module defines it
 * and as this file calls it. Python's `from a import (b, c as d)` reads the same way.
 */
export function nameList(list: string): { name: string; alias: string }[] {
  return list
    .replace(/[()]/g, " ")
    .split(",")
    .map((part) => {
      const [name = "", alias] = part
        .trim()
        .replace(/^type\s+(?!as\b)/, "")
        .split(/\s+as\s+/)
        .map((n) => n.trim());
      return { name, alias: alias ?? name };
    })
    .filter((n) => n.name !== "");
}

/**
 * Module paths of an import statement, for languages that write them plainly: the quoted or
 * bracketed paths (`#include <a.h>`, `import "x"`), else the statement without its keywords
 * (`use a::b;` → `a::b`, `import static a.B.c;` → `a.B.c`).
 */
export function importTargets(text: string): string[] {
  const quoted = [...text.matchAll(/["'<]([^"'<>\n]{1,200})["'>]/g)].map((m) => m[1] ?? "");
  if (quoted.length > 0) return quoted;
  const t = text
    .replace(/^\s*(from|import|use|pub\s+use)\s+/, "")
    .replace(/\s+import\s+.*$/s, "")
    .replace(/[;{}\s]+$/g, "")
    .replace(/\s+/g, "")
    .replace(/^static\./, "");
  return t ? [t.slice(0, 200)] : [];
}
