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

export type AggregateName = "count" | "sum" | "avg" | "min" | "max";

export interface FieldItem extends Field {
  kind: "field";
  alias?: string;
  /** `col::type`: cast of the column (before an aggregate, of the aggregated column). */
  cast?: string;
  /** `col.sum()`, or `count()` alone (name `*`); only with db-aggregates-enabled. */
  aggregate?: AggregateName;
  /** `col.avg()::int`: cast of the aggregate's result. */
  aggregateCast?: string;
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
const aggregateNames = new Set<string>(["count", "sum", "avg", "min", "max"]);

/** Options of the select grammar that depend on the server's configuration. */
export interface SelectOptions {
  /** PostgREST's db-aggregates-enabled: off by default, PGRST123 for any aggregate. */
  aggregates: boolean;
}

const notAllowed = (): RestError =>
  new RestError(400, "PGRST123", "Use of aggregate functions is not allowed");

function parseCast(c: Cursor): string | undefined {
  if (!c.eat("::")) return undefined;
  const start = c.pos;
  while (!c.done && /[A-Za-z0-9_ [\]]/.test(c.peek())) c.pos++;
  const cast = c.src.slice(start, c.pos);
  if (!castPattern.test(cast)) c.fail("a type name");
  return cast;
}

function parseItems(c: Cursor, nested: boolean, o: SelectOptions): SelectItem[] {
  const items: SelectItem[] = [];
  if (nested && c.peek() === ")") return items;
  for (;;) {
    items.push(parseItem(c, o));
    if (c.eat(",")) continue;
    return items;
  }
}

function parseItem(c: Cursor, o: SelectOptions): SelectItem {
  if (c.eat("*")) return { kind: "star" };
  const spread = c.eat("...");
  let first = c.name();
  let alias: string | undefined;
  if (c.peek() === ":" && c.peek(1) !== ":") {
    c.pos++;
    alias = first;
    first = c.name();
  }
  if (first === "count" && !spread && c.startsWith("()")) {
    // `count()`: the row count of each group.
    if (!o.aggregates) throw notAllowed();
    c.pos += 2;
    const item: FieldItem = { kind: "field", name: "*", json: [], aggregate: "count" };
    if (alias !== undefined) item.alias = alias;
    const aggregateCast = parseCast(c);
    if (aggregateCast !== undefined) item.aggregateCast = aggregateCast;
    return item;
  }
  // PostgREST reserves `count`: it is never the name of an embed (only `...count(…)` spreads).
  if (first === "count" && !spread && (c.peek() === "!" || c.peek() === "(")) {
    c.fail('"," or ")"');
  }
  if (c.peek() === "!" || c.peek() === "(") return parseEmbed(c, first, alias, spread, o);
  if (spread) c.fail('"(" after a spread embed');
  const json = c.jsonPath();
  const cast = parseCast(c);
  const item: FieldItem = { kind: "field", name: first, json };
  if (alias !== undefined) item.alias = alias;
  if (cast !== undefined) item.cast = cast;
  if (c.peek() === ".") {
    if (!o.aggregates) throw notAllowed();
    c.pos++;
    const start = c.pos;
    while (/[a-z]/.test(c.peek())) c.pos++;
    const fn = c.src.slice(start, c.pos);
    if (!aggregateNames.has(fn)) {
      c.pos = start;
      c.fail("an aggregate function (count, sum, avg, min, max)");
    }
    c.expect("()");
    item.aggregate = fn as AggregateName;
    const aggregateCast = parseCast(c);
    if (aggregateCast !== undefined) item.aggregateCast = aggregateCast;
  }
  return item;
}

function parseEmbed(
  c: Cursor,
  name: string,
  alias: string | undefined,
  spread: boolean,
  o: SelectOptions,
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
  const children = parseItems(c, true, o);
  c.expect(")", '")" or ","');
  const item: EmbedItem = { kind: "embed", name, inner, spread, children };
  if (alias !== undefined) item.alias = alias;
  if (hint !== undefined) item.hint = hint;
  return item;
}

/**
 * Parses a `select` value; an empty or absent value means `*`. Throws PGRST100 on bad syntax and
 * PGRST123 for an aggregate unless `aggregates` is on.
 */
export function parseSelect(
  raw: string | null,
  o: SelectOptions = { aggregates: false },
): SelectItem[] {
  if (raw === null || raw === "") return [{ kind: "star" }];
  const c = new Cursor(raw);
  try {
    const items = parseItems(c, false, o);
    if (!c.done) c.fail('"," or end of input');
    return items;
  } catch (e) {
    if (e instanceof GrammarError) throw parseError("select parameter", raw, e.message);
    throw e;
  }
}
