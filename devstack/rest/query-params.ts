import { parseError } from "./errors";
import { Cursor, GrammarError } from "./field";
import { type FilterTree, parseFilterValue, parseLogic } from "./parse-filters";
import { type OrderTerm, parseOrder } from "./parse-order";
import { parseSelect, type SelectItem, type SelectOptions } from "./parse-select";

/**
 * A request's query string, sorted the way PostgREST reads it: `select`, `columns`,
 * `on_conflict`, and per embedding path (`""` for the root, `"comments"`, `"comments.author"`)
 * the filters, logic trees, `order`, `limit` and `offset`.
 */
export interface ReadParams {
  select: SelectItem[];
  columns?: string[];
  onConflict?: string[];
  filters: Map<string, FilterTree[]>;
  order: Map<string, OrderTerm[]>;
  limit: Map<string, number>;
  offset: Map<string, number>;
  /** Parameters left for an RPC GET to use as arguments (name → raw value). */
  rpcArgs: Map<string, string>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function nonNegativeInt(what: string, raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw parseError(`${what} parameter`, raw, `${what} must be an integer`);
  }
  return n;
}

/** `"a","b"` or `a,b`: the `columns` and `on_conflict` lists. */
function nameList(what: string, raw: string): string[] {
  const c = new Cursor(raw);
  try {
    const out: string[] = [];
    for (;;) {
      out.push(c.name());
      if (c.eat(",")) continue;
      if (!c.done) c.fail('"," or end of input');
      return out;
    }
  } catch (e) {
    if (e instanceof GrammarError) throw parseError(what, raw, e.message);
    throw e;
  }
}

/**
 * Sorts the query string. `isRpcArg(name)` tells which bare keys are RPC arguments (GET /rpc/fn);
 * for tables it is always false. Throws PGRST100 on anything that does not parse.
 */
export function parseQuery(
  url: URL,
  isRpcArg: (name: string) => boolean = () => false,
  selectOptions: SelectOptions = { aggregates: false },
): ReadParams {
  const out: ReadParams = {
    select: [{ kind: "star" }],
    filters: new Map(),
    order: new Map(),
    limit: new Map(),
    offset: new Map(),
    rpcArgs: new Map(),
  };
  for (const [key, value] of url.searchParams) {
    if (key === "select") {
      out.select = parseSelect(value, selectOptions);
      continue;
    }
    if (key === "columns") {
      out.columns = nameList("columns", value);
      continue;
    }
    if (key === "on_conflict") {
      out.onConflict = nameList("on_conflict", value);
      continue;
    }
    if (isRpcArg(key)) {
      out.rpcArgs.set(key, value);
      continue;
    }
    const parts = key.split(".");
    const last = parts[parts.length - 1] ?? "";
    const beforeLast = parts[parts.length - 2];
    if (last === "or" || last === "and") {
      const negate = beforeLast === "not";
      const path = parts.slice(0, negate ? -2 : -1).join(".");
      push(out.filters, path, parseLogic(last, negate, value));
      continue;
    }
    const path = parts.slice(0, -1).join(".");
    if (last === "order") {
      out.order.set(path, parseOrder(value));
      continue;
    }
    if (last === "limit") {
      out.limit.set(path, nonNegativeInt("limit", value));
      continue;
    }
    if (last === "offset") {
      out.offset.set(path, nonNegativeInt("offset", value));
      continue;
    }
    const fc = new Cursor(last);
    let field: ReturnType<Cursor["field"]>;
    try {
      field = fc.field();
      if (!fc.done) fc.fail("end of the column name");
    } catch (e) {
      if (e instanceof GrammarError) throw parseError("filter", key, e.message);
      throw e;
    }
    push(out.filters, path, { kind: "cond", field, expr: parseFilterValue(value) });
  }
  return out;
}
