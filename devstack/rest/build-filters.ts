import { RestError, undefinedColumn } from "./errors";
import type { Field } from "./field";
import type { FilterTree, OpExpr } from "./parse-filters";
import type { Table } from "./schema-cache";
import { ident, type Sql, tableRef } from "./sql";

const binary: Record<string, string> = {
  eq: "=",
  neq: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  like: "like",
  ilike: "ilike",
  match: "~",
  imatch: "~*",
  isdistinct: "is distinct from",
  cs: "@>",
  cd: "<@",
  ov: "&&",
  sl: "<<",
  sr: ">>",
  nxl: "&>",
  nxr: "&<",
  adj: "-|-",
};

const tsQuery: Record<string, string> = {
  fts: "to_tsquery",
  plfts: "plainto_tsquery",
  phfts: "phraseto_tsquery",
  wfts: "websearch_to_tsquery",
};

/** `*` stands for `%` in like patterns (PostgREST). */
const likePattern = (op: string, v: string): string =>
  op === "like" || op === "ilike" ? v.replaceAll("*", "%") : v;

/** A column (and JSON path) of `alias`, checked against the table. Throws 42703 if unknown. */
export function fieldSql(sql: Sql, table: Table, alias: string, f: Field): string {
  let expr: string;
  const computed = table.columns.has(f.name) ? undefined : table.computed?.get(f.name);
  if (computed) {
    // A computed field: the function applied to the row, as PostgREST calls it.
    expr = `${tableRef(computed)}(${ident(alias)}::${tableRef(table)})`;
  } else {
    if (!table.columns.has(f.name)) throw undefinedColumn(table.name, f.name);
    expr = `${ident(alias)}.${ident(f.name)}`;
  }
  for (const step of f.json) {
    const key =
      typeof step.key === "number" ? `${sql.p(step.key)}::int` : `${sql.p(step.key)}::text`;
    expr = `${expr}${step.op}${key}`;
  }
  return expr;
}

/** One operator expression applied to `lhs`; values are parameters. */
export function opSql(sql: Sql, lhs: string, isTsvector: boolean, e: OpExpr): string {
  let out: string;
  if (e.kind === "is") {
    const v = {
      null: "null",
      not_null: "not null",
      true: "true",
      false: "false",
      unknown: "unknown",
    };
    out = `${lhs} is ${v[e.value]}`;
  } else if (e.kind === "in") {
    out = e.value.length === 0 ? "false" : `${lhs} = any(${sql.p(e.value)})`;
  } else if (e.kind === "quant") {
    const op = binary[e.op];
    if (!op || e.op === "isdistinct")
      throw new RestError(400, "PGRST100", `operator ${e.op} cannot be quantified`);
    const values = e.value.map((v) => likePattern(e.op, v));
    out = `${lhs} ${op} ${e.quant}(${sql.p(values)})`;
  } else if (e.kind === "fts") {
    const fn = tsQuery[e.op];
    const cfg = e.config !== undefined ? `${sql.p(e.config)}::regconfig, ` : "";
    const doc = isTsvector ? lhs : `to_tsvector(${cfg}${lhs})`;
    out = `${doc} @@ ${fn}(${cfg}${sql.p(e.value)})`;
  } else {
    const op = binary[e.op];
    if (!op) throw new RestError(400, "PGRST100", `unknown operator ${e.op}`);
    out = `${lhs} ${op} ${sql.p(likePattern(e.op, e.value))}`;
  }
  return e.negate ? `not (${out})` : out;
}

export interface FilterScope {
  sql: Sql;
  table: Table;
  alias: string;
  /** Embedded resources at this level by output name → the lateral alias holding `body`. */
  embedBodies?: Map<string, string>;
}

/** SQL for a filter tree (condition or nested and/or/not) on one relation. */
export function filterSql(scope: FilterScope, t: FilterTree): string {
  if (t.kind === "logic") {
    const parts = t.children.map((c) => filterSql(scope, c));
    const joined = parts.length === 0 ? "true" : `(${parts.join(` ${t.op} `)})`;
    return t.negate ? `not ${joined}` : joined;
  }
  const embedBody = scope.embedBodies?.get(t.field.name);
  if (embedBody && !scope.table.columns.has(t.field.name)) {
    if (t.expr.kind !== "is" || (t.expr.value !== "null" && t.expr.value !== "not_null")) {
      throw new RestError(
        400,
        "PGRST120",
        `Bad operator on the '${t.field.name}' embedded resource`,
        "Only is null or not is null filters are allowed on embedded resources",
      );
    }
    return opSql(scope.sql, `${ident(embedBody)}.body`, false, t.expr);
  }
  const lhs = fieldSql(scope.sql, scope.table, scope.alias, t.field);
  const col = scope.table.columns.get(t.field.name);
  const isTs = col?.typname === "tsvector" && t.field.json.length === 0;
  return opSql(scope.sql, lhs, isTs, t.expr);
}
