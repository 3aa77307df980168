import type { Column, DbFunction, FunctionParam, Table } from "./schema-cache";

/**
 * Functions in the schema cache, as PostgREST reads them (`SchemaCache.hs funcsSqlQuery`):
 * parameters, result shape, which are callable over RPC, and the order of overloads.
 */

export const FUNCTIONS_SQL = `
select n.nspname as schema, p.proname as name, p.provolatile::text as volatility,
  p.proretset as returns_set, format_type(p.prorettype, null) as return_type,
  rt.typrelid::int8 as return_relid, rt.typtype::text as return_typtype,
  coalesce(p.proargnames, '{}')::text[] as arg_names,
  coalesce(p.proargmodes::text[], '{}') as arg_modes,
  array(select format_type(x, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
        with ordinality u(x, ord) order by ord) as arg_types,
  p.pronargs as nargs, p.pronargdefaults as nargdefaults, p.prorows::float8 as rows,
  (select t.typrelid from pg_type t where t.oid = p.proargtypes[0])::int8 as first_arg_relid,
  obj_description(p.oid, 'pg_proc') as description
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
where n.nspname = any($1::text[]) and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype`;

export interface FunctionRow {
  schema: string;
  name: string;
  volatility: "i" | "s" | "v";
  returns_set: boolean;
  return_type: string;
  return_relid: string;
  return_typtype: string;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
  nargs: number;
  nargdefaults: number;
  rows: number;
  first_arg_relid: string | null;
  description: string | null;
}

const compareText = (x: string, y: string): number => (x === y ? 0 : x < y ? -1 : 1);

/**
 * PostgREST's order of overloads (its `instance Ord Routine`, SchemaCache/Routine.hs): fewer
 * parameters first; then the derived tuple order, which reaches the description (the function's
 * comment: none before any, then by text) before the parameters, compared one by one by name,
 * type, and optional (`ppReq` False) before required. PGRST203 lists candidates in this order.
 */
export function compareOverloads(a: DbFunction, b: DbFunction): number {
  if (a.params.length !== b.params.length) return a.params.length - b.params.length;
  const da = a.description ?? null;
  const db = b.description ?? null;
  if (da !== db) return da === null ? -1 : db === null ? 1 : compareText(da, db);
  for (let i = 0; i < a.params.length; i++) {
    const pa = a.params[i];
    const pb = b.params[i];
    if (!pa || !pb) break;
    const byName = compareText(pa.name, pb.name) || compareText(pa.type, pb.type);
    if (byName !== 0) return byName;
    if (pa.hasDefault !== pb.hasDefault) return pa.hasDefault ? -1 : 1;
  }
  return 0;
}

const UNNAMED_BODY_TYPES = new Set(["json", "jsonb", "text", "xml", "bytea"]);

/** The function as the API sees it. */
export function toFunction(f: FunctionRow, byOid: Map<number, Table>): DbFunction {
  const params: FunctionParam[] = [];
  const outColumns: Column[] = [];
  f.arg_types.forEach((type, i) => {
    const mode = f.arg_modes[i] ?? "i";
    const name = f.arg_names[i] ?? "";
    if (mode === "i" || mode === "b" || mode === "v") {
      params.push({ name, type, hasDefault: false });
    }
    if (mode === "o" || mode === "b" || mode === "t") {
      outColumns.push({ name, type, typname: type, notNull: false, hasDefault: false });
    }
  });
  for (let i = params.length - f.nargdefaults; i < params.length; i++) {
    const p = params[i];
    if (p) p.hasDefault = true;
  }
  let returns: DbFunction["returns"] = "scalar";
  let resultTable: Table | undefined;
  const composite = byOid.get(Number(f.return_relid));
  if (f.return_type === "void") returns = "void";
  else if (composite) {
    returns = "relation";
    resultTable = composite;
  } else if (f.return_type === "record" && outColumns.length > 0) {
    returns = "relation";
    resultTable = {
      oid: 0,
      schema: f.schema,
      name: f.name,
      kind: "c",
      columns: new Map(outColumns.map((c) => [c.name, c])),
      columnOrder: outColumns.map((c) => c.name),
      primaryKey: [],
      uniques: [],
    };
  }
  // PostgREST skips functions with unnamed parameters, unless there is exactly one and it can
  // take a whole body (json, jsonb, text, xml, bytea).
  const unnamed = params.filter((p) => p.name === "");
  const callable =
    unnamed.length === 0 ||
    (unnamed.length === 1 && UNNAMED_BODY_TYPES.has(unnamed[0]?.type ?? ""));
  const only = params.length === 1 ? params[0] : undefined;
  const fn: DbFunction = {
    schema: f.schema,
    name: f.name,
    params,
    returnsSet: f.returns_set,
    returnType: f.return_type,
    returns,
    volatility: f.volatility,
    rows: Number(f.rows),
    callable,
  };
  if (f.description !== null) fn.description = f.description;
  if (only && only.name === "" && UNNAMED_BODY_TYPES.has(only.type)) {
    fn.singleUnnamed = only.type as NonNullable<DbFunction["singleUnnamed"]>;
  }
  const rowParam = byOid.get(Number(f.first_arg_relid ?? 0));
  if (f.nargs === 1 && rowParam && rowParam.kind !== "c") fn.rowParamRelid = rowParam.oid;
  if (resultTable) fn.resultTable = resultTable;
  return fn;
}
