import { fieldSql, filterSql } from "./build-filters";
import { assertEmbedded, buildRelation, type ResponseShape, wrapRead } from "./build-select";
import { columnNotFound, invalidBody, RestError } from "./errors";
import type { Preferences } from "./prefer";
import type { ReadParams } from "./query-params";
import type { SchemaCache, Table } from "./schema-cache";
import { ident, type Sql, sqlCount, tableRef } from "./sql";

/**
 * INSERT (with upsert), UPDATE and DELETE as one statement: the mutation in a CTE named
 * `pgrst_source`, then either the representation (select, embeds) or just the affected count.
 */
export interface MutationRequest {
  cache: SchemaCache;
  sql: Sql;
  table: Table;
  method: "POST" | "PATCH" | "DELETE";
  body: unknown;
  q: ReadParams;
  prefer: Preferences;
  /** `return=representation`: rows go back through `select`. */
  representation: boolean;
  shape: ResponseShape;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkColumns(table: Table, cols: string[]): void {
  for (const c of cols) if (!table.columns.has(c)) throw columnNotFound(table.name, c);
}

/** The payload's rows and columns, checked like PostgREST checks them. */
function payload(r: MutationRequest): { rows: JsonObject[]; columns: string[] } {
  const b = r.body;
  if (r.method === "PATCH") {
    if (!isObject(b)) throw invalidBody("Empty or invalid json");
    const columns = r.q.columns ?? Object.keys(b);
    checkColumns(r.table, columns);
    return { rows: [b], columns };
  }
  const rows = Array.isArray(b) ? b : [b];
  if (!rows.every(isObject)) throw invalidBody("Empty or invalid json");
  let columns = r.q.columns;
  if (!columns) {
    const first = rows[0] ? Object.keys(rows[0]) : [];
    for (const row of rows) {
      const keys = Object.keys(row);
      if (keys.length !== first.length || !keys.every((k) => first.includes(k))) {
        throw invalidBody("All object keys must match");
      }
    }
    columns = first;
  }
  checkColumns(r.table, columns);
  return { rows, columns };
}

function insertSql(r: MutationRequest, alias: string): string {
  const { sql, table } = r;
  const { rows, columns } = payload(r);
  const t = tableRef(table);
  const head = `insert into ${t} as ${ident(alias)}`;
  let text: string;
  if (columns.length === 0) {
    // As PostgREST: a zero-column select, so `{}` and `[{}, {}]` insert rows of defaults and
    // `[]` inserts nothing.
    text = `${head} select from json_populate_recordset(null::${t}, ${sql.p(JSON.stringify(rows))}::json)`;
  } else if (r.prefer.missing === "default") {
    const cols = columns.map(ident).join(", ");
    const values = rows.map((row) => {
      const p = sql.p(JSON.stringify(row));
      const cells = columns.map((c) =>
        Object.hasOwn(row, c)
          ? `(json_populate_record(null::${t}, ${p}::json)).${ident(c)}`
          : "default",
      );
      return `(${cells.join(", ")})`;
    });
    text = `${head} (${cols}) values ${values.join(", ")}`;
  } else {
    const cols = columns.map(ident).join(", ");
    const picked = columns.map((c) => `_pgrst_body.${ident(c)}`).join(", ");
    text = `${head} (${cols}) select ${picked} from json_populate_recordset(null::${t}, ${sql.p(JSON.stringify(rows))}::json) as _pgrst_body`;
  }
  if (r.prefer.resolution) {
    const target = r.q.onConflict ?? table.primaryKey;
    if (target.length === 0) {
      throw new RestError(
        400,
        "PGRST100",
        "failed to parse on_conflict parameter",
        `'${table.name}' has no primary key; give on_conflict`,
      );
    }
    checkColumns(table, target);
    const conflict = `(${target.map(ident).join(", ")})`;
    if (r.prefer.resolution === "ignore-duplicates" || columns.length === 0) {
      text += ` on conflict ${conflict} do nothing`;
    } else {
      const set = columns.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(", ");
      text += ` on conflict ${conflict} do update set ${set}`;
    }
  }
  return text;
}

function filterList(r: MutationRequest, alias: string): string[] {
  return (r.q.filters.get("") ?? []).map((f) =>
    filterSql({ sql: r.sql, table: r.table, alias }, f),
  );
}

/**
 * The WHERE of an update/delete. With `limit`/`offset` (postgrest-js `.limit()` on a write) the
 * affected rows are the first ones of the filtered, ordered set, picked by ctid as PostgREST does.
 */
function rootFilters(r: MutationRequest, alias: string): string {
  const parts = filterList(r, alias);
  const limit = r.q.limit.get("");
  const offset = r.q.offset.get("");
  if (limit !== undefined || offset !== undefined) {
    const inner = "pgrst_l";
    const where = filterList(r, inner);
    const order = (r.q.order.get("") ?? []).map((t) => {
      let e = fieldSql(r.sql, r.table, inner, t.field);
      if (t.direction) e += ` ${t.direction}`;
      if (t.nulls) e += ` nulls ${t.nulls}`;
      return e;
    });
    let pick = `select ${ident(inner)}.ctid from ${tableRef(r.table)} as ${ident(inner)}`;
    if (where.length) pick += ` where ${where.join(" and ")}`;
    if (order.length) pick += ` order by ${order.join(", ")}`;
    if (limit !== undefined) pick += ` limit ${sqlCount(limit)}`;
    if (offset !== undefined) pick += ` offset ${sqlCount(offset)}`;
    parts.push(`${ident(alias)}.ctid = any(array(${pick}))`);
  }
  return parts.length ? ` where ${parts.join(" and ")}` : "";
}

function updateSql(r: MutationRequest, alias: string): string | null {
  const { sql, table } = r;
  const { rows, columns } = payload(r);
  if (columns.length === 0) return null;
  const t = tableRef(table);
  const set = columns.map((c) => `${ident(c)} = _pgrst_body.${ident(c)}`).join(", ");
  return `update ${t} as ${ident(alias)} set ${set} from json_populate_record(null::${t}, ${sql.p(
    JSON.stringify(rows[0]),
  )}::json) as _pgrst_body${rootFilters(r, alias)}`;
}

function deleteSql(r: MutationRequest, alias: string): string {
  return `delete from ${tableRef(r.table)} as ${ident(alias)}${rootFilters(r, alias)}`;
}

/**
 * The whole statement for a write; its single row has `page_total` (rows affected) and `body`
 * (JSON text of the representation, or null). Returns null for a PATCH with nothing to set.
 */
export function buildMutation(r: MutationRequest): string | null {
  const alias = "pgrst_m";
  const mutation =
    r.method === "POST"
      ? insertSql(r, alias)
      : r.method === "PATCH"
        ? updateSql(r, alias)
        : deleteSql(r, alias);
  if (mutation === null) return null;
  // A merge-duplicates upsert also counts the rows it inserted (`total`): PostgREST answers 200
  // when there were none. A row inserted by this statement has xmax 0; an updated one does not.
  const upsert = r.method === "POST" && r.prefer.resolution === "merge-duplicates";
  if (!r.representation) {
    assertEmbedded(r.q, new Set([""]));
    if (upsert) {
      return `with pgrst_source as (${mutation} returning (${ident(alias)}.xmax = 0) as _pgrst_inserted) select count(*) as page_total, null::text as body, count(*) filter (where _pgrst_inserted) as total from pgrst_source`;
    }
    return `with pgrst_source as (${mutation} returning 1) select count(*) as page_total, null::text as body from pgrst_source`;
  }
  // The representation reads the returned rows (filters were applied by the mutation itself);
  // a root `order` sorts them.
  const q: ReadParams = {
    ...r.q,
    filters: new Map([...r.q.filters].filter(([k]) => k !== "")),
    limit: new Map([...r.q.limit].filter(([k]) => k !== "")),
    offset: new Map([...r.q.offset].filter(([k]) => k !== "")),
  };
  const visited = new Set<string>();
  const root = buildRelation(
    { cache: r.cache, sql: r.sql, q, visited },
    { table: r.table, from: "pgrst_source" },
    r.q.select,
    "",
    { paging: false },
  );
  assertEmbedded(r.q, visited);
  if (upsert) {
    const cols = r.table.columnOrder.map(ident).join(", ");
    return wrapRead(root, {
      count: false,
      shape: r.shape,
      prefix: `with pgrst_all as (${mutation} returning ${ident(alias)}.*, (${ident(alias)}.xmax = 0) as _pgrst_inserted), pgrst_source as (select ${cols} from pgrst_all) `,
      total: "(select count(*) from pgrst_all where _pgrst_inserted)",
    });
  }
  return wrapRead(root, {
    count: false,
    shape: r.shape,
    prefix: `with pgrst_source as (${mutation} returning ${ident(alias)}.*) `,
  });
}
