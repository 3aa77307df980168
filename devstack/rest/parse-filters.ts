import { parseError } from "./errors";
import { Cursor, type Field, GrammarError } from "./field";

/** Every operator PostgREST (and so postgrest-js) knows. */
export const OPERATORS = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "like",
  "ilike",
  "match",
  "imatch",
  "is",
  "isdistinct",
  "in",
  "cs",
  "cd",
  "ov",
  "sl",
  "sr",
  "nxl",
  "nxr",
  "adj",
  "fts",
  "plfts",
  "phfts",
  "wfts",
] as const;
export type Operator = (typeof OPERATORS)[number];

const operatorSet: ReadonlySet<string> = new Set(OPERATORS);
const quantifiable: ReadonlySet<string> = new Set([
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "like",
  "ilike",
  "match",
  "imatch",
]);
const ftsOps: ReadonlySet<string> = new Set(["fts", "plfts", "phfts", "wfts"]);
export const IS_VALUES = ["null", "not_null", "true", "false", "unknown"] as const;
export type IsValue = (typeof IS_VALUES)[number];

export type FtsOperator = "fts" | "plfts" | "phfts" | "wfts";

/** A parsed `[not.]op[(modifier)].value`, discriminated by `kind`. */
export type OpExpr =
  | { kind: "is"; negate: boolean; op: "is"; value: IsValue }
  | { kind: "in"; negate: boolean; op: "in"; value: string[] }
  | { kind: "quant"; negate: boolean; op: Operator; quant: "any" | "all"; value: string[] }
  | { kind: "fts"; negate: boolean; op: FtsOperator; config?: string; value: string }
  | { kind: "simple"; negate: boolean; op: Operator; value: string };

export interface Condition {
  kind: "cond";
  field: Field;
  expr: OpExpr;
}

export interface Logic {
  kind: "logic";
  op: "and" | "or";
  negate: boolean;
  children: FilterTree[];
}

export type FilterTree = Condition | Logic;

/** Reads a `"…"` value with backslash escapes; the cursor sits on the opening quote. */
function quoted(c: Cursor): string {
  c.expect('"');
  let out = "";
  while (!c.done && c.peek() !== '"') {
    if (c.peek() === "\\" && c.pos + 1 < c.src.length) c.pos++;
    out += c.peek();
    c.pos++;
  }
  c.expect('"', 'closing "\\""');
  return out;
}

/** `(a,"b,c",d)` or `{a,b}`: elements may be double-quoted to hold `,` `(` `)`. */
function listValue(c: Cursor, open: string, close: string): string[] {
  c.expect(open);
  const out: string[] = [];
  if (c.eat(close)) return out;
  for (;;) {
    const save = c.pos;
    let el: string | undefined;
    if (c.peek() === '"') {
      el = quoted(c);
      if (c.peek() !== "," && c.peek() !== close) {
        c.pos = save;
        el = undefined;
      }
    }
    if (el === undefined) {
      const start = c.pos;
      while (!c.done && c.peek() !== "," && c.peek() !== close) c.pos++;
      el = c.src.slice(start, c.pos);
    }
    out.push(el);
    if (c.eat(",")) continue;
    c.expect(close, `"," or "${close}"`);
    return out;
  }
}

/**
 * Parses `[not.]op[(modifier)].value`. `inLogic` values (inside `or=(…)`) may be double-quoted
 * and end at the caller's delimiter, so the caller passes only the item's own text.
 */
export function parseOpExpr(src: string, inLogic: boolean): OpExpr {
  const c = new Cursor(src);
  const negate = c.eat("not.");
  const start = c.pos;
  while (!c.done && /[a-z]/.test(c.peek())) c.pos++;
  const op = c.src.slice(start, c.pos);
  if (!operatorSet.has(op)) {
    c.pos = start;
    c.fail("an operator (eq, neq, gt, …)");
  }
  let quant: "any" | "all" | undefined;
  let config: string | undefined;
  if (c.eat("(")) {
    if (ftsOps.has(op)) {
      config = c.identifier();
    } else if (quantifiable.has(op)) {
      if (c.eat("any")) quant = "any";
      else if (c.eat("all")) quant = "all";
      else c.fail('"any" or "all"');
    } else {
      c.fail('"."');
    }
    c.expect(")");
  }
  c.expect(".");
  const rest = c.src.slice(c.pos);
  const scalar = (): string => {
    if (inLogic && rest.startsWith('"') && rest.length >= 2) {
      const q = new Cursor(rest);
      const v = quoted(q);
      if (q.done) return v;
    }
    return rest;
  };
  if (quant) {
    const v = listValue(c, "{", "}");
    if (!c.done) c.fail("end of the list");
    return { kind: "quant", negate, op: op as Operator, quant, value: v };
  }
  if (op === "in") {
    const v = listValue(c, "(", ")");
    if (!c.done) c.fail("end of the list");
    return { kind: "in", negate, op: "in", value: v };
  }
  if (op === "is") {
    const v = rest.toLowerCase();
    if (!(IS_VALUES as readonly string[]).includes(v))
      c.fail("null, not_null, true, false or unknown");
    return { kind: "is", negate, op: "is", value: v as IsValue };
  }
  if (ftsOps.has(op)) {
    const e: OpExpr = { kind: "fts", negate, op: op as FtsOperator, value: scalar() };
    if (config !== undefined) e.config = config;
    return e;
  }
  return { kind: "simple", negate, op: op as Operator, value: scalar() };
}

/** A top-level filter value (`col=op.value`). Throws PGRST100. */
export function parseFilterValue(raw: string): OpExpr {
  try {
    return parseOpExpr(raw, false);
  } catch (e) {
    if (e instanceof GrammarError) throw parseError("filter", raw, e.message);
    throw e;
  }
}

/** End of a logic item: the next `,` or `)` outside quotes, parentheses and braces. */
function itemEnd(src: string, from: number): number {
  let depth = 0;
  let inQuote = false;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (inQuote) {
      if (ch === "\\") i++;
      else if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === "(" || ch === "{") depth++;
    else if (ch === "}") depth--;
    else if (ch === ")") {
      if (depth === 0) return i;
      depth--;
    } else if (ch === "," && depth === 0) return i;
  }
  return src.length;
}

function logicItems(c: Cursor): FilterTree[] {
  c.expect("(");
  const out: FilterTree[] = [];
  for (;;) {
    out.push(logicItem(c));
    if (c.eat(",")) continue;
    c.expect(")", '"," or ")"');
    return out;
  }
}

function logicItem(c: Cursor): FilterTree {
  const save = c.pos;
  const negate = c.eat("not.");
  for (const op of ["and", "or"] as const) {
    if (c.startsWith(`${op}(`)) {
      c.pos += op.length;
      return { kind: "logic", op, negate, children: logicItems(c) };
    }
  }
  c.pos = save;
  const field = c.field();
  c.expect(".");
  const end = itemEnd(c.src, c.pos);
  const text = c.src.slice(c.pos, end);
  const inner = parseOpExpr(text, true);
  c.pos = end;
  return { kind: "cond", field, expr: inner };
}

/** Parses the value of an `or`/`and` parameter: `(f1,f2,and(f3,f4))`. Throws PGRST100. */
export function parseLogic(op: "and" | "or", negate: boolean, raw: string): Logic {
  const c = new Cursor(raw);
  try {
    const children = logicItems(c);
    if (!c.done) c.fail("end of input");
    return { kind: "logic", op, negate, children };
  } catch (e) {
    if (e instanceof GrammarError) throw parseError("logic tree", raw, e.message);
    throw e;
  }
}
