import { parseError } from "./errors";
import { Cursor, type Field, GrammarError } from "./field";

/** One `order` term: `col[->json].asc|desc[.nullsfirst|nullslast]` or `rel(col)…` (to-one embed). */
export interface OrderTerm {
  field: Field;
  /** Set for `rel(col)`: order parents by a column of a to-one embedded resource. */
  relation?: string;
  direction?: "asc" | "desc";
  nulls?: "first" | "last";
}

function term(c: Cursor): OrderTerm {
  const first = c.field();
  let t: OrderTerm;
  if (first.json.length === 0 && c.eat("(")) {
    const field = c.field();
    c.expect(")");
    t = { field, relation: first.name };
  } else {
    t = { field: first };
  }
  if (c.eat(".asc")) t.direction = "asc";
  else if (c.eat(".desc")) t.direction = "desc";
  if (c.eat(".nullsfirst")) t.nulls = "first";
  else if (c.eat(".nullslast")) t.nulls = "last";
  return t;
}

/** Parses an `order` value (comma-separated terms). Throws PGRST100. */
export function parseOrder(raw: string): OrderTerm[] {
  const c = new Cursor(raw);
  try {
    const out: OrderTerm[] = [];
    for (;;) {
      out.push(term(c));
      if (c.eat(",")) continue;
      if (!c.done) c.fail('".asc", ".desc", ".nullsfirst", ".nullslast", "," or end of input');
      return out;
    }
  } catch (e) {
    if (e instanceof GrammarError) throw parseError("order", raw, e.message);
    throw e;
  }
}
