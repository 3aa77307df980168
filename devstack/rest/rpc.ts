import { assertEmbedded, buildRelation, type ResponseShape, wrapRead } from "./build-select";
import { invalidBody, RestError } from "./errors";
import type { ReadParams } from "./query-params";
import type { DbFunction, SchemaCache } from "./schema-cache";
import { ident, type Sql, sqlCount, tableRef } from "./sql";

/**
 * RPC: `POST /rpc/fn` (arguments from the JSON body) and `GET|HEAD /rpc/fn?arg=…` (arguments from
 * the query string). Relation results take select, filters, order and paging like a table.
 */

/** The overloads of a function, or PGRST202. */
export function functionsNamed(cache: SchemaCache, schema: string, name: string): DbFunction[] {
  return cache.functions.get(`${schema}.${name}`) ?? [];
}

/** The body kinds a single unnamed parameter can take, by request Content-Type (PostgREST). */
export type BodyKind = "json" | "text" | "xml" | "bytea" | "other";

/** What the Content-Type of a POST says about its body. */
export function bodyKind(contentType: string | undefined): BodyKind {
  const t = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (t === "application/json" || t === "" || t === "*/*") return "json";
  if (t === "text/plain") return "text";
  if (t === "text/xml") return "xml";
  if (t === "application/octet-stream") return "bytea";
  return "other";
}

function noFunction(
  schema: string,
  name: string,
  keys: string[],
  post: boolean,
  kind: BodyKind,
): RestError {
  const fn = `${schema}.${name}`;
  const sorted = [...keys].sort();
  const withParams = sorted.length
    ? ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`
    : " without parameters";
  const rawBody = post && (kind === "text" || kind === "xml" || kind === "bytea");
  const single = {
    json: `${withParams} or with a single unnamed json/jsonb parameter`,
    text: " with a single unnamed text parameter",
    xml: " with a single unnamed xml parameter",
    bytea: " with a single unnamed bytea parameter",
    other: withParams,
  }[kind];
  return new RestError(
    404,
    "PGRST202",
    `Could not find the function ${fn}${rawBody ? "" : sorted.length ? `(${sorted.join(", ")})` : " without parameters"} in the schema cache`,
    `Searched for the function ${fn}${post ? single : withParams}, but no matches were found in the schema cache.`,
  );
}

/** Whether `keys` can call `f` by name: every required parameter given, nothing unknown. */
function matchesParams(f: DbFunction, keys: string[], post: boolean, kind: BodyKind): boolean {
  if (f.params.length === 0)
    return keys.length === 0 && !(post && kind !== "json" && kind !== "other");
  return (
    keys.every((k) => f.params.some((p) => p.name === k)) &&
    f.params.every((p) => p.hasDefault || keys.includes(p.name))
  );
}

function takesWholeBody(f: DbFunction, post: boolean, kind: BodyKind): boolean {
  if (!post || f.singleUnnamed === undefined) return false;
  if (kind === "json") return f.singleUnnamed === "json" || f.singleUnnamed === "jsonb";
  return f.singleUnnamed === kind;
}

/**
 * Picks the overload as PostgREST's `findProc` does: the functions whose parameter names fit the
 * argument names; failing that, one with a single unnamed parameter of the body's type. Several
 * candidates are PGRST203, listed in the schema cache's order (fewest parameters first).
 */
export function chooseFunction(
  overloads: DbFunction[],
  schema: string,
  name: string,
  keys: string[],
  post: boolean,
  kind: BodyKind = "json",
): DbFunction {
  const named = overloads.filter(
    (f) => f.singleUnnamed === undefined && matchesParams(f, keys, post, kind),
  );
  const fallback = overloads.filter((f) => takesWholeBody(f, post, kind));
  const matches = named.length > 0 ? named : fallback;
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw noFunction(schema, name, keys, post, kind);
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
  /** POST: the parsed JSON body (or the raw text/bytes for a single unnamed parameter); GET/HEAD: undefined (arguments are in q.rpcArgs). */
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
  if (fn.singleUnnamed !== undefined && r.post) {
    // The whole body, positionally: the parameter has no name to pass it by.
    const value =
      fn.singleUnnamed === "json" || fn.singleUnnamed === "jsonb"
        ? JSON.stringify(r.body ?? {})
        : Buffer.isBuffer(r.body)
          ? `\\x${r.body.toString("hex")}`
          : r.body;
    args = `${sql.p(value)}::${fn.singleUnnamed}`;
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
    // A set of scalars: paged like rows, counted over the whole set when asked (count=exact).
    let page = `select _pgrst_s from ${prefix}${invocation} as _pgrst_s`;
    const limit = r.q.limit.get("");
    const offset = r.q.offset.get("");
    if (limit !== undefined) page += ` limit ${sqlCount(limit)}`;
    if (offset !== undefined && offset > 0) page += ` offset ${sqlCount(offset)}`;
    const total = r.count
      ? `, (select count(*) from ${prefix}${invocation} as _pgrst_c) as total`
      : "";
    const body =
      r.shape === "none" ? "null::text" : "coalesce(json_agg(_pgrst_x._pgrst_s), '[]')::text";
    return {
      text: `select count(*) as page_total, ${body} as body${total} from (${page}) as _pgrst_x`,
      result: "array",
    };
  }
  const from = prefix ? ` from ${prefix.replace(/ cross join lateral $/, "")}` : "";
  const total = r.count ? ", 1::int8 as total" : "";
  return {
    text: `select 1 as page_total, to_json(${invocation})::text as body${total}${from}`,
    result: "scalar",
  };
}
