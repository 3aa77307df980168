import type pg from "pg";

/**
 * What the REST service knows about the exposed schemas, read from pg_catalog: relations and their
 * columns, keys and foreign keys (for embedding) and functions (for RPC). Loaded at start, after
 * migrations (`reloadSchema()`) and on `NOTIFY pgrst, 'reload schema'`.
 */

export interface Column {
  name: string;
  /** `format_type` of the column, e.g. `integer`, `text[]`, `timestamp with time zone`. */
  type: string;
  /** `pg_type.typname` of the base type (`int4`, `_text`, `tsvector`). */
  typname: string;
  notNull: boolean;
  hasDefault: boolean;
}

export interface Table {
  oid: number;
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned, v view, m matview, f foreign, c composite type. */
  kind: string;
  columns: Map<string, Column>;
  columnOrder: string[];
  primaryKey: string[];
  /** Primary key and unique constraints, as column lists. */
  uniques: string[][];
  /** Computed fields: functions of this relation's row, selectable like columns (not in `*`). */
  computed?: Map<string, DbFunction>;
  /** Computed relationships: functions of this relation's row returning rows of a table. */
  computedRelations?: DbFunction[];
}

export interface ForeignKey {
  name: string;
  /** The referencing ("many") side. */
  table: Table;
  columns: string[];
  /** The referenced ("one") side. */
  ref: Table;
  refColumns: string[];
}

export interface FunctionParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

export interface DbFunction {
  schema: string;
  name: string;
  /** Input parameters (IN, INOUT, VARIADIC), in order. */
  params: FunctionParam[];
  returnsSet: boolean;
  /** `format_type` of the return type. */
  returnType: string;
  /** What to do with the result: a relation (composite/table), a scalar, or nothing. */
  returns: "relation" | "scalar" | "void";
  /** Columns of the returned relation (composite type or OUT/TABLE parameters). */
  resultTable?: Table;
  volatility: "i" | "s" | "v";
  /**
   * The type of a single unnamed parameter that receives the whole POST body (PostgREST:
   * json/jsonb for a JSON body, text for text/plain, xml for text/xml, bytea for
   * application/octet-stream); undefined otherwise.
   */
  singleUnnamed?: "json" | "jsonb" | "text" | "xml" | "bytea";
  /** The oid of the relation whose row type is the only parameter (computed field/relationship). */
  rowParamRelid?: number;
  /** `rows 1` (prorows): a set-returning computed relationship that is to-one. */
  rows: number;
  /** Callable as RPC: PostgREST skips functions with unnamed parameters, but one body parameter. */
  callable: boolean;
}

export interface SchemaCache {
  schemas: string[];
  /** `schema.name` → relation (composite types excluded). */
  tables: Map<string, Table>;
  foreignKeys: ForeignKey[];
  /** `schema.name` → overloads. */
  functions: Map<string, DbFunction[]>;
  /** `statement_timeout` set on each role (`alter role anon set statement_timeout = '3s'`). */
  roleTimeouts: Map<string, string>;
  /**
   * PostgREST's in-database configuration: `pgrst.*` settings of the `authenticator` role
   * (`alter role authenticator set pgrst.db_aggregates_enabled = 'true'`), read with the cache.
   */
  dbConfig: Map<string, string>;
}

export const qname = (schema: string, name: string): string => `${schema}.${name}`;

const RELATIONS_SQL = `
select c.oid::int8 as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
  coalesce((
    select json_agg(json_build_object(
      'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'typname', t.typname,
      'notNull', a.attnotnull,
      'hasDefault', a.atthasdef or a.attidentity <> '' or a.attgenerated <> '')
      order by a.attnum)
    from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  ), '[]') as columns
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c')`;

const CONSTRAINTS_SQL = `
select con.conname as name, con.contype::text as type, con.conrelid::int8 as relid,
  con.confrelid::int8 as refrelid,
  array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord) as columns,
  array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord) as ref_columns
from pg_constraint con join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
where con.contype in ('p', 'u', 'f') and n.nspname = any($1::text[])
order by con.conname`;

const FUNCTIONS_SQL = `
select n.nspname as schema, p.proname as name, p.provolatile::text as volatility,
  p.proretset as returns_set, format_type(p.prorettype, null) as return_type,
  rt.typrelid::int8 as return_relid, rt.typtype::text as return_typtype,
  coalesce(p.proargnames, '{}')::text[] as arg_names,
  coalesce(p.proargmodes::text[], '{}') as arg_modes,
  array(select format_type(x, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
        with ordinality u(x, ord) order by ord) as arg_types,
  p.pronargs as nargs, p.pronargdefaults as nargdefaults, p.prorows::float8 as rows,
  (select t.typrelid from pg_type t where t.oid = p.proargtypes[0])::int8 as first_arg_relid
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
where n.nspname = any($1::text[]) and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype`;

// Which view columns are plain references to a column of another relation, read from the view's
// rewrite rule as PostgREST does (the `resorigtbl`/`resorigcol` of each target entry). The
// top-level target list is the last one in the node text, so the last match per position wins;
// the name must agree with the view's own column, which rules out subqueries' entries.
const VIEW_COLUMNS_SQL = `
select distinct on (r.ev_class, m[1]::int) r.ev_class::int8 as view_oid, m[2] as view_column,
  m[3]::int8 as base_oid, a.attname::text as base_column
from pg_rewrite r join pg_class c on c.oid = r.ev_class
join pg_namespace n on n.oid = c.relnamespace
cross join lateral regexp_matches(r.ev_action::text,
  ':resno (\\d+) :resname (\\S+) :ressortgroupref \\d+ :resorigtbl (\\d+) :resorigcol (\\d+)', 'g')
  with ordinality as x(m, ord)
join pg_attribute a on a.attrelid = m[3]::oid and a.attnum = m[4]::int2
join pg_attribute va on va.attrelid = c.oid and va.attnum = m[1]::int2 and va.attname = m[2]
where c.relkind = 'v' and n.nspname = any($1::text[]) and m[3] <> '0'
order by r.ev_class, m[1]::int, x.ord desc`;

// PostgREST reads `pgrst.*` settings of its authenticator role (in-database configuration).
const DB_CONFIG_SQL = `
select split_part(cfg, '=', 1) as key, substr(cfg, strpos(cfg, '=') + 1) as value
from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
cross join unnest(s.setconfig) cfg
where r.rolname = 'authenticator' and cfg like 'pgrst.%'
  and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
order by s.setdatabase`;

// PostgREST applies a role's own settings when it switches to it; statement_timeout is the one
// Supabase sets (anon 3s, authenticated 8s).
const ROLE_TIMEOUTS_SQL = `
select r.rolname as role, split_part(cfg, '=', 2) as value
from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
cross join unnest(s.setconfig) cfg
where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
  and split_part(cfg, '=', 1) = 'statement_timeout'
order by s.setdatabase`;

interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  columns: Column[];
}

interface ConstraintRow {
  name: string;
  type: string;
  relid: string;
  refrelid: string;
  columns: string[];
  ref_columns: string[];
}

interface FunctionRow {
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
}

interface ViewColumnRow {
  view_oid: string;
  view_column: string;
  base_oid: string;
  base_column: string;
}

/** Reads the schema cache of `schemas` in one round trip per catalog. */
export async function loadSchemaCache(pool: pg.Pool, schemas: string[]): Promise<SchemaCache> {
  const [rels, cons, fns, timeouts, viewCols, config] = await Promise.all([
    pool.query<RelationRow>(RELATIONS_SQL, [schemas]),
    pool.query<ConstraintRow>(CONSTRAINTS_SQL, [schemas]),
    pool.query<FunctionRow>(FUNCTIONS_SQL, [schemas]),
    pool.query<{ role: string; value: string }>(ROLE_TIMEOUTS_SQL),
    pool.query<ViewColumnRow>(VIEW_COLUMNS_SQL, [schemas]),
    pool.query<{ key: string; value: string }>(DB_CONFIG_SQL),
  ]);
  const dbConfig = new Map(config.rows.map((r) => [r.key, r.value]));
  // Database-specific settings come last and win.
  const roleTimeouts = new Map(timeouts.rows.map((r) => [r.role, r.value]));
  const byOid = new Map<number, Table>();
  const tables = new Map<string, Table>();
  for (const r of rels.rows) {
    const t: Table = {
      oid: Number(r.oid),
      schema: r.schema,
      name: r.name,
      kind: r.kind,
      columns: new Map(r.columns.map((c) => [c.name, c])),
      columnOrder: r.columns.map((c) => c.name),
      primaryKey: [],
      uniques: [],
    };
    byOid.set(t.oid, t);
    if (r.kind !== "c") tables.set(qname(t.schema, t.name), t);
  }
  const foreignKeys: ForeignKey[] = [];
  for (const c of cons.rows) {
    const t = byOid.get(Number(c.relid));
    if (!t) continue;
    if (c.type === "p") t.primaryKey = c.columns;
    if (c.type === "p" || c.type === "u") t.uniques.push(c.columns);
    if (c.type === "f") {
      const ref = byOid.get(Number(c.refrelid));
      // A key into a schema the API does not expose (auth.users) is not embeddable.
      if (ref) {
        foreignKeys.push({
          name: c.name,
          table: t,
          columns: c.columns,
          ref,
          refColumns: c.ref_columns,
        });
      }
    }
  }
  foreignKeys.push(...viewForeignKeys(foreignKeys, viewCols.rows, byOid));
  const functions = new Map<string, DbFunction[]>();
  for (const f of fns.rows) {
    const fn = toFunction(f, byOid);
    // A function of a row (its parameter usually unnamed) is a computed field or relationship.
    const t = fn.rowParamRelid === undefined ? undefined : byOid.get(fn.rowParamRelid);
    if (t && fn.returns === "relation" && fn.resultTable && fn.resultTable.oid !== 0) {
      t.computedRelations ??= [];
      t.computedRelations.push(fn);
    } else if (t && fn.returns === "scalar") {
      t.computed ??= new Map();
      t.computed.set(fn.name, fn);
    }
    if (!fn.callable) continue;
    const key = qname(fn.schema, fn.name);
    const list = functions.get(key) ?? [];
    list.push(fn);
    functions.set(key, list);
  }
  for (const list of functions.values()) list.sort(compareOverloads);
  return { schemas, tables, foreignKeys, functions, roleTimeouts, dbConfig };
}

/**
 * PostgREST's order of overloads (its `Ord Routine`): fewer parameters first, then the
 * parameters compared in order by name and type. PGRST203 lists candidates in this order.
 */
export function compareOverloads(a: DbFunction, b: DbFunction): number {
  if (a.params.length !== b.params.length) return a.params.length - b.params.length;
  for (let i = 0; i < a.params.length; i++) {
    const pa = a.params[i];
    const pb = b.params[i];
    if (!pa || !pb) break;
    if (pa.name !== pb.name) return pa.name < pb.name ? -1 : 1;
    if (pa.type !== pb.type) return pa.type < pb.type ? -1 : 1;
  }
  return 0;
}

/**
 * Foreign keys seen through views, as PostgREST infers them: a view exposing every column of a
 * key (as plain column references) gets the key too, towards the table, from the table, and
 * between two such views. The constraint name stays the table's.
 */
function viewForeignKeys(
  fks: ForeignKey[],
  rows: ViewColumnRow[],
  byOid: Map<number, Table>,
): ForeignKey[] {
  // base oid → views over it, each with base column → view column
  const views = new Map<number, Array<{ view: Table; cols: Map<string, string> }>>();
  const perView = new Map<string, { view: Table; base: number; cols: Map<string, string> }>();
  for (const r of rows) {
    const view = byOid.get(Number(r.view_oid));
    if (!view) continue;
    const key = `${r.view_oid}:${r.base_oid}`;
    let entry = perView.get(key);
    if (!entry) {
      entry = { view, base: Number(r.base_oid), cols: new Map() };
      perView.set(key, entry);
    }
    if (!entry.cols.has(r.base_column)) entry.cols.set(r.base_column, r.view_column);
  }
  for (const e of perView.values()) {
    const l = views.get(e.base) ?? [];
    l.push({ view: e.view, cols: e.cols });
    views.set(e.base, l);
  }
  const mapCols = (cols: string[], m: Map<string, string>): string[] | undefined => {
    const out = cols.map((c) => m.get(c));
    return out.every((c) => c !== undefined) ? (out as string[]) : undefined;
  };
  const out: ForeignKey[] = [];
  for (const fk of fks) {
    const from = [{ table: fk.table, columns: fk.columns }];
    for (const v of views.get(fk.table.oid) ?? []) {
      const columns = mapCols(fk.columns, v.cols);
      if (columns) from.push({ table: v.view, columns });
    }
    const to = [{ table: fk.ref, columns: fk.refColumns }];
    for (const v of views.get(fk.ref.oid) ?? []) {
      const columns = mapCols(fk.refColumns, v.cols);
      if (columns) to.push({ table: v.view, columns });
    }
    for (const f of from) {
      for (const t of to) {
        if (f.table === fk.table && t.table === fk.ref) continue;
        out.push({
          name: fk.name,
          table: f.table,
          columns: f.columns,
          ref: t.table,
          refColumns: t.columns,
        });
      }
    }
  }
  return out;
}

const UNNAMED_BODY_TYPES = new Set(["json", "jsonb", "text", "xml", "bytea"]);

/** The function as the API sees it. */
function toFunction(f: FunctionRow, byOid: Map<number, Table>): DbFunction {
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
  if (only && only.name === "" && UNNAMED_BODY_TYPES.has(only.type)) {
    fn.singleUnnamed = only.type as NonNullable<DbFunction["singleUnnamed"]>;
  }
  const rowParam = byOid.get(Number(f.first_arg_relid ?? 0));
  if (f.nargs === 1 && rowParam && rowParam.kind !== "c") fn.rowParamRelid = rowParam.oid;
  if (resultTable) fn.resultTable = resultTable;
  return fn;
}
