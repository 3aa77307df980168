import { createHash } from "node:crypto";
import type pg from "pg";
import { ulid } from "ulid";
import { parseDuration, retryAfterMs, wakeTime } from "./duration";
import type { QueueItem } from "./queue";
import {
  addHistory,
  createRun,
  enqueue,
  enqueueDiscovery,
  finishRun,
  normaliseError,
} from "./runs";
import type { ConcurrencySlot, EventPayload, ExecCtx, RegisteredFunction } from "./types";

/**
 * What the executor does with the SDK's answer to a call: the table in
 * docs/devstack-executor.md ("How a run is driven"). Everything here runs inside the transaction
 * that also deletes the queue row, so a result is applied exactly once.
 */

/** An op the SDK returns in a 206 body (`OutgoingOp`). */
export interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown> | null;
  data?: unknown;
  error?: unknown;
}

export interface RunRow {
  id: string;
  function_id: string;
  event: EventPayload;
  events: EventPayload[];
  status: string;
  concurrency: ConcurrencySlot[];
  disable_immediate: boolean;
  parent_run_id: string | null;
  parent_step: string | null;
}

export interface CallResult {
  status: number;
  body: unknown;
  noRetry: boolean;
  retryAfter: string | null;
  networkError?: string;
}

/**
 * One answer of the app to a call, and what applying it needs. Built once per call by the run
 * driver, inside the transaction that deletes the call's queue row.
 */
export interface CallOutcome {
  ctx: ExecCtx;
  /** The client of the transaction that deletes the queue row. */
  client: pg.PoolClient;
  run: RunRow;
  fn: RegisteredFunction;
  /** The queue row of the call. */
  item: QueueItem;
  result: CallResult;
  /** The function's attempt budget (`maxAttempts`). */
  maxAttempts: number;
  /** How long the call took, for the run's history. */
  ms: number;
}

/** The hashed id the SDK uses for the function's own completion op (`hashId("complete")`). */
const COMPLETE_HASH = createHash("sha1").update("complete").digest("hex");

/** Ops we know the SDK may send that have no meaning for this executor, reported once each. */
const reportedOps = new Set<string>();

/**
 * Retries the call (or, with `step`, that step of it) after the backoff or the app's Retry-After,
 * or fails the run once the attempt budget is spent.
 */
async function scheduleRetry(
  { ctx, client, run, item, result, maxAttempts }: CallOutcome,
  error: unknown,
  step?: { id: string; name?: string },
): Promise<void> {
  const stepId = step?.id ?? item.step_id;
  const stepName = step?.name;
  const next = item.attempt + 1;
  if (next >= maxAttempts) {
    await finishRun(client, run, { status: "failed", error });
    return;
  }
  const delay = retryAfterMs(result.retryAfter, Date.now()) ?? ctx.opts.backoffMs(next);
  await enqueue(client, {
    runId: run.id,
    kind: "call",
    stepId,
    attempt: next,
    runAt: new Date(Date.now() + delay),
    concurrency: run.concurrency,
  });
  await addHistory(client, run.id, "retry.scheduled", {
    stepHash: stepId === "step" ? undefined : stepId,
    stepName,
    attempt: next,
    detail: { inMs: delay },
  });
}

/**
 * Applies the app's answer to a call. Returns the id of the run's next call when this worker
 * continues the run itself (already leased to it), otherwise undefined.
 */
export async function applyResult(call: CallOutcome): Promise<string | undefined> {
  const { client, run, item, result, ms } = call;
  const stepHash = item.step_id === "step" ? undefined : item.step_id;
  if (result.status === 200) {
    await finishRun(client, run, { status: "completed", output: result.body });
    return undefined;
  }
  if (result.status === 206 && (Array.isArray(result.body) || isObject(result.body))) {
    const ops = (Array.isArray(result.body) ? result.body : [result.body]) as Op[];
    return applyOps(call, ops);
  }
  const error = result.networkError
    ? { name: "FetchError", message: `could not reach the app: ${result.networkError}` }
    : result.status === 401
      ? {
          name: "Unauthorized",
          message:
            "the app refused the call (401): it runs in cloud mode and wants signed requests; set INNGEST_DEV for the app (see .devstack/env)",
        }
      : isObject(result.body)
        ? result.body
        : { name: "Error", message: `HTTP ${result.status}: ${String(result.body).slice(0, 500)}` };
  await addHistory(client, run.id, "call.error", {
    stepHash,
    attempt: item.attempt,
    detail: { status: result.status, error, ms },
  });
  if (result.noRetry) {
    await finishRun(client, run, { status: "failed", error });
    return undefined;
  }
  await scheduleRetry(call, error);
  return undefined;
}

async function insertStep(
  client: pg.PoolClient,
  runId: string,
  op: Op,
  state: string,
): Promise<boolean> {
  const res = await client.query(
    `insert into devstack.executor_steps (run_id, hash, name, op, state)
     values ($1, $2, $3, $4, $5) on conflict (run_id, hash) do nothing`,
    [runId, op.id, op.displayName ?? op.name ?? null, op.op, state],
  );
  return res.rowCount === 1;
}

async function storeMemo(
  client: pg.PoolClient,
  runId: string,
  op: Op,
  memo: unknown,
): Promise<void> {
  await client.query(
    `insert into devstack.executor_steps (run_id, hash, name, op, state, memo, ended_at)
     values ($1, $2, $3, $4, 'done', $5, now())
     on conflict (run_id, hash) do update set state = 'done', memo = excluded.memo,
       op = excluded.op, name = coalesce(excluded.name, devstack.executor_steps.name),
       ended_at = now()`,
    [runId, op.id, op.displayName ?? op.name ?? null, op.op, JSON.stringify(memo)],
  );
}

/** Applies the ops of a 206 answer in order; returns like `applyResult`. */
async function applyOps(call: CallOutcome, ops: Op[]): Promise<string | undefined> {
  const { ctx, client, run, fn, item, ms } = call;
  let discover = false;
  if (ops.length === 0) {
    // Nothing new to do is fine while other work of this run is pending; otherwise the run
    // would hang, so treat it as an error and retry the call.
    const { rows } = await client.query<{ pending: boolean }>(
      `select exists (select 1 from devstack.executor_queue where run_id = $1)
           or exists (select 1 from devstack.executor_steps where run_id = $1 and state <> 'done')
           as pending`,
      [run.id],
    );
    if (!rows[0]?.pending) {
      const error = {
        name: "Error",
        message: "the SDK answered 206 with no ops and nothing is pending",
      };
      await addHistory(client, run.id, "call.error", { attempt: item.attempt, detail: { error } });
      await scheduleRetry(call, error);
    }
    return undefined;
  }
  if (ops.length > 1 && !run.disable_immediate) {
    // Parallel steps: from now on the SDK must plan every step instead of running it inline.
    await client.query("update devstack.executor_runs set disable_immediate = true where id = $1", [
      run.id,
    ]);
  }
  for (const op of ops) {
    const name = op.displayName ?? op.name;
    switch (op.op) {
      case "StepRun":
      case "Step": {
        await storeMemo(client, run.id, op, { data: op.data ?? null });
        await addHistory(client, run.id, "step.completed", {
          stepHash: op.id,
          stepName: name,
          attempt: item.attempt,
          detail: { data: op.data ?? null, ms },
        });
        discover = true;
        break;
      }
      case "StepError": {
        if (op.id === COMPLETE_HASH) {
          await addHistory(client, run.id, "call.error", {
            attempt: item.attempt,
            detail: { error: op.error },
          });
          await scheduleRetry(call, op.error);
          return undefined;
        }
        await client.query(
          `insert into devstack.executor_steps (run_id, hash, name, op, state)
           values ($1, $2, $3, $4, 'retrying')
           on conflict (run_id, hash) do update set state = 'retrying'`,
          [run.id, op.id, name ?? null, op.op],
        );
        await addHistory(client, run.id, "step.error", {
          stepHash: op.id,
          stepName: name,
          attempt: item.attempt,
          detail: { error: op.error, ms },
        });
        await scheduleRetry(call, op.error, { id: op.id, name });
        break;
      }
      case "StepFailed": {
        if (op.id === COMPLETE_HASH) {
          await finishRun(client, run, { status: "failed", error: op.error });
          return undefined;
        }
        await storeMemo(client, run.id, op, { error: normaliseError(op.error) });
        await addHistory(client, run.id, "step.failed", {
          stepHash: op.id,
          stepName: name,
          attempt: item.attempt,
          detail: { error: op.error, ms },
        });
        discover = true;
        break;
      }
      case "StepPlanned": {
        if (await insertStep(client, run.id, op, "planned")) {
          await enqueue(client, {
            runId: run.id,
            kind: "call",
            stepId: op.id,
            dedupeKey: `${run.id}:${op.id}`,
            concurrency: run.concurrency,
          });
          await addHistory(client, run.id, "step.planned", { stepHash: op.id, stepName: name });
        }
        break;
      }
      case "Sleep": {
        const spec = String(op.opts?.duration ?? op.name ?? "");
        if (await insertStep(client, run.id, op, "sleeping")) {
          const at = new Date(wakeTime(spec, Date.now()));
          await enqueue(client, { runId: run.id, kind: "sleep", stepId: op.id, runAt: at });
          await addHistory(client, run.id, "sleep.started", {
            stepHash: op.id,
            stepName: op.displayName,
            detail: { until: at.toISOString() },
          });
        }
        break;
      }
      case "WaitForEvent": {
        if (await insertStep(client, run.id, op, "waiting")) {
          const timeout = parseDuration(String(op.opts?.timeout ?? "")) ?? 86_400_000;
          const expires = new Date(Date.now() + timeout);
          const expr = typeof op.opts?.if === "string" ? op.opts.if : null;
          await client.query(
            `insert into devstack.executor_waits (run_id, step_hash, event_name, expression, expires_at)
             values ($1, $2, $3, $4, $5) on conflict (run_id, step_hash) do nothing`,
            [run.id, op.id, op.name, expr, expires],
          );
          await enqueue(client, {
            runId: run.id,
            kind: "wait-timeout",
            stepId: op.id,
            runAt: expires,
          });
          await addHistory(client, run.id, "wait.started", {
            stepHash: op.id,
            stepName: op.displayName,
            detail: { event: op.name, if: expr, until: expires.toISOString() },
          });
        }
        break;
      }
      case "InvokeFunction": {
        if (await insertStep(client, run.id, op, "invoking")) {
          await startInvoke(ctx, client, run, op);
        }
        break;
      }
      case "RunComplete": {
        await finishRun(client, run, { status: "completed", output: op.data ?? null });
        return undefined;
      }
      default: {
        const note = `op ${op.op} is not supported by the devstack executor`;
        if (op.op === "DeferAdd" || op.op === "DeferAbort") {
          if (!reportedOps.has(op.op)) {
            reportedOps.add(op.op);
            ctx.log(`executor: ${fn.id}: ${note}; ignored`);
          }
          break;
        }
        await finishRun(client, run, { status: "failed", error: { name: "Error", message: note } });
        return undefined;
      }
    }
  }
  if (!discover) return undefined;
  // Sequential runs continue on this worker; parallel ones go back through the queue.
  const lease = ops.length === 1 ? { owner: ctx.workerId, ms: ctx.opts.leaseMs } : undefined;
  const id = await enqueueDiscovery(client, run.id, run.concurrency, lease);
  return lease ? id : undefined;
}

async function startInvoke(
  ctx: ExecCtx,
  client: pg.PoolClient,
  run: RunRow,
  op: Op,
): Promise<void> {
  const opts = op.opts ?? {};
  const targetId = String(opts.function_id ?? "");
  const payload = (opts.payload ?? {}) as { data?: Record<string, unknown> };
  const target = ctx.functions().get(targetId);
  await addHistory(client, run.id, "invoke.started", {
    stepHash: op.id,
    stepName: op.displayName,
    detail: { function_id: targetId },
  });
  if (!target) {
    await storeMemo(client, run.id, op, {
      error: { name: "Error", message: `invoked function ${targetId} is not registered` },
    });
    await enqueueDiscovery(client, run.id, run.concurrency);
    return;
  }
  const event: EventPayload = {
    id: ulid(),
    name: "inngest/function.invoked",
    data: payload.data ?? {},
    ts: Date.now(),
  };
  await client.query(
    `insert into devstack.executor_events (id, name, data, payload, ts, processed_at)
     values ($1, $2, $3, $4, $5, now())`,
    [event.id, event.name, JSON.stringify(event.data), JSON.stringify(event), event.ts],
  );
  await createRun(client, target, event, [event], { runId: run.id, stepHash: op.id });
  const timeout = typeof opts.timeout === "string" ? parseDuration(opts.timeout) : undefined;
  if (timeout !== undefined) {
    await enqueue(client, {
      runId: run.id,
      kind: "invoke-timeout",
      stepId: op.id,
      runAt: new Date(Date.now() + timeout),
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}
