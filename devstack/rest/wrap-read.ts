import { type BuiltRelation, buildRelation, type RelationSource } from "./build-select";
import type { ReadParams } from "./query-params";
import type { SchemaCache } from "./schema-cache";
import { Sql } from "./sql";

/**
 * The top statement of every read and write: one row with `page_total`, `body` (JSON or CSV
 * text, as PostgREST's handlers build it) and `total`; and the EXPLAIN behind `count=planned`.
 */

export type ResponseShape =
  | "array"
  | "object"
  | "stripped-array"
  | "stripped-object"
  | "csv"
  | "none";

/**
 * CSV as PostgREST builds it (`asCsvF`): a header of the first row's keys, unquoted, then each
 * row's Postgres record text without its parentheses (so values are quoted as Postgres quotes
 * record fields: anything with a comma, quote, space, parenthesis or backslash, and "" for an
 * empty string; NULL is nothing). No rows is a lone newline.
 */
const CSV_BODY =
  "(select coalesce(string_agg(_pgrst_k, ','), '') from json_object_keys(json_agg(_pgrst_t)->0) as _pgrst_k)" +
  " || E'\\n' || coalesce(string_agg(substring(_pgrst_t::text, 2, length(_pgrst_t::text) - 2), E'\\n'), '')";

/**
 * The top statement of a read: one row with `page_total`, `body` (the JSON text) and, when a count
 * was asked for, `total` (rows matching the filters, ignoring limit/offset).
 */
export function wrapRead(
  root: BuiltRelation,
  opts: { count: boolean; shape: ResponseShape; prefix?: string; total?: string },
): string {
  const row = opts.shape.startsWith("stripped")
    ? "json_strip_nulls(row_to_json(_pgrst_t))"
    : "_pgrst_t";
  const body =
    opts.shape === "none"
      ? "null::text"
      : opts.shape === "csv"
        ? CSV_BODY
        : `coalesce(json_agg(${row}), '[]')::text`;
  const total = opts.total
    ? `, ${opts.total} as total`
    : opts.count
      ? root.groupBy
        ? `, (select count(*) from (select 1 ${root.fromWhere}${root.groupBy}) as _pgrst_g) as total`
        : `, (select count(*) ${root.fromWhere}) as total`
      : "";
  return `${opts.prefix ?? ""}select count(_pgrst_t) as page_total, ${body} as body${total} from (${root.text}) as _pgrst_t`;
}

/**
 * `Prefer: count=planned`: an EXPLAIN of the read's FROM/WHERE (embeds included, so `!inner`
 * counts), whose top "Plan Rows" is the planner's estimate. Built with its own parameters so
 * every parameter it carries is referenced.
 */
export function buildPlannedCount(
  cache: SchemaCache,
  q: ReadParams,
  src: RelationSource,
): { text: string; values: unknown[] } {
  const sql = new Sql();
  const q2: ReadParams = { ...q, order: new Map([...q.order].filter(([k]) => k !== "")) };
  const embeds = q.select.filter((i) => i.kind === "embed");
  const root = buildRelation({ cache, sql, q: q2 }, src, embeds, "", { paging: false });
  return { text: `explain (format json) select 1 ${root.fromWhere}`, values: sql.params };
}

/** The planner's row estimate from an EXPLAIN (FORMAT JSON) result row. */
export function plannedRows(row: Record<string, unknown> | undefined): number | null {
  const plan = row?.["QUERY PLAN"];
  const parsed = typeof plan === "string" ? (JSON.parse(plan) as unknown) : plan;
  const rows = (parsed as Array<{ Plan?: { "Plan Rows"?: number } }> | undefined)?.[0]?.Plan?.[
    "Plan Rows"
  ];
  return typeof rows === "number" ? rows : null;
}
