import type { IncomingMessage, ServerResponse } from "node:http";
import type { DevstackContext, MountedService } from "../shared/context";
import { BodyTooLargeError } from "../shared/http";
import { RestError, tableNotFound, toRestError } from "./errors";
import { handleRpc } from "./handle-rpc";
import { type HandlerContext, readTable, writeTable } from "./handle-table";
import { JwtVerifier } from "./jwt";
import { parsePrefer } from "./prefer";
import {
  cookiesJson,
  headersJson,
  headerValue,
  negotiate,
  pathSegments,
  requestToken,
} from "./request";
import { send, sendError } from "./respond";
import { loadSchemaCache, qname, type SchemaCache } from "./schema-cache";
import { SchemaListener } from "./schema-listener";
import { ident } from "./sql";
import type { RequestSettings } from "./transaction";

/**
 * The `/rest/v1` service: PostgREST's API (the subset postgrest-js emits) over the exposed
 * schemas, one transaction per request on the `authenticator` pool. See docs/devstack-rest.md.
 */
export type RestService = MountedService & {
  /** Re-reads tables, keys and functions (after anything changes the schema at run time). */
  reloadSchema(): Promise<void>;
  close(): Promise<void>;
};

/** Supabase's default `[api] max_rows`, which this project's supabase/config.toml keeps. */
export const DEFAULT_MAX_ROWS = 1000;

/** Creates the `/rest/v1` service; `path` in `handle` is what follows `/rest/v1`. */
export async function createRestService(ctx: DevstackContext): Promise<RestService> {
  const schemas = ctx.config.rest.schemas;
  let cache: SchemaCache = await loadSchemaCache(ctx.adminPool, schemas);
  // Reloads run one at a time. Notifications that arrive while one is running share a single
  // next reload (it starts after them, so it sees their DDL): with many clients notifying at once
  // (the integration files in parallel) the queue stays one deep instead of one reload each.
  let reloading: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const reloadSchema = (): Promise<void> => {
    if (queued) return queued;
    const next = reloading
      .catch(() => {})
      .then(async () => {
        queued = null;
        cache = await loadSchemaCache(ctx.adminPool, schemas);
      });
    queued = next;
    reloading = next;
    return next;
  };
  const listener = new SchemaListener(ctx.adminPool, ctx.log, () => {
    reloadSchema().catch((e: Error) => ctx.log(`rest: schema reload failed: ${e.message}`));
  });
  await listener.start();
  const verifier = new JwtVerifier(ctx.config.jwtSecret, ctx.config.auth.signingKeys);
  // supabase/config.toml sets `max_rows = 1000`; config.rest may carry its own value.
  const maxRows = ctx.config.rest.maxRows ?? DEFAULT_MAX_ROWS;

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
      // The role comes from the verified token; no token at all is anon. A bad token is a 401.
      const token = requestToken(req);
      const claims: Record<string, unknown> =
        token === undefined ? {} : await verifier.verify(token);
      const role = typeof claims.role === "string" && claims.role ? claims.role : "anon";
      authed = role !== "anon";

      const write = method !== "GET" && method !== "HEAD";
      const schema =
        headerValue(req, write ? "content-profile" : "accept-profile") ?? schemas[0] ?? "public";
      if (!schemas.includes(schema)) {
        throw new RestError(
          406,
          "PGRST106",
          `Invalid schema: ${schema}`,
          null,
          `Only the following schemas are exposed: ${schemas.join(", ")}`,
        );
      }
      const segments = pathSegments(path);
      const current = cache;
      const settings: RequestSettings = {
        // PostgREST: the request's schema, then db-extra-search-path (`[api] extra_search_path`).
        searchPath: [schema, ...ctx.config.rest.extraSearchPath].map(ident).join(", "),
        role,
        claims: JSON.stringify({ ...claims, role }),
        method,
        path,
        headers: headersJson(req),
        cookies: cookiesJson(req),
        readOnly: !write,
      };
      const timeout = current.roleTimeouts.get(role);
      if (timeout !== undefined) settings.statementTimeout = timeout;
      const hc: HandlerContext = {
        pool: ctx.restPool,
        cache: current,
        settings,
        aggregates: switchOn(
          current,
          "pgrst.db_aggregates_enabled",
          ctx.config.rest.aggregatesEnabled,
        ),
        media: negotiate(
          headerValue(req, "accept"),
          switchOn(current, "pgrst.db_plan_enabled", ctx.config.rest.planEnabled),
        ),
        prefer: parsePrefer(req.headers.prefer),
        maxBodyBytes: ctx.config.rest.maxBodyBytes,
        maxRows,
      };

      const [first, second] = segments;
      if (segments.length === 2 && first === "rpc" && second) {
        await handleRpc(hc, req, res, url, schema, second, method);
        return;
      }
      if (segments.length === 0 && method === "GET") {
        send(res, 200, JSON.stringify(rootDescription(current, schema)), {}, false);
        return;
      }
      if (segments.length !== 1 || !first) {
        throw new RestError(404, "PGRST125", "Invalid path specified in request URL");
      }
      const table = current.tables.get(qname(schema, first));
      if (!table) throw tableNotFound(schema, first, null);
      if (write) await writeTable(hc, req, res, url, table, method);
      else await readTable(hc, req, res, url, table, head);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        const tooLarge = new RestError(
          413,
          "PGRST413",
          "Payload Too Large",
          `The request body exceeds ${e.limit} bytes`,
        );
        sendError(res, tooLarge, head);
        return;
      }
      const err = toRestError(e, authed);
      if (err.status >= 500) ctx.log(`rest: ${method} ${path}: ${(e as Error).stack ?? e}`);
      sendError(res, err, head);
    }
  }

  return {
    handle,
    reloadSchema,
    close: async () => {
      await listener.stop();
    },
  };
}

/**
 * A boolean PostgREST setting: the in-database value (`alter role authenticator set pgrst.…`,
 * read with the schema cache) wins over the devstack's configuration, as in PostgREST.
 */
function switchOn(cache: SchemaCache, key: string, configured: boolean): boolean {
  const v = cache.dbConfig.get(key)?.trim().toLowerCase();
  if (v === undefined) return configured;
  return v === "true" || v === "on" || v === "yes" || v === "1";
}

/** `GET /`: PostgREST serves an OpenAPI description; this names the exposed relations. */
function rootDescription(cache: SchemaCache, schema: string): Record<string, unknown> {
  const paths: Record<string, object> = { "/": {} };
  for (const t of cache.tables.values()) if (t.schema === schema) paths[`/${t.name}`] = {};
  return { swagger: "2.0", info: { title: "devstack REST", version: "devstack" }, paths };
}
