import type { ServerResponse } from "node:http";
import type { RestError } from "./errors";

/** Writes PostgREST's error body with its status and headers. */
export function sendError(res: ServerResponse, err: RestError, head: boolean): void {
  const text = JSON.stringify(err.body());
  res.writeHead(err.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": head ? 0 : Buffer.byteLength(text),
    "proxy-status": `PostgREST; error=${err.code}`,
    ...err.headers,
  });
  res.end(head ? undefined : text);
}

/** Writes a success response; `body` null means no body. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | null,
  headers: Record<string, string>,
  head: boolean,
): void {
  const h: Record<string, string | number> = { ...headers };
  if (body !== null && !h["content-type"]) h["content-type"] = "application/json; charset=utf-8";
  h["content-length"] = body === null || head ? 0 : Buffer.byteLength(body);
  res.writeHead(status, h);
  res.end(head || body === null ? undefined : body);
}

/** `first-last/total`, `*​/total` for an empty page; total is `*` when not counted. */
export function contentRange(offset: number, pageTotal: number, total: number | null): string {
  const t = total === null ? "*" : String(total);
  if (pageTotal <= 0) return `*/${t}`;
  return `${offset}-${offset + pageTotal - 1}/${t}`;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** `Accept: text/csv`: a header line from the keys, then one line per row. */
export function toCsv(json: string): string {
  const rows = JSON.parse(json) as Array<Record<string, unknown>>;
  const first = rows[0];
  if (!first) return "";
  const keys = Object.keys(first);
  const lines = [keys.map(csvCell).join(",")];
  for (const r of rows) lines.push(keys.map((k) => csvCell(r[k])).join(","));
  return lines.join("\n");
}
