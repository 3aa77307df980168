import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../shared/http";
import { RestError } from "./errors";
import { capLimit, type HandlerContext, sendPlan } from "./handle-table";
import { preferenceApplied } from "./prefer";
import { parseQuery, type ReadParams } from "./query-params";
import { headerValue, parseJsonBody } from "./request";
import { appliedHeader, contentRange, type ResultRow, respondRows, send, verdict } from "./respond";
import { bodyKind, buildRpc, chooseFunction, functionsNamed } from "./rpc";
import { Sql } from "./sql";
import { runRequest } from "./transaction";

/** `POST|GET|HEAD /rpc/<name>`: picks the overload, calls it, answers like PostgREST. */
export async function handleRpc(
  hc: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  schema: string,
  name: string,
  method: string,
): Promise<void> {
  const head = method === "HEAD";
  const post = method === "POST";
  if (!post && method !== "GET" && !head) {
    throw new RestError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
  }
  const overloads = functionsNamed(hc.cache, schema, name);
  let body: unknown;
  let keys: string[];
  let q: ReadParams;
  const kind = bodyKind(headerValue(req, "content-type"));
  if (post) {
    const buf = await readBody(req, hc.maxBodyBytes);
    // text/plain, text/xml and octet-stream bodies go whole to a single unnamed parameter.
    if (kind === "json" || kind === "other") {
      body = buf.toString("utf8").trim() === "" ? {} : parseJsonBody(buf);
    } else {
      body = kind === "bytea" ? buf : buf.toString("utf8");
    }
    keys =
      typeof body === "object" && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body)
        ? Object.keys(body)
        : [];
    q = parseQuery(url, undefined, { aggregates: hc.aggregates });
  } else {
    const argNames = new Set(overloads.flatMap((f) => f.params.map((p) => p.name)));
    q = parseQuery(url, (k) => argNames.has(k), { aggregates: hc.aggregates });
    keys = [...q.rpcArgs.keys()];
  }
  const fn = chooseFunction(overloads, schema, name, keys, post, kind);
  if (fn.returnsSet) capLimit(q, hc.maxRows);
  const sql = new Sql();
  const stmt = buildRpc({
    cache: hc.cache,
    sql,
    fn,
    body,
    post,
    q,
    count: hc.prefer.count !== undefined,
    shape: head ? "none" : hc.media.shape,
  });
  // GET/HEAD, and calls to stable or immutable functions, run read-only (PostgREST).
  const readOnly = !post || fn.volatility !== "v";
  if (hc.media.plan) {
    await sendPlan(hc, res, { text: stmt.text, values: sql.params }, head);
    return;
  }
  const needsDecision = !readOnly || hc.prefer.tx === "rollback";
  const result = await runRequest(
    hc.pool,
    { ...hc.settings, readOnly },
    // A void call's result type follows the function's definition: never cache it.
    { text: stmt.text, values: sql.params, cacheable: stmt.result !== "void" },
    needsDecision
      ? (r) =>
          stmt.result === "array"
            ? verdict(r.rows[0] as ResultRow, hc.media, hc.prefer)
            : hc.prefer.tx === "rollback"
              ? "rollback"
              : "commit"
      : undefined,
  );
  if (stmt.result === "void") {
    send(res, 204, null, {}, head);
    return;
  }
  const row = result.rows[0] as ResultRow;
  if (stmt.result === "array") {
    const applied = appliedHeader(preferenceApplied(hc.prefer, "rpc"));
    respondRows(res, row, q.offset.get("") ?? 0, hc.media, head, applied);
    return;
  }
  // PostgREST sends Content-Range on every call result: one row, counted when asked.
  const range = contentRange(0, 1, row.total === undefined || row.total === null ? null : 1);
  if (stmt.result === "object") {
    const one = Number(row.page_total) === 1 ? (row.body ?? "[]").slice(1, -1) : "null";
    send(res, 200, one, { "content-range": range }, head);
    return;
  }
  send(res, 200, row.body ?? "null", { "content-range": range }, head);
}
