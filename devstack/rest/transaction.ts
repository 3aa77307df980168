import { createHash } from "node:crypto";
import pg from "pg";

/**
 * One REST request = one transaction on the `authenticator` pool, like PostgREST:
 * `set_config('role', …, true)`, `request.jwt.claims`, `request.method`, `request.path`,
 * `request.headers`, `request.cookies` (all transaction-local), then the statement.
 *
 * The settings and the statement go to Postgres in one pipeline (one network round trip): with
 * the extended protocol, statements before a Sync share one implicit transaction, so reads cost
 * one round trip. Writes open an explicit transaction in the same pipeline and end it with COMMIT
 * or ROLLBACK once the caller has seen the result (`.single()`, `tx=rollback`, max-affected).
 */
export interface RequestSettings {
  searchPath: string;
  role: string;
  claims: string;
  method: string;
  path: string;
  headers: string;
  cookies: string;
  readOnly: boolean;
  /** The role's own statement_timeout, if it has one. */
  statementTimeout?: string;
}

export interface Statement {
  text: string;
  values: unknown[];
  /**
   * Prepare it once per connection and reuse it. Only for statements whose result columns never
   * change (the wrapped reads and writes: page_total, body, total), so a schema change can never
   * make a cached plan "change result type".
   */
  cacheable?: boolean;
}

const SETUP_NAME = "pgrst_setup";
const SETUP_SQL =
  "select set_config('search_path', $1, true), set_config('role', $2, true), " +
  "set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true), " +
  "set_config('request.path', $5, true), set_config('request.headers', $6, true), " +
  "set_config('request.cookies', $7, true), set_config('transaction_read_only', $8, true), " +
  "set_config('statement_timeout', coalesce($9, current_setting('statement_timeout')), true)";

/** A value as Postgres text: arrays become array literals, objects JSON. */
export function toPgText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) {
    const items = v.map((x) => {
      if (x === null || x === undefined) return "NULL";
      const s = typeof x === "string" ? x : String(x);
      return `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
    });
    return `{${items.join(",")}}`;
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

interface ProtocolConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parse(q: { text: string; name: string; types: number[] }, more?: boolean): void;
  bind(
    c: { portal: string; statement: string; values: Array<string | null> },
    more?: boolean,
  ): void;
  describe(c: { type: "P"; name: string }, more?: boolean): void;
  execute(c: { portal: string; rows: number }, more?: boolean): void;
  sync(): void;
}

interface PipelineStep {
  text: string;
  /** Prepare once per connection and reuse (the setup statement, cacheable main statements). */
  prepare?: boolean;
  values: Array<string | null>;
}

/** Statements prepared on each connection, by name. */
const preparedOn = new WeakMap<object, Set<string>>();
/** Beyond this many statements per connection, new ones run unnamed. */
const MAX_PREPARED = 500;

/** Names already derived, so a hot statement costs a map lookup instead of a hash. */
const names = new Map<string, string>();

function statementName(text: string): string {
  if (text === SETUP_SQL) return SETUP_NAME;
  let name = names.get(text);
  if (name === undefined) {
    name = `pgrst_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

/**
 * A pg Query that sends several statements before one Sync. Names it parses for the first time
 * are reported through `parsed` so the caller can record them once the pipeline succeeded, or
 * drop them (they may or may not exist) when it failed.
 */
class Pipeline extends pg.Query {
  readonly parsed: string[] = [];
  connection: object | undefined;

  constructor(steps: PipelineStep[], callback: (err: Error | undefined, res: unknown) => void) {
    super({ text: "pipeline" }, callback);
    this.submit = (connection) => {
      const con = connection as unknown as ProtocolConnection;
      this.connection = con;
      const known = preparedOn.get(con) ?? new Set<string>();
      preparedOn.set(con, known);
      con.stream.cork?.();
      try {
        for (const s of steps) {
          let name = "";
          if (s.prepare) {
            const candidate = statementName(s.text);
            if (known.has(candidate)) name = candidate;
            else if (known.size < MAX_PREPARED) {
              name = candidate;
              this.parsed.push(name);
              con.parse({ text: s.text, name, types: [] }, true);
            }
          }
          if (name === "") con.parse({ text: s.text, name: "", types: [] }, true);
          con.bind({ portal: "", statement: name, values: s.values }, true);
          con.describe({ type: "P", name: "" }, true);
          con.execute({ portal: "", rows: 0 }, true);
        }
        con.sync();
      } finally {
        con.stream.uncork?.();
      }
    };
  }
}

/** Runs the steps in one pipeline; on failure, forgets (and deallocates) what it tried to prepare. */
async function runPipeline(
  client: pg.PoolClient,
  steps: PipelineStep[],
  afterFailure: () => Promise<void>,
): Promise<pg.QueryResult[]> {
  let q: Pipeline | undefined;
  try {
    return await new Promise((resolve, reject) => {
      q = new Pipeline(steps, (err, res) => {
        if (err) reject(err);
        else resolve(Array.isArray(res) ? (res as pg.QueryResult[]) : [res as pg.QueryResult]);
      });
      client.query(q as unknown as pg.QueryConfig);
    }).then((r) => {
      const known = q?.connection ? preparedOn.get(q.connection) : undefined;
      for (const n of q?.parsed ?? []) known?.add(n);
      return r as pg.QueryResult[];
    });
  } catch (e) {
    await afterFailure();
    // A Parse before the failing message succeeded; one after it was skipped. Make both cases
    // "not prepared" so the next request parses again.
    for (const n of q?.parsed ?? []) {
      await client.query(`deallocate "${n}"`).catch(() => {});
    }
    throw e;
  }
}

function setupStep(s: RequestSettings): PipelineStep {
  return {
    text: SETUP_SQL,
    prepare: true,
    values: [
      s.searchPath,
      s.role,
      s.claims,
      s.method,
      s.path,
      s.headers,
      s.cookies,
      s.readOnly ? "on" : "off",
      s.statementTimeout ?? null,
    ],
  };
}

/**
 * Runs `statement` in one transaction with the request settings. `decide` sees the statement's
 * result and says whether to commit; it may also throw (the transaction is then rolled back).
 * Without `decide` the statement runs in an implicit transaction: one round trip.
 */
export async function runRequest(
  pool: pg.Pool,
  settings: RequestSettings,
  statement: Statement,
  decide?: (result: pg.QueryResult) => "commit" | "rollback",
): Promise<pg.QueryResult> {
  const [result] = await runStatements(pool, settings, [statement], decide);
  return result as pg.QueryResult;
}

/**
 * Like runRequest, for several statements in the same transaction and pipeline (a read and its
 * planned-count EXPLAIN). `decide` sees the first statement's result. Returns every result.
 */
export async function runStatements(
  pool: pg.Pool,
  settings: RequestSettings,
  statements: Statement[],
  decide?: (result: pg.QueryResult) => "commit" | "rollback",
): Promise<pg.QueryResult[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The pool only listens for a client's errors while it is idle. Checked out, a connection that
  // dies (Postgres stopping under a request) would raise an uncaught 'error' and end the devstack;
  // the statement in flight rejects with it anyway. The client is discarded on release.
  const onError = (err: Error) => {
    broken = err;
  };
  client.on("error", onError);
  const rollback = async () => {
    await client.query("rollback").catch((err: Error) => {
      broken = err;
    });
  };
  try {
    const steps: PipelineStep[] = statements.map((st) => ({
      text: st.text,
      values: st.values.map(toPgText),
      prepare: st.cacheable === true,
    }));
    if (!decide) {
      const results = await runPipeline(client, [setupStep(settings), ...steps], async () => {});
      return results.slice(1);
    }
    const results = await runPipeline(
      client,
      [{ text: "begin", values: [] }, setupStep(settings), ...steps],
      rollback,
    );
    const mine = results.slice(2);
    let verdict: "commit" | "rollback";
    try {
      verdict = decide(mine[0] as pg.QueryResult);
    } catch (e) {
      await rollback();
      throw e;
    }
    await client.query(verdict);
    return mine;
  } catch (e) {
    if (!(e instanceof Error) || !("code" in e))
      broken ??= e instanceof Error ? e : new Error(String(e));
    throw e;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
