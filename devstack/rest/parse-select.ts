import { parseError, RestError } from "./errors";
import { Cursor, type Field, GrammarError } from "./field";

/**
 * The `select` parameter, as PostgREST parses it:
 * `*`, `col`, `alias:col`, `col::type`, `json->a->>b`, `rel(…)`, `alias:rel!hint!inner(…)`, `...rel(…)`.
 */
export type SelectItem = StarItem | FieldItem | EmbedItem;

export interface StarItem {
  kind: "star";
}

export interface FieldItem extends Field {
  kind: "field";
  alias?: string;
  cast?: string;
}

export interface EmbedItem {
  kind: "embed";
  /** Table (or FK column / constraint) name used to find the relationship. */
  name: string;
  alias?: string;
  /** `!fk_name` or `!column` (or a junction table for many-to-many). */
  hint?: string;
  /** `!inner`: drop parent rows without a match. */
  inner: boolean;
  /** `...rel(…)`: columns merged into the parent (to-one only). */
  spread: boolean;
  children: SelectItem[];
}

const castPattern = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])?$/;

function parseItems(c: Cursor, nested: boolean): SelectItem[] {
  const items: SelectItem[] = [];
  if (nested && c.peek() === ")") return items;
  for (;;) {
    items.push(parseItem(c));
    if (c.eat(",")) continue;
    return items;
  }
}

function parseItem(c: Cursor): SelectItem {
  if (c.eat("*")) return { kind: "star" };
  const spread = c.eat("...");
  let first = c.name();
  let alias: string | undefined;
  if (c.peek() === ":" && c.peek(1) !== ":") {
    c.pos++;
    alias = first;
    first = c.name();
  }
  if (c.peek() === "!" || c.peek() === "(") return parseEmbed(c, first, alias, spread);
  if (spread) c.fail('"(" after a spread embed');
  const json = c.jsonPath();
  if (c.peek() === ".") {
    throw new RestError(400, "PGRST123", "Use of aggregate functions is not allowed");
  }
  let cast: string | undefined;
  if (c.eat("::")) {
    const start = c.pos;
    while (!c.done && /[A-Za-z0-9_ [\]]/.test(c.peek())) c.pos++;
    cast = c.src.slice(start, c.pos);
    if (!castPattern.test(cast)) c.fail("a type name");
  }
  const item: FieldItem = { kind: "field", name: first, json };
  if (alias !== undefined) item.alias = alias;
  if (cast !== undefined) item.cast = cast;
  return item;
}

function parseEmbed(
  c: Cursor,
  name: string,
  alias: string | undefined,
  spread: boolean,
): EmbedItem {
  let hint: string | undefined;
  let inner = false;
  while (c.eat("!")) {
    const h = c.name();
    if (h === "inner") inner = true;
    else if (h === "left") inner = false;
    else if (hint === undefined) hint = h;
    else c.fail('"(" after the embed hints');
  }
  c.expect("(");
  if (name === "count" && hint === undefined && !spread && c.peek() === ")") {
    throw new RestError(400, "PGRST123", "Use of aggregate functions is not allowed");
  }
  const children = parseItems(c, true);
  c.expect(")", '")" or ","');
  const item: EmbedItem = { kind: "embed", name, inner, spread, children };
  if (alias !== undefined) item.alias = alias;
  if (hint !== undefined) item.hint = hint;
  return item;
}

/** Parses a `select` value; an empty or absent value means `*`. Throws PGRST100 on bad syntax. */
export function parseSelect(raw: string | null): SelectItem[] {
  if (raw === null || raw === "") return [{ kind: "star" }];
  const c = new Cursor(raw);
  try {
    const items = parseItems(c, false);
    if (!c.done) c.fail('"," or end of input');
    return items;
  } catch (e) {
    if (e instanceof GrammarError) throw parseError("select parameter", raw, e.message);
    throw e;
  }
}
