import { assertEmbedded, buildRelation, type ResponseShape, wrapRead } from "./build-select";
import { invalidBody, RestError } from "./errors";
import type { ReadParams } from "./query-params";
import type { DbFunction, SchemaCache } from "./schema-cache";
import { ident, type Sql, tableRef } from "./sql";

/**
 * RPC: `POST /rpc/fn` (arguments from the JSON body) and `GET|HEAD /rpc/fn?arg=…` (arguments from
 * the query string). Relation results take select, filters, order and paging like a table.
 */

/** The overloads of a function, or PGRST202. */
export function functionsNamed(cache: SchemaCache, schema: string, name: string): DbFunction[] {
  return cache.functions.get(`${schema}.${name}`) ?? [];
}

function noFunction(schema: string, name: string, keys: string[], post: boolean): RestError {
  const fn = `${schema}.${name}`;
  const sorted = [...keys].sort();
  const withParams = sorted.length
    ? ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`
    : " without parameters";
  return new RestError(
    404,
    "PGRST202",
    `Could not find the function ${fn}${sorted.length ? `(${sorted.join(", ")})` : " without parameters"} in the schema cache`,
    `Searched for the function ${fn}${withParams}${post ? " or with a single unnamed json/jsonb parameter" : ""}, but no matches were found in the schema cache.`,
  );
}

/** Picks the overload whose parameter names fit the given argument names. */
export function chooseFunction(
  overloads: DbFunction[],
  schema: string,
  name: string,
  keys: string[],
  post: boolean,
): DbFunction {
  const matches = overloads.filter(
    (f) =>
      !f.singleJsonParam &&
      keys.every((k) => f.params.some((p) => p.name === k)) &&
      f.params.every((p) => p.hasDefault || keys.includes(p.name)),
  );
  if (matches.length === 0 && post) {
    const json = overloads.filter((f) => f.singleJsonParam);
    if (json.length === 1 && json[0]) return json[0];
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw noFunction(schema, name, keys, post);
  throw new RestError(
    300,
    "PGRST203",
    `Could not choose the best candidate function between: ${matches
      .map((f) => `${schema}.${name}(${f.params.map((p) => `${p.name} => ${p.type}`).join(", ")})`)
      .join(", ")}`,
    null,
    "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
  );
}

export interface RpcRequest {
  cache: SchemaCache;
  sql: Sql;
  fn: DbFunction;
  /** POST: the parsed JSON body; GET/HEAD: undefined (arguments are in q.rpcArgs). */
  body: unknown;
  post: boolean;
  q: ReadParams;
  count: boolean;
  shape: ResponseShape;
}

export interface RpcStatement {
  text: string;
  /** How to answer: rows of a relation, one object, a scalar JSON value, or 204. */
  result: "array" | "object" | "scalar" | "void";
}

/** Builds the statement calling the function. */
export function buildRpc(r: RpcRequest): RpcStatement {
  const { sql, fn } = r;
  const call = tableRef(fn);
  let args: string;
  let prefix = "";
  if (fn.singleJsonParam && r.post) {
    args = `${sql.p(JSON.stringify(r.body ?? {}))}::${fn.params[0]?.type ?? "json"}`;
  } else if (r.post) {
    const body = r.body ?? {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalidBody("Empty or invalid json");
    }
    const given = fn.params.filter((p) => Object.hasOwn(body, p.name));
    args = given.map((p) => `${ident(p.name)} := _pgrst_args.${ident(p.name)}`).join(", ");
    if (given.length) {
      const cols = given.map((p) => `${ident(p.name)} ${p.type}`).join(", ");
      prefix = `json_to_record(${sql.p(JSON.stringify(body))}::json) as _pgrst_args(${cols}) cross join lateral `;
    }
  } else {
    const given = fn.params.filter((p) => r.q.rpcArgs.has(p.name));
    args = given
      .map((p) => `${ident(p.name)} := ${sql.p(r.q.rpcArgs.get(p.name))}::${p.type}`)
      .join(", ");
  }
  const invocation = `${call}(${args})`;
  if (fn.returns === "void") {
    return {
      text: `select ${invocation}${prefix ? ` from ${prefix.replace(/ cross join lateral $/, "")}` : ""}`,
      result: "void",
    };
  }
  if (fn.returns === "relation" && fn.resultTable) {
    const visited = new Set<string>();
    const root = buildRelation(
      { cache: r.cache, sql, q: r.q, visited },
      { table: fn.resultTable, from: `${prefix}${invocation}` },
      r.q.select,
      "",
      { paging: true },
    );
    assertEmbedded(r.q, visited);
    return {
      text: wrapRead(root, { count: r.count, shape: r.shape }),
      result: fn.returnsSet ? "array" : "object",
    };
  }
  if (fn.returnsSet) {
    return {
      text: `select count(*) as page_total, coalesce(json_agg(_pgrst_x), '[]')::text as body from ${prefix}${invocation} as _pgrst_x`,
      result: "array",
    };
  }
  const from = prefix ? ` from ${prefix.replace(/ cross join lateral $/, "")}` : "";
  return {
    text: `select 1 as page_total, to_json(${invocation})::text as body${from}`,
    result: "scalar",
  };
}
