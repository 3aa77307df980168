import type pg from "pg";
import { evalCel } from "./cel";
import { parseDuration } from "./duration";
import type {
  ConcurrencyOption,
  ConcurrencySlot,
  EventPayload,
  FunctionConfig,
  RegisteredFunction,
} from "./types";

/** Options the executor reads from a function config; anything else is reported at sync. */
const UNSUPPORTED: Array<[keyof FunctionConfig, string]> = [];

/** Human-readable notes on what the executor will not honour for this function. */
export function unsupportedOptions(fn: FunctionConfig): string[] {
  const notes: string[] = [];
  for (const [key, note] of UNSUPPORTED) {
    if (fn[key] !== undefined && fn[key] !== null) notes.push(note);
  }
  for (const t of fn.triggers) {
    if (t.cron && t.jitter) notes.push("cron jitter is ignored: crons fire on the tick");
  }
  if (fn.batchEvents && fn.debounce) {
    notes.push("batchEvents together with debounce is not supported: debounce wins");
  }
  if (fn.debounce && fn.triggers.some((t) => t.cron)) {
    notes.push("debounce applies to event triggers only, not to cron ticks");
  }
  for (const s of Object.values(fn.steps)) {
    if (s.runtime.type !== "http") notes.push(`runtime "${s.runtime.type}" is not supported`);
  }
  for (const c of concurrencyOptions(fn)) {
    if (c.scope === "account") notes.push('concurrency scope "account" is treated as "env"');
  }
  return notes;
}

function concurrencyOptions(fn: FunctionConfig): ConcurrencyOption[] {
  const c = fn.concurrency;
  if (c === undefined || c === null) return [];
  if (typeof c === "number") return [{ limit: c }];
  return Array.isArray(c) ? c : [c];
}

/** The value of a flow-control key expression for an event ("" when there is no key). */
export function keyValue(expr: string | undefined, event: EventPayload): string {
  if (!expr) return "";
  const v = evalCel(expr, { event });
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The concurrency slots each call of a run of `fn` triggered by `event` must fit in. */
export function concurrencySlots(fn: RegisteredFunction, event: EventPayload): ConcurrencySlot[] {
  return concurrencyOptions(fn.config)
    .filter((c) => c.limit > 0)
    .map((c) => {
      const value = keyValue(c.key, event);
      const scope =
        c.scope === "env" || c.scope === "account" ? `env:${c.key ?? ""}` : `fn:${fn.id}`;
      return { k: c.key ? `${scope}:${value}` : scope, limit: c.limit };
    });
}

export type Admission = { admit: true; startAt: Date } | { admit: false; reason: string };

async function lockScope(client: pg.PoolClient, scope: string): Promise<void> {
  await client.query("select pg_advisory_xact_lock(hashtext($1))", [scope]);
}

/**
 * Applies idempotency, rateLimit and throttle to a new run, inside the caller's transaction.
 * Idempotency and rateLimit drop the run; throttle delays its start.
 */
export async function admitRun(
  client: pg.PoolClient,
  fn: RegisteredFunction,
  event: EventPayload,
): Promise<Admission> {
  const cfg = fn.config;
  const now = Date.now();
  if (cfg.idempotency) {
    const key = keyValue(cfg.idempotency, event);
    const { rowCount } = await client.query(
      `insert into devstack.executor_keys (scope, key, expires_at)
       values ($1, $2, now() + interval '24 hours')
       on conflict (scope, key) do update set expires_at = excluded.expires_at
       where devstack.executor_keys.expires_at < now()`,
      [`idem:${fn.id}`, key],
    );
    if (rowCount === 0) return { admit: false, reason: `idempotency key "${key}" already ran` };
  }
  if (cfg.rateLimit) {
    const period = parseDuration(cfg.rateLimit.period) ?? 60_000;
    const scope = `rate:${fn.id}:${keyValue(cfg.rateLimit.key, event)}`;
    await lockScope(client, scope);
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from devstack.executor_starts
       where scope = $1 and start_at > now() - make_interval(secs => $2::float8 / 1000)`,
      [scope, period],
    );
    if ((rows[0]?.n ?? 0) >= cfg.rateLimit.limit) {
      return {
        admit: false,
        reason: `rate limited (${cfg.rateLimit.limit} per ${cfg.rateLimit.period})`,
      };
    }
    await client.query(
      "insert into devstack.executor_starts (scope, start_at) values ($1, now())",
      [scope],
    );
  }
  let startAt = new Date(now);
  if (cfg.throttle) {
    const period = parseDuration(cfg.throttle.period) ?? 60_000;
    const limit = cfg.throttle.limit + (cfg.throttle.burst ?? 0);
    const scope = `throttle:${fn.id}:${keyValue(cfg.throttle.key, event)}`;
    await lockScope(client, scope);
    const { rows } = await client.query<{ start_at: Date }>(
      `select start_at from devstack.executor_starts where scope = $1
       order by start_at desc limit $2`,
      [scope, limit],
    );
    if (rows.length >= limit) {
      const oldest = rows[limit - 1]?.start_at.getTime() ?? now;
      startAt = new Date(Math.max(now, oldest + period));
    }
    await client.query("insert into devstack.executor_starts (scope, start_at) values ($1, $2)", [
      scope,
      startAt,
    ]);
  }
  return { admit: true, startAt };
}

/**
 * Forgets what nobody can need any more: expired flow-control rows, and events and ended runs
 * older than a week (a local stand-in keeps a week of history; event ids dedupe for 24 h in Inngest).
 */
export async function pruneFlowControl(pool: pg.Pool): Promise<void> {
  await pool.query("delete from devstack.executor_keys where expires_at < now()");
  await pool.query(
    "delete from devstack.executor_starts where start_at < now() - interval '1 day'",
  );
  await pool.query("delete from devstack.executor_runs where ended_at < now() - interval '7 days'");
  await pool.query(
    `delete from devstack.executor_events e where e.received_at < now() - interval '7 days'
       and e.processed_at is not null
       and not exists (select 1 from devstack.executor_runs r where r.event_id = e.id)`,
  );
}

/**
 * Debounce: keeps the latest event per key and (re)sets when it fires: `period` after the last
 * event, but no later than `timeout` after the first one.
 */
export async function debounceEvent(
  client: pg.PoolClient,
  fn: RegisteredFunction,
  event: EventPayload,
): Promise<void> {
  const d = fn.config.debounce;
  if (!d) return;
  const period = parseDuration(d.period) ?? 1000;
  const timeout = d.timeout ? (parseDuration(d.timeout) ?? null) : null;
  await client.query(
    `insert into devstack.executor_debounces (function_id, key, event, first_at, fire_at)
     values ($1, $2, $3, now(), now() + make_interval(secs => $4::float8 / 1000))
     on conflict (function_id, key) do update set event = excluded.event,
       fire_at = case when $5::float8 is null
         then now() + make_interval(secs => $4::float8 / 1000)
         else least(now() + make_interval(secs => $4::float8 / 1000),
                    devstack.executor_debounces.first_at + make_interval(secs => $5::float8 / 1000))
       end`,
    [fn.id, keyValue(d.key, event), JSON.stringify(event), period, timeout],
  );
}

/**
 * priority.run: an expression giving seconds (-600…600). Under contention the first call sorts as
 * if it had been queued that many seconds earlier (positive) or later (negative); it is never
 * delayed when nothing else is waiting.
 */
export function prioritySortAt(
  fn: RegisteredFunction,
  event: EventPayload,
  startAt: Date,
): Date | undefined {
  const expr = fn.config.priority?.run;
  if (!expr) return undefined;
  let v: unknown;
  try {
    v = evalCel(expr, { event });
  } catch {
    return undefined;
  }
  if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
  const secs = Math.max(-600, Math.min(600, v));
  return new Date(startAt.getTime() - secs * 1000);
}

/**
 * batchEvents: appends the event to its (function, key) batch. Returns the full batch when it
 * reached maxSize (the caller starts the run at once); otherwise the batch fires at `timeout`
 * after its first event. An event failing `if` runs on its own.
 */
export async function batchEvent(
  client: pg.PoolClient,
  fn: RegisteredFunction,
  event: EventPayload,
): Promise<EventPayload[] | undefined> {
  const b = fn.config.batchEvents;
  if (!b) return [event];
  if (b.if) {
    let ok = false;
    try {
      ok = evalCel(b.if, { event }) === true;
    } catch {
      ok = false;
    }
    if (!ok) return [event];
  }
  const timeout = parseDuration(b.timeout) ?? 1000;
  const { rows } = await client.query<{ events: EventPayload[] }>(
    `insert into devstack.executor_batches (function_id, key, events, fire_at)
     values ($1, $2, jsonb_build_array($3::jsonb), now() + make_interval(secs => $4::float8 / 1000))
     on conflict (function_id, key) do update
       set events = devstack.executor_batches.events || jsonb_build_array($3::jsonb)
     returning events`,
    [fn.id, keyValue(b.key, event), JSON.stringify(event), timeout],
  );
  const events = rows[0]?.events ?? [];
  if (events.length < b.maxSize) return undefined;
  await client.query("delete from devstack.executor_batches where function_id = $1 and key = $2", [
    fn.id,
    keyValue(b.key, event),
  ]);
  return events;
}
