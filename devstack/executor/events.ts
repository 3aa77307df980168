import type pg from "pg";
import { ulid } from "ulid";
import { withTransaction } from "../shared/transaction";
import { matchCel } from "./cel";
import { parseDuration } from "./duration";
import { batchEvent, debounceEvent } from "./flow-control";
import { addHistory, cancelRun, createRun, enqueueDiscovery } from "./runs";
import type { ConcurrencySlot, EventPayload, ExecCtx, RegisteredFunction } from "./types";

export class EventValidationError extends Error {}

/** Normalises what a client sent into stored events: id (kept or new), data `{}`, ts now. */
export function normaliseEvents(body: unknown, now = Date.now()): EventPayload[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map((raw, i) => {
    if (!raw || typeof raw !== "object")
      throw new EventValidationError(`event ${i} is not an object`);
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== "string" || e.name === "") {
      throw new EventValidationError(`event ${i} has no name`);
    }
    if (
      e.data !== undefined &&
      e.data !== null &&
      (typeof e.data !== "object" || Array.isArray(e.data))
    ) {
      throw new EventValidationError(`event ${i}: data must be an object`);
    }
    const ev: EventPayload = {
      id: typeof e.id === "string" && e.id !== "" ? e.id : ulid(),
      name: e.name,
      data: (e.data ?? {}) as Record<string, unknown>,
      ts: typeof e.ts === "number" && e.ts > 0 ? e.ts : now,
    };
    if (e.user !== undefined) ev.user = e.user;
    if (typeof e.v === "string") ev.v = e.v;
    return ev;
  });
}

/** Stores events; an id already stored is kept as it was (deduplicated) and not processed again. */
export async function storeEvents(pool: pg.Pool, events: EventPayload[]): Promise<number> {
  if (events.length === 0) return 0;
  const res = await pool.query(
    `insert into devstack.executor_events (id, name, data, payload, ts)
     select * from unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[], $5::bigint[])
     on conflict (id) do nothing`,
    [
      events.map((e) => e.id),
      events.map((e) => e.name),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e)),
      events.map((e) => e.ts),
    ],
  );
  return res.rowCount ?? 0;
}

function triggerMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (pattern.endsWith("*")) return name.startsWith(pattern.slice(0, -1));
  return false;
}

function safeMatch(
  ctx: ExecCtx,
  expr: string,
  vars: Record<string, unknown>,
  what: string,
): boolean {
  try {
    return matchCel(expr, vars);
  } catch (err) {
    ctx.log(`executor: ${what}: ${(err as Error).message}`);
    return false;
  }
}

/** Functions whose event trigger (and its `if` expression) matches the event. */
export function matchingFunctions(ctx: ExecCtx, event: EventPayload): RegisteredFunction[] {
  const out: RegisteredFunction[] = [];
  for (const fn of ctx.functions().values()) {
    const hit = fn.config.triggers.some(
      (t) =>
        t.event !== undefined &&
        triggerMatches(t.event, event.name) &&
        (!t.expression || safeMatch(ctx, t.expression, { event }, `${fn.id} trigger`)),
    );
    if (hit) out.push(fn);
  }
  return out;
}

async function resolveWaits(
  ctx: ExecCtx,
  client: pg.PoolClient,
  event: EventPayload,
): Promise<void> {
  const { rows } = await client.query<{
    id: string;
    run_id: string;
    step_hash: string;
    expression: string | null;
    run_event: EventPayload;
    concurrency: ConcurrencySlot[];
  }>(
    `select w.id, w.run_id, w.step_hash, w.expression, r.event as run_event, r.concurrency
     from devstack.executor_waits w join devstack.executor_runs r on r.id = w.run_id
     where w.event_name = $1 and w.expires_at > now() and r.status = 'running'
     order by w.id`,
    [event.name],
  );
  for (const w of rows) {
    if (
      w.expression &&
      !safeMatch(
        ctx,
        w.expression,
        { event: w.run_event, async: event },
        `waitForEvent in ${w.run_id}`,
      )
    ) {
      continue;
    }
    // Lock order everywhere: the run row first, then its waits, steps and queue rows.
    const live = await client.query(
      "select 1 from devstack.executor_runs where id = $1 and status = 'running' for update",
      [w.run_id],
    );
    if (live.rowCount === 0) continue;
    const gone = await client.query("delete from devstack.executor_waits where id = $1", [w.id]);
    if (gone.rowCount === 0) continue;
    await client.query(
      `update devstack.executor_steps set state = 'done', memo = $3, ended_at = now()
       where run_id = $1 and hash = $2`,
      [w.run_id, w.step_hash, JSON.stringify(event)],
    );
    await addHistory(client, w.run_id, "wait.resolved", {
      stepHash: w.step_hash,
      detail: { event_id: event.id },
    });
    await enqueueDiscovery(client, w.run_id, w.concurrency);
  }
}

async function applyCancellations(
  ctx: ExecCtx,
  client: pg.PoolClient,
  event: EventPayload,
): Promise<void> {
  for (const fn of ctx.functions().values()) {
    for (const c of fn.config.cancel ?? []) {
      if (!triggerMatches(c.event, event.name)) continue;
      const timeout = c.timeout ? parseDuration(c.timeout) : undefined;
      const { rows } = await client.query<{ id: string; event: EventPayload }>(
        `select id, event from devstack.executor_runs
         where function_id = $1 and status in ('queued', 'running')
           and ($2::float8 is null or created_at > now() - make_interval(secs => $2::float8 / 1000))`,
        [fn.id, timeout ?? null],
      );
      for (const run of rows) {
        if (run.event.id === event.id) continue;
        if (
          c.if &&
          !safeMatch(ctx, c.if, { event: run.event, async: event }, `${fn.id} cancelOn`)
        ) {
          continue;
        }
        await cancelRun(client, run.id, `cancelled by event ${event.name} (${event.id})`);
      }
    }
  }
}

/**
 * Processes stored events not yet processed, oldest first: starts a run for every matching
 * function, resolves pending waits and applies cancelOn. Marking an event processed happens in the
 * same transaction, so a crash in between replays the event instead of losing it, and the unique
 * (function, event) key stops a replay from starting a second run.
 */
export async function processEvents(ctx: ExecCtx, batch = 100): Promise<number> {
  let n = 0;
  await withTransaction(ctx.pool, async (client) => {
    const { rows } = await client.query<{ seq: string; payload: EventPayload }>(
      `select seq, payload from devstack.executor_events where processed_at is null
       order by seq limit $1 for update skip locked`,
      [batch],
    );
    for (const row of rows) {
      const event = row.payload;
      for (const fn of matchingFunctions(ctx, event)) {
        if (fn.config.debounce) {
          await debounceEvent(client, fn, event);
        } else if (fn.config.batchEvents) {
          const batch = await batchEvent(client, fn, event);
          if (batch?.[0]) await createRun(client, fn, batch[0], batch);
        } else {
          await createRun(client, fn, event, [event]);
        }
      }
      await resolveWaits(ctx, client, event);
      await applyCancellations(ctx, client, event);
      n++;
    }
    if (rows.length > 0) {
      await client.query(
        "update devstack.executor_events set processed_at = now() where seq = any($1)",
        [rows.map((r) => r.seq)],
      );
    }
  });
  if (n > 0) ctx.wakeQueue();
  return n;
}

/**
 * Starts the runs whose debounce period has passed (each with the last event it received) and
 * the event batches whose timeout has passed.
 */
export async function fireDueDebounces(ctx: ExecCtx): Promise<number> {
  let fired = 0;
  await withTransaction(ctx.pool, async (client) => {
    const { rows } = await client.query<{ function_id: string; event: EventPayload }>(
      `delete from devstack.executor_debounces where (function_id, key) in (
         select function_id, key from devstack.executor_debounces where fire_at <= now()
         order by fire_at limit 50 for update skip locked)
       returning function_id, event`,
    );
    for (const row of rows) {
      const fn = ctx.functions().get(row.function_id);
      if (!fn) continue;
      await createRun(client, fn, row.event, [row.event]);
      fired++;
    }
    const batches = await client.query<{ function_id: string; events: EventPayload[] }>(
      `delete from devstack.executor_batches where (function_id, key) in (
         select function_id, key from devstack.executor_batches where fire_at <= now()
         order by fire_at limit 50 for update skip locked)
       returning function_id, events`,
    );
    for (const row of batches.rows) {
      const fn = ctx.functions().get(row.function_id);
      const first = row.events[0];
      if (!fn || !first) continue;
      await createRun(client, fn, first, row.events);
      fired++;
    }
  });
  if (fired > 0) ctx.wakeQueue();
  return fired;
}
