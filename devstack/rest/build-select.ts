import { fieldSql, filterSql } from "./build-filters";
import { RestError } from "./errors";
import { fieldOutputName } from "./field";
import type { OrderTerm } from "./parse-order";
import type { EmbedItem, SelectItem } from "./parse-select";
import type { ReadParams } from "./query-params";
import { findRelationship, isToOne, type Relationship } from "./relationships";
import type { SchemaCache, Table } from "./schema-cache";
import { ident, type Sql, sqlCount, tableRef } from "./sql";

/**
 * Builds the SELECT of a relation and its embedded resources. Embeds become LATERAL joins whose
 * `body` column holds the embedded JSON (an object for to-one, an array for to-many), so the row
 * can be turned into JSON by Postgres itself, as PostgREST does.
 */
export interface RelationSource {
  table: Table;
  /** What follows FROM: a table reference, a CTE name or a function call. */
  from: string;
  /** Conditions tying this relation to its parent (embeds), given this relation's quoted alias. */
  where?: Array<(alias: string) => string>;
}

export interface BuiltRelation {
  /** `select … from … where … order by … limit … offset …` */
  text: string;
  /** `from … joins … where …` without select list, order or paging: for counting. */
  fromWhere: string;
  /** ` group by …` when the relation aggregates (then a count counts groups). */
  groupBy: string;
  outputNames: string[];
}

interface Level {
  cache: SchemaCache;
  sql: Sql;
  q: ReadParams;
  /** Embedding paths built so far, to refuse parameters aimed at resources not embedded. */
  visited?: Set<string>;
  /** The first embed alias clash (42712), thrown once the whole tree is planned. */
  aliasClash?: RestError;
}

/**
 * PGRST108 for `x.col=…`, `x.order`, `x.limit` or `x.offset` when `x` is not embedded in the
 * select. Call after building the root relation with the same `visited` set.
 */
export function assertEmbedded(q: ReadParams, visited: Set<string>): void {
  for (const m of [q.filters, q.order, q.limit, q.offset]) {
    for (const path of m.keys()) {
      if (path !== "" && !visited.has(path)) {
        throw new RestError(
          400,
          "PGRST108",
          `'${path}' is not an embedded resource in this request`,
          null,
          `Verify that '${path}' is included in the 'select' query parameter.`,
        );
      }
    }
  }
}

interface EmbedInfo {
  rel: Relationship;
  lateral: string;
  targetAlias: string;
}

const pathJoin = (a: string, b: string): string => (a ? `${a}.${b}` : b);

/** Builds one relation; `path` names it in the query string (`""` root, `"comments"`, …). */
export function buildRelation(
  lv: Level,
  src: RelationSource,
  items: SelectItem[],
  path: string,
  opts: { paging: boolean; extraLimit?: { limit?: number; offset?: number } },
): BuiltRelation {
  const { sql, q } = lv;
  lv.visited?.add(path);
  const table = src.table;
  const alias = `t${sql.next()}`;
  const a = ident(alias);
  const selectList: string[] = [];
  const outputNames: string[] = [];
  const joins: string[] = [];
  const embeds = new Map<string, EmbedInfo>();
  const where = (src.where ?? []).map((w) => w(a));
  // With an aggregate at this level, every other selected expression is a grouping key.
  const aggregated = items.some((i) => i.kind === "field" && i.aggregate !== undefined);
  const groupBy: string[] = [];
  // PostgREST aliases each embed's subquery `<table>_<name or alias>_<depth>`; the same name
  // twice at one level is Postgres' 42712, which PostgREST passes on.
  const depth = path === "" ? 1 : path.split(".").length + 1;
  const embedAliases = new Set<string>();

  for (const item of items) {
    if (item.kind === "star") {
      if (aggregated) {
        for (const c of table.columnOrder) {
          selectList.push(`${a}.${ident(c)}`);
          groupBy.push(`${a}.${ident(c)}`);
        }
      } else {
        selectList.push(`${a}.*`);
      }
      outputNames.push(...table.columnOrder);
      continue;
    }
    if (item.kind === "field") {
      let expr =
        item.name === "*" && item.aggregate === "count" ? "*" : fieldSql(sql, table, alias, item);
      if (item.cast) expr = `(${expr})::${item.cast}`;
      if (item.aggregate) {
        expr = `${item.aggregate}(${expr})`;
        if (item.aggregateCast) expr = `(${expr})::${item.aggregateCast}`;
      } else if (aggregated) {
        groupBy.push(expr);
      }
      const name = item.alias ?? item.aggregate ?? fieldOutputName(item);
      selectList.push(`${expr} as ${ident(name)}`);
      outputNames.push(name);
      continue;
    }
    // Planning errors anywhere in the tree (PGRST200/201/119, …) come first in PostgREST; the
    // alias clash is only found by Postgres when it runs the statement.
    const built = buildEmbed(lv, table, alias, item, path);
    const aggAlias = `${table.name}_${item.alias ?? item.name}_${depth}`;
    if (embedAliases.has(aggAlias)) {
      lv.aliasClash ??= new RestError(
        400,
        "42712",
        `table name "${aggAlias}" specified more than once`,
      );
    }
    embedAliases.add(aggAlias);
    joins.push(built.join);
    embeds.set(item.alias ?? item.name, {
      rel: built.rel,
      lateral: built.lateral,
      targetAlias: built.targetAlias,
    });
    if (item.spread) {
      for (const n of built.outputNames) {
        const col = `${ident(built.lateral)}.${ident(n)}`;
        selectList.push(`${col} as ${ident(n)}`);
        if (aggregated) groupBy.push(col);
        outputNames.push(n);
      }
    } else if (item.children.length > 0) {
      // An empty embed (`users()`) only filters (with !inner) and is left out of the result.
      const name = item.alias ?? item.name;
      const body = `${ident(built.lateral)}.body`;
      let expr = isToOne(built.rel) ? body : `coalesce(${body}, '[]'::json)`;
      // json has no equality: grouping by an embed groups by its jsonb, as PostgREST does.
      if (aggregated) {
        expr = `(${expr})::jsonb`;
        groupBy.push(expr);
      }
      selectList.push(`${expr} as ${ident(name)}`);
      outputNames.push(name);
    }
  }

  const embedBodies = new Map([...embeds].map(([k, v]) => [k, v.lateral]));
  for (const f of q.filters.get(path) ?? []) {
    where.push(filterSql({ sql, table, alias, embedBodies }, f));
  }

  const orderBy = (q.order.get(path) ?? []).map((t) => orderSql(lv, table, alias, embeds, t));
  const fromWhere = `from ${src.from} as ${a}${joins.map((j) => ` ${j}`).join("")}${
    where.length ? ` where ${where.join(" and ")}` : ""
  }`;
  let text = `select ${selectList.join(", ")} ${fromWhere}`;
  const grouping = groupBy.length ? ` group by ${groupBy.join(", ")}` : "";
  text += grouping;
  if (orderBy.length) text += ` order by ${orderBy.join(", ")}`;
  if (opts.paging) {
    const limit = opts.extraLimit?.limit ?? q.limit.get(path);
    const offset = opts.extraLimit?.offset ?? q.offset.get(path);
    if (limit !== undefined) text += ` limit ${sqlCount(limit)}`;
    if (offset !== undefined && offset > 0) text += ` offset ${sqlCount(offset)}`;
  }
  if (path === "" && lv.aliasClash) throw lv.aliasClash;
  return { text, fromWhere, groupBy: grouping, outputNames };
}

function orderSql(
  lv: Level,
  table: Table,
  alias: string,
  embeds: Map<string, EmbedInfo>,
  t: OrderTerm,
): string {
  let expr: string;
  if (t.relation !== undefined) {
    const e = embeds.get(t.relation);
    if (!e) {
      throw new RestError(
        400,
        "PGRST108",
        `'${t.relation}' is not an embedded resource in this request`,
        null,
        `Verify that '${t.relation}' is included in the 'select' query parameter.`,
      );
    }
    if (!isToOne(e.rel) || e.rel.junction || e.rel.computed) {
      throw new RestError(
        400,
        "PGRST118",
        `A related order on '${t.relation}' is not possible`,
        `'${table.name}' and '${t.relation}' do not form a many-to-one or one-to-one relationship`,
      );
    }
    const x = `o${lv.sql.next()}`;
    const cond = e.rel.pairs
      .map(([s, d]) => `${ident(x)}.${ident(d)} = ${ident(alias)}.${ident(s)}`)
      .join(" and ");
    const col = fieldSql(lv.sql, e.rel.target, x, t.field);
    expr = `(select ${col} from ${tableRef(e.rel.target)} as ${ident(x)} where ${cond})`;
  } else {
    expr = fieldSql(lv.sql, table, alias, t.field);
  }
  if (t.direction) expr += ` ${t.direction}`;
  if (t.nulls) expr += ` nulls ${t.nulls}`;
  return expr;
}

function buildEmbed(
  lv: Level,
  parent: Table,
  parentAlias: string,
  item: EmbedItem,
  parentPath: string,
): {
  join: string;
  rel: Relationship;
  lateral: string;
  targetAlias: string;
  outputNames: string[];
} {
  const rel = findRelationship(lv.cache, parent, item.name, item.hint);
  const toOne = isToOne(rel);
  const pa = ident(parentAlias);
  let cond: Array<(alias: string) => string>;
  let from = tableRef(rel.target);
  if (rel.computed) {
    // A computed relationship: the function called with the parent row.
    from = `${tableRef(rel.computed)}(${pa}::${tableRef(parent)})`;
    cond = [];
  } else if (rel.junction) {
    const j = rel.junction;
    const ja = ident(`j${lv.sql.next()}`);
    const on = [...j.sourcePairs.map(([jc, sc]) => `${ja}.${ident(jc)} = ${pa}.${ident(sc)}`)];
    cond = [
      (me) =>
        `exists (select 1 from ${tableRef(j.table)} as ${ja} where ${[
          ...on,
          ...j.targetPairs.map(([jc, tc]) => `${ja}.${ident(jc)} = ${me}.${ident(tc)}`),
        ].join(" and ")})`,
    ];
  } else {
    cond = rel.pairs.map(
      ([s, t]) =>
        (me: string) =>
          `${me}.${ident(t)} = ${pa}.${ident(s)}`,
    );
  }
  const child = buildRelation(
    lv,
    { table: rel.target, from, where: cond },
    item.children,
    pathJoin(parentPath, item.alias ?? item.name),
    { paging: true },
  );
  const lateral = `e${lv.sql.next()}`;
  const l = ident(lateral);
  const kind = item.inner ? "inner" : "left";
  if (item.spread) {
    if (!toOne) {
      throw new RestError(
        400,
        "PGRST119",
        `A spread operation on '${item.name}' is not possible`,
        `'${parent.name}' and '${item.name}' do not form a many-to-one or one-to-one relationship`,
      );
    }
    return {
      join: `${kind} join lateral (${child.text}) as ${l} on true`,
      rel,
      lateral,
      targetAlias: lateral,
      outputNames: child.outputNames,
    };
  }
  const inner = toOne
    ? `select row_to_json(_s) as body from (${child.text}) as _s`
    : `select json_agg(_s) as body from (${child.text}) as _s`;
  const on = item.inner && !toOne ? `${l}.body is not null` : "true";
  return {
    join: `${kind} join lateral (${inner}) as ${l} on ${on}`,
    rel,
    lateral,
    targetAlias: lateral,
    outputNames: [],
  };
}

export { buildPlannedCount, plannedRows, type ResponseShape, wrapRead } from "./wrap-read";
