/**
 * The floor for `npm run bench:devstack`: a do-nothing HTTP server, in its own process like the
 * gateway, that answers with the very statement the gateway would run (built once, at start, by
 * the gateway's own builder) through the same one-round-trip transaction. No URL grammar, no JWT,
 * no schema lookup, no CORS. The gateway's latency minus this one is what the gateway's own code
 * costs; this one minus the direct query is what any HTTP hop in front of Postgres costs here.
 *
 * Serves `GET /<table>?<query string>` for the query strings it was started with (argv, JSON list);
 * the last number in the query string is the parameter. Prints `{"port": n}` once listening.
 */
import http from "node:http";
import pg from "pg";
import { buildRelation, wrapRead } from "../../devstack/rest/build-select";
import { capLimit } from "../../devstack/rest/handle-table";
import { parseQuery } from "../../devstack/rest/query-params";
import { loadSchemaCache } from "../../devstack/rest/schema-cache";
import { Sql, tableRef } from "../../devstack/rest/sql";
import { type RequestSettings, runRequest } from "../../devstack/rest/transaction";
import { devstackEnv } from "./devstack-env";

async function main(): Promise<void> {
  const env = devstackEnv();
  const table = process.argv[2] ?? "";
  const queries = JSON.parse(process.argv[3] ?? "[]") as string[];
  const admin = new pg.Pool({ connectionString: env.DB_URL, max: 1 });
  const cache = await loadSchemaCache(admin, ["public"]);
  await admin.end();
  const t = cache.tables.get(`public.${table}`);
  if (!t) throw new Error(`no table public.${table}`);

  // One statement per query shape; the shape is the query string with its number blanked out.
  const statements = new Map<string, string>();
  for (const qs of queries) {
    const q = parseQuery(new URL(`http://x/${table}?${qs}`));
    capLimit(q, 1000);
    const root = buildRelation(
      { cache, sql: new Sql(), q },
      { table: t, from: tableRef(t) },
      q.select,
      "",
      {
        paging: true,
      },
    );
    statements.set(qs.replace(/\d+/, "N"), wrapRead(root, { count: false, shape: "array" }));
  }

  const url = new URL(env.DB_URL);
  url.username = "authenticator";
  url.password = "postgres";
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  const server = http.createServer(async (req, res) => {
    const qs = (req.url ?? "").split("?")[1] ?? "";
    const text = statements.get(qs.replace(/\d+/, "N"));
    const param = /\d+/.exec(qs)?.[0];
    if (!text || param === undefined) {
      res.writeHead(404).end();
      return;
    }
    const settings: RequestSettings = {
      searchPath: '"public", "extensions"',
      role: "service_role",
      claims: '{"role":"service_role"}',
      method: "GET",
      path: `/${table}`,
      headers: JSON.stringify(req.headers),
      cookies: "{}",
      readOnly: true,
    };
    try {
      const r = await runRequest(pool, settings, { text, values: [param], cacheable: true });
      const body = String((r.rows[0] as { body: string }).body);
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
  });
  process.on("SIGTERM", () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(`bench floor server: ${(err as Error).message}`);
  process.exit(1);
});
