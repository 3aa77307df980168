import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { readBody } from "../shared/http";
import { buildMutation } from "./build-mutation";
import {
  assertEmbedded,
  buildPlannedCount,
  buildRelation,
  plannedRows,
  wrapRead,
} from "./build-select";
import { RestError } from "./errors";
import { type Preferences, preferenceApplied } from "./prefer";
import { parseQuery } from "./query-params";
import { type Media, parseJsonBody, planContentType, rangeHeader } from "./request";
import {
  appliedHeader,
  contentRange,
  type ResultRow,
  respondRows,
  send,
  sendBody,
  verdict,
} from "./respond";
import type { SchemaCache, Table } from "./schema-cache";
import { Sql, tableRef } from "./sql";
import { type RequestSettings, runRequest, runStatements, type Statement } from "./transaction";

/** What a table or RPC handler needs besides the request. */
export interface HandlerContext {
  pool: pg.Pool;
  cache: SchemaCache;
  settings: RequestSettings;
  media: Media;
  prefer: Preferences;
  maxBodyBytes: number;
  /** PostgREST's db-max-rows (`max_rows` in supabase/config.toml): the most rows a read returns. */
  maxRows: number;
  /** PostgREST's db-aggregates-enabled. */
  aggregates: boolean;
}

/** Caps the root limit at max-rows, as PostgREST's db-max-rows does. */
export function capLimit(q: { limit: Map<string, number> }, maxRows: number): void {
  const limit = q.limit.get("");
  if (limit === undefined || limit > maxRows) q.limit.set("", maxRows);
}

/** GET/HEAD on a table or view: select, embeds, filters, order, paging, count. */
export async function readTable(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  table: Table,
  head: boolean,
): Promise<void> {
  const q = parseQuery(url, undefined, { aggregates: hc.aggregates });
  const range = rangeHeader(req);
  if (range && !q.limit.has("") && !q.offset.has("")) {
    if (range.limit !== undefined) q.limit.set("", range.limit);
    q.offset.set("", range.offset);
  }
  capLimit(q, hc.maxRows);
  const sql = new Sql();
  const visited = new Set<string>();
  const root = buildRelation(
    { cache: hc.cache, sql, q, visited },
    { table, from: tableRef(table) },
    q.select,
    "",
    { paging: true },
  );
  assertEmbedded(q, visited);
  const count = hc.prefer.count;
  const text = wrapRead(root, {
    count: count === "exact" || count === "estimated",
    shape: head ? "none" : hc.media.shape,
  });
  if (hc.media.plan) {
    await sendPlan(hc, res, { text, values: sql.params }, head);
    return;
  }
  const statements: Statement[] = [{ text, values: sql.params, cacheable: true }];
  // planned: the planner's estimate; estimated: exact up to max-rows, the estimate beyond.
  if (count === "planned" || count === "estimated") {
    statements.push(buildPlannedCount(hc.cache, q, { table, from: tableRef(table) }));
  }
  const [main, explain] = await runStatements(hc.pool, hc.settings, statements);
  let row = main?.rows[0] as ResultRow;
  if (explain) {
    const planned = plannedRows(explain.rows[0]);
    if (count === "planned" || Number(row.total) > hc.maxRows) row = { ...row, total: planned };
  }
  const applied = appliedHeader(preferenceApplied(hc.prefer, "read"));
  respondRows(res, row, q.offset.get("") ?? 0, hc.media, head, applied);
}

/** POST (insert/upsert), PATCH (update) and DELETE on a table or view. */
export async function writeTable(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  table: Table,
  method: string,
): Promise<void> {
  if (method !== "POST" && method !== "PATCH" && method !== "DELETE") {
    throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
  }
  const body =
    method === "DELETE" ? undefined : parseJsonBody(await readBody(req, hc.maxBodyBytes));
  const q = parseQuery(url, undefined, { aggregates: hc.aggregates });
  const sql = new Sql();
  const representation = hc.prefer.return === "representation";
  const text = buildMutation({
    cache: hc.cache,
    sql,
    table,
    method,
    body,
    q,
    prefer: hc.prefer,
    representation,
    shape: hc.media.shape,
  });
  let status = method === "POST" ? 201 : representation ? 200 : 204;
  const scope = method === "POST" ? "insert" : method === "PATCH" ? "update" : "delete";
  const conflictTarget = q.onConflict !== undefined || table.primaryKey.length > 0;
  const applied = appliedHeader(preferenceApplied(hc.prefer, scope, conflictTarget));
  if (text === null) {
    send(res, status, representation ? "[]" : null, { ...applied, "content-range": "*/0" }, false);
    return;
  }
  if (hc.media.plan) {
    // EXPLAIN of the write (it runs only with options=analyze, and then commits as PostgREST
    // does unless tx=rollback is honoured by the client's own request).
    await sendPlan(hc, res, { text, values: sql.params }, false);
    return;
  }
  const result = await runRequest(
    hc.pool,
    hc.settings,
    { text, values: sql.params, cacheable: true },
    (r) => verdict(r.rows[0] as ResultRow, hc.media, hc.prefer),
  );
  const row = result.rows[0] as ResultRow;
  const n = Number(row.page_total);
  // PostgREST: a merge-duplicates upsert that inserted nothing (every row updated) is 200.
  if (method === "POST" && hc.prefer.resolution === "merge-duplicates" && Number(row.total) <= 0) {
    status = 200;
  }
  const counted = hc.prefer.count !== undefined;
  // PostgREST: inserts and deletes answer `*/total`, updates `0-(n-1)/total`.
  const range =
    method === "PATCH" ? contentRange(0, n, counted ? n : null) : `*/${counted ? n : "*"}`;
  const headers = { ...applied, "content-range": range };
  if (!representation) {
    send(res, status, null, headers, false);
    return;
  }
  sendBody(res, status, row.body ?? "[]", hc.media, headers, false);
}

/**
 * `.explain()` (db-plan-enabled): EXPLAIN of the statement the request would run, in the same
 * request transaction, answered as PostgREST does (the plan rows, one per line).
 */
export async function sendPlan(
  hc: HandlerContext,
  res: ServerResponse,
  stmt: { text: string; values: unknown[] },
  head: boolean,
): Promise<void> {
  const plan = hc.media.plan;
  if (!plan) return;
  const opts = [`format ${plan.format}`, ...plan.options].join(", ");
  const [result] = await runStatements(hc.pool, hc.settings, [
    { text: `explain (${opts}) ${stmt.text}`, values: stmt.values },
  ]);
  const lines = (result?.rows ?? []).map((r: Record<string, unknown>) => {
    const v = r["QUERY PLAN"];
    return typeof v === "string" ? v : JSON.stringify(v);
  });
  send(res, 200, `${lines.join("\n")}\n`, { "content-type": planContentType(plan) }, head);
}
