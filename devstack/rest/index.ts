import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { DevstackContext, MountedService } from "../shared/context";
import { BodyTooLargeError, readBody } from "../shared/http";
import { buildMutation } from "./build-mutation";
import { assertEmbedded, buildRelation, type ResponseShape, wrapRead } from "./build-select";
import { invalidBody, RestError, singularityError, tableNotFound, toRestError } from "./errors";
import { JwtVerifier } from "./jwt";
import { type Preferences, parsePrefer } from "./prefer";
import { parseQuery } from "./query-params";
import { contentRange, send, sendError, toCsv } from "./respond";
import { buildRpc, chooseFunction, functionsNamed } from "./rpc";
import { loadSchemaCache, qname, type SchemaCache } from "./schema-cache";
import { SchemaListener } from "./schema-listener";
import { Sql } from "./sql";
import { type RequestSettings, runRequest } from "./transaction";

export type RestService = MountedService & {
  /** Re-reads tables, keys and functions; call after migrations. */
  reloadSchema(): Promise<void>;
  close(): Promise<void>;
};

type Media = { shape: ResponseShape; csv: boolean; object: boolean };

/** Content negotiation on `Accept`, or PGRST107. */
function negotiate(accept: string | undefined): Media {
  if (!accept) return { shape: "array", csv: false, object: false };
  for (const raw of accept.split(",")) {
    const m = raw.trim().toLowerCase();
    const [type, ...params] = m.split(";").map((x) => x.trim());
    const stripped = params.includes("nulls=stripped");
    if (type === "application/vnd.pgrst.object+json" || type === "application/vnd.pgrst.object") {
      return { shape: stripped ? "stripped-object" : "object", csv: false, object: true };
    }
    if (type === "application/vnd.pgrst.array+json") {
      return { shape: stripped ? "stripped-array" : "array", csv: false, object: false };
    }
    if (type === "application/json" || type === "*/*" || type === "application/*") {
      return { shape: "array", csv: false, object: false };
    }
    if (type === "text/csv") return { shape: "array", csv: true, object: false };
  }
  throw new RestError(406, "PGRST107", `None of these media types are available: ${accept}`);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function cookiesOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (headerValue(req, "cookie") ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function parseJsonBody(buf: Buffer): unknown {
  const text = buf.toString("utf8");
  if (text.trim() === "") throw invalidBody("Empty or invalid json");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidBody("Empty or invalid json");
  }
}

/** `Range: 0-9` (items), used when the query string has no limit/offset. */
function rangeHeader(req: IncomingMessage): { offset: number; limit?: number } | undefined {
  const m = /^(?:items=)?(\d+)-(\d*)$/.exec((headerValue(req, "range") ?? "").trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  if (!m[2]) return { offset: from };
  const to = Number(m[2]);
  if (to < from) {
    throw new RestError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      "The lower boundary must be lower than or equal to the upper boundary in the Range header.",
    );
  }
  return { offset: from, limit: to - from + 1 };
}

interface Row {
  page_total: string | number;
  body: string | null;
  total?: string | number | null;
}

/** Creates the `/rest/v1` service: PostgREST's API over the exposed schemas. */
export async function createRestService(ctx: DevstackContext): Promise<RestService> {
  const schemas = ctx.config.rest.schemas;
  let cache: SchemaCache = await loadSchemaCache(ctx.adminPool, schemas);
  let reloading: Promise<void> = Promise.resolve();
  const reloadSchema = (): Promise<void> => {
    reloading = reloading
      .catch(() => {})
      .then(async () => {
        cache = await loadSchemaCache(ctx.adminPool, schemas);
      });
    return reloading;
  };
  const listener = new SchemaListener(ctx.adminPool, ctx.log, () => {
    reloadSchema().catch((e: Error) => ctx.log(`rest: schema reload failed: ${e.message}`));
  });
  await listener.start();
  const verifier = new JwtVerifier(ctx.config.jwtSecret);
  const pool: pg.Pool = ctx.restPool;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: URL,
  ): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const head = method === "HEAD";
    let authed = false;
    try {
      // Authentication: the bearer token, else the apikey header; none at all is anon.
      const auth = headerValue(req, "authorization");
      let token: string | undefined;
      if (auth !== undefined) {
        const m = /^bearer\s*(.*)$/i.exec(auth.trim());
        if (m) token = (m[1] ?? "").trim();
      }
      token ??= headerValue(req, "apikey");
      let claims: Record<string, unknown> = {};
      if (token !== undefined) claims = await verifier.verify(token);
      const role = typeof claims.role === "string" && claims.role ? claims.role : "anon";
      authed = role !== "anon";

      const write = !["GET", "HEAD"].includes(method);
      const profile = headerValue(req, write ? "content-profile" : "accept-profile");
      const schema = profile ?? schemas[0] ?? "public";
      if (!schemas.includes(schema)) {
        throw new RestError(
          406,
          "PGRST106",
          `Invalid schema: ${schema}`,
          null,
          `Only the following schemas are exposed: ${schemas.join(", ")}`,
        );
      }
      const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
      const media = negotiate(headerValue(req, "accept"));
      const prefer = parsePrefer(req.headers.prefer);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      }
      const settings: RequestSettings = {
        searchPath: [schema, "extensions"].map((s) => `"${s.replaceAll('"', '""')}"`).join(", "),
        role,
        claims: JSON.stringify({ ...claims, role }),
        method,
        path,
        headers: JSON.stringify(headers),
        cookies: JSON.stringify(cookiesOf(req)),
        readOnly: !write,
      };
      const current = cache;
      const timeout = current.roleTimeouts.get(role);
      if (timeout !== undefined) settings.statementTimeout = timeout;

      if (segments.length === 2 && segments[0] === "rpc" && segments[1]) {
        await handleRpc(
          req,
          res,
          url,
          current,
          schema,
          segments[1],
          settings,
          media,
          prefer,
          method,
        );
        return;
      }
      if (segments.length !== 1 || !segments[0]) {
        if (segments.length === 0 && method === "GET") {
          send(res, 200, JSON.stringify(openApiStub(current, schema)), {}, head);
          return;
        }
        throw new RestError(404, "PGRST125", "Invalid path specified in request URL");
      }
      const table = current.tables.get(qname(schema, segments[0]));
      if (!table) throw tableNotFound(schema, segments[0], null);

      if (method === "GET" || method === "HEAD") {
        const q = parseQuery(url);
        const range = rangeHeader(req);
        if (range && !q.limit.has("") && !q.offset.has("")) {
          if (range.limit !== undefined) q.limit.set("", range.limit);
          q.offset.set("", range.offset);
        }
        const sql = new Sql();
        const visited = new Set<string>();
        const root = buildRelation(
          { cache: current, sql, q, visited },
          { table, from: tableRefOf(table) },
          q.select,
          "",
          {
            paging: true,
          },
        );
        assertEmbedded(q, visited);
        const text = wrapRead(root, sql, {
          count: prefer.count !== undefined,
          shape: head ? "none" : media.shape,
        });
        const result = await runRequest(pool, settings, {
          text,
          values: sql.params,
          cacheable: true,
        });
        respondRows(res, result.rows[0] as Row, q.offset.get("") ?? 0, media, prefer, head, 200);
        return;
      }

      if (method === "POST" || method === "PATCH" || method === "DELETE") {
        const body =
          method === "DELETE"
            ? undefined
            : parseJsonBody(await readBody(req, ctx.config.rest.maxBodyBytes));
        const q = parseQuery(url);
        const sql = new Sql();
        const representation = prefer.return === "representation";
        const text = buildMutation({
          cache: current,
          sql,
          table,
          method,
          body,
          q,
          prefer,
          representation,
          shape: media.shape,
        });
        const status = method === "POST" ? 201 : representation ? 200 : 204;
        if (text === null) {
          send(res, status, representation ? "[]" : null, { "content-range": "*/0" }, false);
          return;
        }
        const result = await runRequest(
          pool,
          settings,
          { text, values: sql.params, cacheable: true },
          (r) => verdict(r.rows[0] as Row, media, prefer),
        );
        const row = result.rows[0] as Row;
        const n = Number(row.page_total);
        const range =
          method === "POST"
            ? `*/${prefer.count ? n : "*"}`
            : contentRange(0, n, prefer.count ? n : null);
        if (!representation) {
          send(res, status, null, { "content-range": range }, false);
          return;
        }
        sendBody(res, status, row.body ?? "[]", media, { "content-range": range }, false);
        return;
      }
      throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        sendError(
          res,
          new RestError(
            413,
            "PGRST413",
            "Payload Too Large",
            `The request body exceeds ${e.limit} bytes`,
          ),
          head,
        );
        return;
      }
      const err = toRestError(e, authed);
      if (err.status >= 500) ctx.log(`rest: ${method} ${path}: ${(e as Error).stack ?? e}`);
      sendError(res, err, head);
    }
  }

  async function handleRpc(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    current: SchemaCache,
    schema: string,
    name: string,
    settings: RequestSettings,
    media: Media,
    prefer: Preferences,
    method: string,
  ): Promise<void> {
    const head = method === "HEAD";
    const overloads = functionsNamed(current, schema, name);
    const post = method === "POST";
    if (!post && method !== "GET" && method !== "HEAD") {
      throw new RestError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
    }
    let body: unknown;
    let keys: string[];
    let q: ReturnType<typeof parseQuery>;
    if (post) {
      const buf = await readBody(req, ctx.config.rest.maxBodyBytes);
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
    const sql = new Sql();
    const stmt = buildRpc({
      cache: current,
      sql,
      fn,
      body,
      post,
      q,
      count: prefer.count !== undefined,
      shape: head ? "none" : media.shape,
    });
    const readOnly = !post || fn.volatility !== "v";
    const s = { ...settings, readOnly };
    const result = await runRequest(
      pool,
      s,
      // A void call's result type follows the function's definition: never cache it.
      { text: stmt.text, values: sql.params, cacheable: stmt.result !== "void" },
      readOnly && prefer.tx !== "rollback"
        ? undefined
        : (r) =>
            stmt.result === "array"
              ? verdict(r.rows[0] as Row, media, prefer)
              : prefer.tx === "rollback"
                ? "rollback"
                : "commit",
    );
    if (stmt.result === "void") {
      send(res, 204, null, {}, head);
      return;
    }
    const row = result.rows[0] as Row;
    if (stmt.result === "array") {
      respondRows(res, row, q.offset.get("") ?? 0, media, prefer, head, 200);
      return;
    }
    if (stmt.result === "object") {
      const arr = row.body ?? "[]";
      const one = Number(row.page_total) === 1 ? arr.slice(1, -1) : "null";
      send(res, 200, one, {}, head);
      return;
    }
    send(res, 200, row.body ?? "null", {}, head);
  }

  return {
    handle,
    reloadSchema,
    close: async () => {
      await listener.stop();
    },
  };
}

function tableRefOf(t: { schema: string; name: string }): string {
  return `"${t.schema.replaceAll('"', '""')}"."${t.name.replaceAll('"', '""')}"`;
}

/** Commit or roll back a write once its result is known (PostgREST's checks). */
function verdict(row: Row | undefined, media: Media, prefer: Preferences): "commit" | "rollback" {
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

function sendBody(
  res: ServerResponse,
  status: number,
  json: string,
  media: Media,
  headers: Record<string, string>,
  head: boolean,
): void {
  if (media.csv) {
    send(res, status, toCsv(json), { ...headers, "content-type": "text/csv; charset=utf-8" }, head);
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

/** Answers a read: status 200/206, Content-Range, the body or PGRST116/PGRST103. */
function respondRows(
  res: ServerResponse,
  row: Row,
  offset: number,
  media: Media,
  prefer: Preferences,
  head: boolean,
  okStatus: number,
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
  const status = partial ? 206 : okStatus;
  void prefer;
  sendBody(
    res,
    status,
    row.body ?? "[]",
    media,
    { "content-range": contentRange(offset, n, total) },
    head,
  );
}

/** `GET /`: PostgREST serves an OpenAPI description; this names the exposed relations. */
function openApiStub(cache: SchemaCache, schema: string): Record<string, unknown> {
  const paths: Record<string, object> = { "/": {} };
  for (const t of cache.tables.values()) if (t.schema === schema) paths[`/${t.name}`] = {};
  return { swagger: "2.0", info: { title: "devstack REST", version: "devstack" }, paths };
}
