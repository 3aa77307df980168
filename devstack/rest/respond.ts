import type { ServerResponse } from "node:http";
import { RestError, singularityError } from "./errors";
import type { Preferences } from "./prefer";
import type { Media } from "./request";

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

/** The single row every statement returns. */
export interface ResultRow {
  page_total: string | number;
  body: string | null;
  total?: string | number | null;
}

/** Commit or roll back a write once its result is known (PostgREST's checks). */
export function verdict(
  row: ResultRow | undefined,
  media: Media,
  prefer: Preferences,
): "commit" | "rollback" {
  const n = Number(row?.page_total ?? 0);
  if (media.object && n !== 1) throw singularityError(n);
  if (prefer.handling === "strict" && prefer.maxAffected !== undefined && n > prefer.maxAffected) {
    throw new RestError(
      400,
      "PGRST124",
      "Query result exceeds max-affected preference constraint",
      `The query affects ${n} rows`,
    );
  }
  return prefer.tx === "rollback" ? "rollback" : "commit";
}

/** Writes a result as the client asked for it: JSON array, one object, or the CSV text. */
export function sendBody(
  res: ServerResponse,
  status: number,
  json: string,
  media: Media,
  headers: Record<string, string>,
  head: boolean,
): void {
  if (media.csv) {
    // The statement built the CSV text itself (wrapRead's csv shape).
    send(res, status, json, { ...headers, "content-type": "text/csv; charset=utf-8" }, head);
    return;
  }
  if (media.object) {
    send(
      res,
      status,
      json.slice(1, -1),
      { ...headers, "content-type": "application/vnd.pgrst.object+json; charset=utf-8" },
      head,
    );
    return;
  }
  send(res, status, json, headers, head);
}

/** Answers a read: 200 or 206, Content-Range, the body; or PGRST116 / PGRST103. */
export function respondRows(
  res: ServerResponse,
  row: ResultRow,
  offset: number,
  media: Media,
  head: boolean,
  extraHeaders: Record<string, string> = {},
): void {
  const n = Number(row.page_total);
  const total = row.total === undefined || row.total === null ? null : Number(row.total);
  if (media.object && n !== 1) throw singularityError(n);
  if (total !== null && offset > 0 && offset > total) {
    throw new RestError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      `An offset of ${offset} was requested, but there are only ${total} rows.`,
      null,
      { "content-range": `*/${total}` },
    );
  }
  const partial = total !== null && (offset > 0 || offset + n < total);
  sendBody(
    res,
    partial ? 206 : 200,
    row.body ?? "[]",
    media,
    { ...extraHeaders, "content-range": contentRange(offset, n, total) },
    head,
  );
}

/** `{"preference-applied": v}` when there is a value, else nothing. */
export function appliedHeader(value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { "preference-applied": value };
}
