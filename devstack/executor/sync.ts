import { createHash } from "node:crypto";
import type pg from "pg";
import { withTransaction } from "../shared/transaction";
import { compileCel } from "./cel";
import { syncCronSchedules } from "./cron";
import { unsupportedOptions } from "./flow-control";
import type { ExecCtx, FunctionConfig, RegisteredFunction } from "./types";

/** What an app told us about itself, from either kind of sync. */
export interface AppRegistration {
  url: string;
  appId: string;
  sdk?: string;
  framework?: string;
  functions: FunctionConfig[];
}

/** Loads every registered function from Postgres. */
export async function loadFunctions(pool: pg.Pool): Promise<Map<string, RegisteredFunction>> {
  const { rows } = await pool.query<{
    id: string;
    app_url: string;
    app_id: string;
    config: FunctionConfig;
  }>("select id, app_url, app_id, config from devstack.executor_functions");
  return new Map(
    rows.map((r) => [r.id, { id: r.id, appUrl: r.app_url, appId: r.app_id, config: r.config }]),
  );
}

function expressionProblems(fn: FunctionConfig): string[] {
  const exprs = [
    ...fn.triggers.map((t) => t.expression),
    ...(fn.cancel ?? []).map((c) => c.if),
    fn.idempotency,
    fn.rateLimit?.key,
    fn.throttle?.key,
  ];
  const c = fn.concurrency;
  if (c && typeof c === "object") for (const o of Array.isArray(c) ? c : [c]) exprs.push(o.key);
  const out: string[] = [];
  for (const e of exprs) {
    if (!e) continue;
    try {
      compileCel(e);
    } catch (err) {
      out.push(`expression outside the supported CEL subset: ${(err as Error).message}`);
    }
  }
  return out;
}

/**
 * Stores an app's functions (replacing what the app had before) and reports, once per change,
 * the options the executor does not honour.
 */
export async function registerApp(
  ctx: ExecCtx,
  reg: AppRegistration,
): Promise<{ modified: boolean }> {
  const hash = createHash("sha1")
    .update(JSON.stringify([reg.appId, reg.functions]))
    .digest("hex");
  let modified = false;
  await withTransaction(ctx.pool, async (client) => {
    const prev = await client.query<{ config_hash: string }>(
      "select config_hash from devstack.executor_apps where url = $1 for update",
      [reg.url],
    );
    modified = prev.rows[0]?.config_hash !== hash;
    // One app id lives at one URL: an app that moved (a new port) replaces its old entry.
    await client.query("delete from devstack.executor_apps where app_id = $1 and url <> $2", [
      reg.appId,
      reg.url,
    ]);
    await client.query(
      `insert into devstack.executor_apps (url, app_id, sdk, framework, config_hash, synced_at)
       values ($1, $2, $3, $4, $5, now())
       on conflict (url) do update set app_id = excluded.app_id, sdk = excluded.sdk,
         framework = excluded.framework, config_hash = excluded.config_hash, synced_at = now()`,
      [reg.url, reg.appId, reg.sdk ?? null, reg.framework ?? null, hash],
    );
    if (modified) {
      const ids = reg.functions.map((f) => f.id);
      await client.query(
        "delete from devstack.executor_functions where (app_url = $1 or app_id = $2) and not (id = any($3))",
        [reg.url, reg.appId, ids],
      );
      for (const fn of reg.functions) {
        await client.query(
          `insert into devstack.executor_functions (id, app_url, app_id, name, config, updated_at)
           values ($1, $2, $3, $4, $5, now())
           on conflict (id) do update set app_url = excluded.app_url, app_id = excluded.app_id,
             name = excluded.name, config = excluded.config, updated_at = now()`,
          [fn.id, reg.url, reg.appId, fn.name ?? fn.id, JSON.stringify(fn)],
        );
      }
      await syncCronSchedules(client, reg.functions);
    }
  });
  await ctx.reloadFunctions();
  if (modified) {
    ctx.log(`executor: synced ${reg.appId} (${reg.functions.length} functions) from ${reg.url}`);
    for (const fn of reg.functions) {
      for (const note of [...unsupportedOptions(fn), ...expressionProblems(fn)]) {
        ctx.log(`executor: ${fn.id}: ${note}`);
      }
    }
  }
  return { modified };
}

/** Reads the body of the SDK's out-of-band `POST /fn/register`. */
export function parseRegisterBody(body: unknown): AppRegistration {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b.url !== "string" || !Array.isArray(b.functions)) {
    throw new Error("register body needs url and functions");
  }
  return {
    url: b.url,
    appId: typeof b.appName === "string" ? b.appName : String(b.app_id ?? "app"),
    sdk: typeof b.sdk === "string" ? b.sdk : undefined,
    framework: typeof b.framework === "string" ? b.framework : undefined,
    functions: b.functions as FunctionConfig[],
  };
}

/**
 * Syncs one app URL: an in-band sync (`PUT` with `x-inngest-sync-kind: in_band`), which returns
 * the function configs in the response. An app that refuses in-band sync registers itself
 * out-of-band by POSTing to our `/fn/register` during the same PUT.
 */
export async function syncAppUrl(ctx: ExecCtx, url: string): Promise<{ modified: boolean }> {
  const res = await fetch(url, {
    method: "PUT",
    headers: {
      "content-type": "application/json",
      "x-inngest-sync-kind": "in_band",
      "x-inngest-server-kind": "dev",
    },
    body: JSON.stringify({ url }),
    signal: AbortSignal.timeout(ctx.opts.callTimeoutMs),
  });
  const text = await res.text();
  if (res.status === 401) {
    throw new Error(
      `sync ${url}: 401, the app runs in cloud mode (signed requests only); set INNGEST_DEV for the app`,
    );
  }
  if (!res.ok) throw new Error(`sync ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as Record<string, unknown>;
  if (res.headers.get("x-inngest-sync-kind") === "in_band") {
    return registerApp(ctx, {
      url,
      appId: String(body.app_id),
      sdk: typeof body.sdk === "string" ? body.sdk : undefined,
      framework: typeof body.framework === "string" ? body.framework : undefined,
      functions: (body.functions ?? []) as FunctionConfig[],
    });
  }
  return { modified: Boolean(body.modified) };
}

/**
 * Keeps the configured app URLs synced: retries every second until an app answers, then re-syncs
 * every `resyncMs` so changed functions are picked up, as the dev server's polling does.
 */
export function startAppSync(ctx: ExecCtx, urls: string[]): { stop(): void } {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const failures = new Map<string, number>();
  const loop = (url: string) => {
    if (stopped) return;
    syncAppUrl(ctx, url)
      .then(() => {
        failures.delete(url);
        if (ctx.opts.resyncMs > 0) schedule(url, ctx.opts.resyncMs);
      })
      .catch((err: Error) => {
        const n = (failures.get(url) ?? 0) + 1;
        failures.set(url, n);
        if (n === 1 || n % 30 === 0) {
          ctx.log(`executor: app ${url} not synced yet (${err.message}); retrying`);
        }
        schedule(url, Math.min(500 * n, 2000));
      });
  };
  const schedule = (url: string, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      loop(url);
    }, ms);
    t.unref();
    timers.add(t);
  };
  for (const url of urls) loop(url);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}
