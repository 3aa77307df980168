import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../shared/http";
import { RestError } from "./errors";
import { capLimit, type HandlerContext } from "./handle-table";
import { preferenceApplied } from "./prefer";
import { parseQuery, type ReadParams } from "./query-params";
import { parseJsonBody } from "./request";
import { appliedHeader, type ResultRow, respondRows, send, verdict } from "./respond";
import { buildRpc, chooseFunction, functionsNamed } from "./rpc";
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
  if (post) {
    const buf = await readBody(req, hc.maxBodyBytes);
    body = buf.toString("utf8").trim() === "" ? {} : parseJsonBody(buf);
    keys =
      typeof body === "object" && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
    q = parseQuery(url);
  } else {
    const argNames = new Set(overloads.flatMap((f) => f.params.map((p) => p.name)));
    q = parseQuery(url, (k) => argNames.has(k));
    keys = [...q.rpcArgs.keys()];
  }
  const fn = chooseFunction(overloads, schema, name, keys, post);
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
  if (stmt.result === "object") {
    const one = Number(row.page_total) === 1 ? (row.body ?? "[]").slice(1, -1) : "null";
    send(res, 200, one, {}, head);
    return;
  }
  send(res, 200, row.body ?? "null", {}, head);
}
