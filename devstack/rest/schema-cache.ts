import type pg from "pg";
import { compareOverloads, FUNCTIONS_SQL, type FunctionRow, toFunction } from "./schema-functions";
import { VIEW_COLUMNS_SQL, type ViewColumnRow, viewForeignKeys } from "./view-keys";

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
  /** `comment on function`: PostgREST orders overloads by it before their parameters. */
  description?: string;
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
