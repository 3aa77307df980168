import type { ForeignKey, Table } from "./schema-cache";

/**
 * Relationships through views (PostgREST `SchemaCache.hs addViewM2OAndO2ORels`): which view
 * columns are plain references to key columns, and the foreign keys those views carry.
 */

// Which view columns are plain references to a column of another relation, read from the view's
// rewrite rule as PostgREST does (the `resorigtbl`/`resorigcol` of each target entry). The
// top-level target list is the last one in the node text, so the last match per position wins;
// the name must agree with the view's own column, which rules out subqueries' entries.
export const VIEW_COLUMNS_SQL = `
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

export interface ViewColumnRow {
  view_oid: string;
  view_column: string;
  base_oid: string;
  base_column: string;
}

/**
 * Foreign keys seen through views, as PostgREST infers them: a view exposing every column of a
 * key (as plain column references) gets the key too, towards the table, from the table, and
 * between two such views. The constraint name stays the table's.
 */
export function viewForeignKeys(
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
