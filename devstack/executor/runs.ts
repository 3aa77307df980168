import type pg from "pg";
import { ulid } from "ulid";
import { parseDuration } from "./duration";
import { admitRun, concurrencySlots, keyValue, prioritySortAt } from "./flow-control";
import type { ConcurrencySlot, EventPayload, QueueKind, RegisteredFunction } from "./types";

export interface EnqueueArgs {
  runId: string;
  kind: QueueKind;
  stepId: string;
  attempt?: number;
  runAt?: Date;
  dedupeKey?: string;
  concurrency?: ConcurrencySlot[];
  /** Insert the row already leased to this worker (it continues the run itself). */
  lease?: { owner: string; ms: number };
  /** Sort as if due at this time (priority.run); defaults to runAt. */
  sortAt?: Date;
}

/**
 * Transactions that queued claimable work or stored events, so the caller knows whether to wake
 * the workers or the event processor after commit (and does not wake them for nothing).
 */
export const queuedWork = new WeakSet<pg.PoolClient>();
export const storedEvents = new WeakSet<pg.PoolClient>();

/** Adds a queue row; a row with the same dedupe key still waiting to be claimed wins. */
export async function enqueue(client: pg.PoolClient, a: EnqueueArgs): Promise<string | undefined> {
  const { rows } = await client.query<{ id: string }>(
    `insert into devstack.executor_queue
       (run_id, kind, step_id, attempt, run_at, dedupe_key, concurrency, lease_owner, lease_until,
        sort_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8,
             case when $8::text is null then null else now() + make_interval(secs => $9::float8 / 1000) end,
             $10)
     on conflict (dedupe_key) do nothing returning id`,
    [
      a.runId,
      a.kind,
      a.stepId,
      a.attempt ?? 0,
      a.runAt ?? new Date(),
      a.dedupeKey ?? null,
      JSON.stringify(a.kind === "call" ? (a.concurrency ?? []) : []),
      a.lease?.owner ?? null,
      a.lease?.ms ?? 0,
      a.sortAt ?? null,
    ],
  );
  if (!a.lease) queuedWork.add(client);
  return rows[0]?.id;
}

/** Queues the next discovery call of a run (at most one waits unclaimed at a time). */
export async function enqueueDiscovery(
  client: pg.PoolClient,
  runId: string,
  concurrency: ConcurrencySlot[],
  lease?: { owner: string; ms: number },
): Promise<string | undefined> {
  return enqueue(client, {
    runId,
    kind: "call",
    stepId: "step",
    // A leased row counts as claimed, and claimed rows carry no dedupe key.
    dedupeKey: lease ? undefined : `${runId}:discover`,
    concurrency,
    lease,
  });
}

export async function addHistory(
  client: pg.PoolClient,
  runId: string,
  kind: string,
  extra: { stepHash?: string; stepName?: string; attempt?: number; detail?: unknown } = {},
): Promise<void> {
  await client.query(
    `insert into devstack.executor_history (run_id, kind, step_hash, step_name, attempt, detail)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      runId,
      kind,
      extra.stepHash ?? null,
      extra.stepName ?? null,
      extra.attempt ?? null,
      extra.detail === undefined ? null : JSON.stringify(extra.detail),
    ],
  );
}

/**
 * Starts a run of `fn` for `event`, inside the caller's transaction: applies flow control, then
 * stores the run and its first queue row. Returns null when this function already has a run for
 * this event (the unique key makes a second run impossible).
 */
export async function createRun(
  client: pg.PoolClient,
  fn: RegisteredFunction,
  event: EventPayload,
  events: EventPayload[],
  parent?: { runId: string; stepHash: string },
): Promise<{ runId: string; status: string } | null> {
  const runId = ulid();
  let admission = await admitRun(client, fn, event);
  const slots = concurrencySlots(fn, event);
  const singleton = fn.config.singleton;
  const singletonKey = singleton ? `${fn.id}:${keyValue(singleton.key, event)}` : null;
  if (admission.admit && singleton && singletonKey) {
    await client.query("select pg_advisory_xact_lock(hashtext($1))", [`singleton:${singletonKey}`]);
    const { rows } = await client.query<{ id: string }>(
      `select id from devstack.executor_runs
       where singleton_key = $1 and status in ('queued', 'running') and event_id <> $2`,
      [singletonKey, event.id],
    );
    if (rows.length > 0 && singleton.mode === "skip") {
      admission = { admit: false, reason: "singleton: a run with the same key is in progress" };
    } else {
      for (const r of rows) await cancelRun(client, r.id, "singleton: replaced by a newer run");
    }
  }
  const status = admission.admit ? "queued" : "skipped";
  const inserted = await client.query(
    `insert into devstack.executor_runs
       (id, function_id, event_id, event, events, status, reason, concurrency, parent_run_id,
        parent_step, ended_at, singleton_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict (function_id, event_id) do nothing`,
    [
      runId,
      fn.id,
      event.id,
      JSON.stringify(event),
      JSON.stringify(events),
      status,
      admission.admit ? null : admission.reason,
      JSON.stringify(slots),
      parent?.runId ?? null,
      parent?.stepHash ?? null,
      admission.admit ? null : new Date(),
      admission.admit ? singletonKey : null,
    ],
  );
  if (inserted.rowCount === 0) return null;
  if (!admission.admit) {
    await addHistory(client, runId, "skipped", { detail: { reason: admission.reason } });
    if (parent) {
      await resolveInvoke(client, parent.runId, parent.stepHash, {
        error: { name: "Error", message: `invoked function skipped: ${admission.reason}` },
      });
    }
    return { runId, status };
  }
  await addHistory(client, runId, "scheduled", {
    detail: { startAt: admission.startAt.toISOString() },
  });
  await enqueue(client, {
    runId,
    kind: "call",
    stepId: "step",
    runAt: admission.startAt,
    dedupeKey: `${runId}:discover`,
    concurrency: slots,
    sortAt: prioritySortAt(fn, event, admission.startAt),
  });
  const startTimeout = fn.config.timeouts?.start
    ? parseDuration(fn.config.timeouts.start)
    : undefined;
  if (startTimeout !== undefined) {
    await enqueue(client, {
      runId,
      kind: "timeout-start",
      stepId: "step",
      runAt: new Date(admission.startAt.getTime() + startTimeout),
    });
  }
  return { runId, status };
}

/** Stores the outcome of an invoked run on its parent's `step.invoke` and resumes the parent. */
export async function resolveInvoke(
  client: pg.PoolClient,
  parentRunId: string,
  stepHash: string,
  memo: { data: unknown } | { error: unknown },
): Promise<void> {
  const { rows } = await client.query<{ concurrency: ConcurrencySlot[] }>(
    `with s as (
       update devstack.executor_steps set state = 'done', memo = $3, ended_at = now()
       where run_id = $1 and hash = $2 and state = 'invoking' returning run_id)
     select r.concurrency from devstack.executor_runs r join s on s.run_id = r.id
     where r.status in ('queued', 'running')`,
    [parentRunId, stepHash, JSON.stringify(memo)],
  );
  const row = rows[0];
  if (!row) return;
  await addHistory(client, parentRunId, "step.completed", { stepHash, detail: memo });
  await enqueueDiscovery(client, parentRunId, row.concurrency);
}

interface RunRow {
  id: string;
  function_id: string;
  event: EventPayload;
  parent_run_id: string | null;
  parent_step: string | null;
}

/**
 * Ends a run (completed or failed) unless it already ended, drops its pending work, emits
 * `inngest/function.failed` for onFailure handlers and resumes a parent waiting on `step.invoke`.
 */
export async function finishRun(
  client: pg.PoolClient,
  run: RunRow,
  outcome: { status: "completed"; output: unknown } | { status: "failed"; error: unknown },
): Promise<boolean> {
  const updated = await client.query(
    `update devstack.executor_runs set status = $2, output = $3, error = $4, ended_at = now()
     where id = $1 and status in ('queued', 'running')`,
    [
      run.id,
      outcome.status,
      outcome.status === "completed" ? JSON.stringify(outcome.output ?? null) : null,
      outcome.status === "failed" ? JSON.stringify(outcome.error ?? null) : null,
    ],
  );
  if (updated.rowCount === 0) return false;
  await client.query("delete from devstack.executor_queue where run_id = $1", [run.id]);
  await client.query("delete from devstack.executor_waits where run_id = $1", [run.id]);
  await addHistory(client, run.id, outcome.status === "completed" ? "completed" : "failed", {
    detail: outcome.status === "completed" ? outcome.output : outcome.error,
  });
  if (outcome.status === "failed") {
    const event: EventPayload = {
      id: `failed:${run.id}`,
      name: "inngest/function.failed",
      data: {
        function_id: run.function_id,
        run_id: run.id,
        error: outcome.error,
        event: run.event,
      },
      ts: Date.now(),
    };
    await client.query(
      `insert into devstack.executor_events (id, name, data, payload, ts)
       values ($1, $2, $3, $4, $5) on conflict (id) do nothing`,
      [event.id, event.name, JSON.stringify(event.data), JSON.stringify(event), event.ts],
    );
    storedEvents.add(client);
  }
  if (run.parent_run_id && run.parent_step) {
    await resolveInvoke(
      client,
      run.parent_run_id,
      run.parent_step,
      outcome.status === "completed"
        ? { data: outcome.output ?? null }
        : { error: normaliseError(outcome.error) },
    );
  }
  return true;
}

/** Cancels a run that has not ended: its queued work and waits are dropped. */
export async function cancelRun(
  client: pg.PoolClient,
  runId: string,
  reason: string,
): Promise<boolean> {
  const updated = await client.query(
    `update devstack.executor_runs set status = 'cancelled', reason = $2, ended_at = now()
     where id = $1 and status in ('queued', 'running')`,
    [runId, reason],
  );
  if (updated.rowCount === 0) return false;
  await client.query("delete from devstack.executor_queue where run_id = $1", [runId]);
  await client.query("delete from devstack.executor_waits where run_id = $1", [runId]);
  await addHistory(client, runId, "cancelled", { detail: { reason } });
  return true;
}

/** Errors stored in step memo must carry name and message (the SDK's jsonErrorSchema). */
export function normaliseError(err: unknown): { name: string; message: string; stack?: string } {
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    return {
      name: typeof e.name === "string" ? e.name : "Error",
      message: typeof e.message === "string" ? e.message : JSON.stringify(err),
      ...(typeof e.stack === "string" ? { stack: e.stack } : {}),
    };
  }
  return { name: "Error", message: String(err) };
}
