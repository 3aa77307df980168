import type pg from "pg";
import { rollback, withTransaction } from "../shared/transaction";
import { applyResult, type CallResult, type RunRow } from "./apply-ops";
import { parseDuration } from "./duration";
import type { QueueItem } from "./queue";
import {
  addHistory,
  cancelRun,
  enqueueDiscovery,
  finishRun,
  queuedWork,
  storedEvents,
} from "./runs";
import { type ExecCtx, maxAttempts, type RegisteredFunction } from "./types";

/** Runs `fn` in a transaction that only applies if this worker still holds the queue row. */
async function withItem(
  ctx: ExecCtx,
  item: QueueItem,
  fn: (client: pg.PoolClient, run: RunRow) => Promise<void>,
): Promise<void> {
  // The client the transaction ran on: runs.ts marks it when the transaction queued work or stored events.
  let used: pg.PoolClient | undefined;
  const applied = await withTransaction(ctx.pool, async (client) => {
    used = client;
    const { rows } = await client.query<RunRow>(
      `select id, function_id, event, events, status, concurrency, disable_immediate,
              parent_run_id, parent_step
       from devstack.executor_runs where id = $1 for update`,
      [item.run_id],
    );
    const held = await client.query(
      "delete from devstack.executor_queue where id = $1 and lease_owner = $2",
      [item.id, ctx.workerId],
    );
    const run = rows[0];
    // Another worker took the row over after our lease lapsed (or the run is gone).
    if (held.rowCount === 0 || !run) return rollback(false);
    if (run.status === "queued" || run.status === "running") await fn(client, run);
    return true;
  });
  if (!applied || !used) return;
  // The freed concurrency slot may let a waiting row through, and new rows may be due.
  if (queuedWork.delete(used) || runHadSlots(item)) ctx.wakeQueue();
  if (storedEvents.delete(used)) ctx.wakeEvents();
}

function runHadSlots(item: QueueItem): boolean {
  return item.kind === "call" && item.concurrency.length > 0;
}

/**
 * Handles one claimed queue row. Returns the run's next call when this worker continues the run
 * itself (the row is already leased to it, in the same transaction that freed the previous one,
 * so the run keeps its concurrency slot and skips a round trip through the queue).
 */
export async function processItem(ctx: ExecCtx, item: QueueItem): Promise<QueueItem | undefined> {
  if (item.kind === "call") return processCall(ctx, item);
  await withItem(ctx, item, async (client, run) => {
    if (item.kind === "timeout-start" || item.kind === "timeout-finish") {
      const fn = ctx.functions().get(run.function_id);
      const timeouts = fn?.config.timeouts;
      if (item.kind === "timeout-start" && run.status === "queued") {
        await cancelRun(client, run.id, `timeouts.start: not started within ${timeouts?.start}`);
      } else if (item.kind === "timeout-finish") {
        await cancelRun(client, run.id, `timeouts.finish: not finished within ${timeouts?.finish}`);
      }
      return;
    }
    if (item.kind === "sleep") {
      const woke = await client.query(
        `update devstack.executor_steps set state = 'done', memo = 'null'::jsonb, ended_at = now()
         where run_id = $1 and hash = $2 and state = 'sleeping'`,
        [run.id, item.step_id],
      );
      if (woke.rowCount === 0) return;
      await addHistory(client, run.id, "sleep.woke", { stepHash: item.step_id });
    } else if (item.kind === "wait-timeout") {
      const gone = await client.query(
        "delete from devstack.executor_waits where run_id = $1 and step_hash = $2",
        [run.id, item.step_id],
      );
      if (gone.rowCount === 0) return;
      await client.query(
        `update devstack.executor_steps set state = 'done', memo = 'null'::jsonb, ended_at = now()
         where run_id = $1 and hash = $2`,
        [run.id, item.step_id],
      );
      await addHistory(client, run.id, "wait.timed_out", { stepHash: item.step_id });
    } else {
      const memo = {
        error: {
          name: "InngestInvokeTimeoutError",
          message: "Timed out waiting for the invoked function to complete",
        },
      };
      const timedOut = await client.query(
        `update devstack.executor_steps set state = 'done', memo = $3, ended_at = now()
         where run_id = $1 and hash = $2 and state = 'invoking'`,
        [run.id, item.step_id, JSON.stringify(memo)],
      );
      if (timedOut.rowCount === 0) return;
      await addHistory(client, run.id, "invoke.timed_out", { stepHash: item.step_id });
    }
    await enqueueDiscovery(client, run.id, run.concurrency);
  });
  return undefined;
}

async function callApp(
  ctx: ExecCtx,
  fn: RegisteredFunction,
  stepId: string,
  body: unknown,
): Promise<CallResult> {
  const runtimeUrl = fn.config.steps.step?.runtime.url;
  if (!runtimeUrl) throw new Error(`function ${fn.id} has no runtime URL`);
  const url = new URL(runtimeUrl);
  url.searchParams.set("fnId", fn.id);
  url.searchParams.set("stepId", stepId);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-inngest-req-version": "2",
        "x-inngest-server-kind": "dev",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ctx.opts.callTimeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // Not JSON (a proxy error page): keep the text as the error body.
    }
    return {
      status: res.status,
      body: parsed,
      noRetry: res.headers.get("x-inngest-no-retry") === "true",
      retryAfter: res.headers.get("retry-after"),
    };
  } catch (err) {
    return {
      status: 0,
      body: null,
      noRetry: false,
      retryAfter: null,
      networkError: (err as Error).message,
    };
  }
}

async function processCall(ctx: ExecCtx, item: QueueItem): Promise<QueueItem | undefined> {
  // The run and its step memo in one round trip.
  const { rows: loaded } = await ctx.pool.query<RunRow & { memo: Array<[string, unknown]> }>(
    `select r.id, r.function_id, r.event, r.events, r.status, r.concurrency, r.disable_immediate,
            r.parent_run_id, r.parent_step,
            coalesce((select json_agg(json_build_array(s.hash, s.memo) order by s.ended_at, s.seq)
                      from devstack.executor_steps s where s.run_id = r.id and s.state = 'done'),
                     '[]'::json) as memo
     from devstack.executor_runs r where r.id = $1`,
    [item.run_id],
  );
  const run = loaded[0];
  if (!run || (run.status !== "queued" && run.status !== "running")) {
    await ctx.pool.query("delete from devstack.executor_queue where id = $1 and lease_owner = $2", [
      item.id,
      ctx.workerId,
    ]);
    return undefined;
  }
  const fn = ctx.functions().get(run.function_id);
  if (!fn) {
    await withItem(ctx, item, async (client, r) => {
      await finishRun(client, r, {
        status: "failed",
        error: { name: "Error", message: `function ${r.function_id} is no longer registered` },
      });
    });
    return undefined;
  }
  const steps: Record<string, unknown> = {};
  for (const [hash, memo] of run.memo) steps[hash] = memo;
  const max = maxAttempts(fn.config);
  const body = {
    version: 2,
    event: run.event,
    events: run.events,
    steps,
    ctx: {
      run_id: run.id,
      attempt: item.attempt,
      max_attempts: max,
      disable_immediate_execution: run.disable_immediate,
      use_api: false,
      stack: { stack: run.memo.map(([hash]) => hash), current: run.memo.length },
    },
  };
  if (run.status === "queued") {
    const started = await ctx.pool.query(
      `update devstack.executor_runs set status = 'running', started_at = coalesce(started_at, now())
       where id = $1 and status = 'queued'`,
      [run.id],
    );
    const finish = fn.config.timeouts?.finish
      ? parseDuration(fn.config.timeouts.finish)
      : undefined;
    if (started.rowCount === 1 && finish !== undefined) {
      await ctx.pool.query(
        `insert into devstack.executor_queue (run_id, kind, step_id, run_at)
         values ($1, 'timeout-finish', 'step', now() + make_interval(secs => $2::float8 / 1000))`,
        [run.id, finish],
      );
    }
  }
  const started = Date.now();
  const result = await callApp(ctx, fn, item.step_id, body);
  const ms = Date.now() - started;
  let nextId: string | undefined;
  await withItem(ctx, item, async (client, current) => {
    nextId = await applyResult({
      ctx,
      client,
      run: current,
      fn,
      item,
      result,
      maxAttempts: max,
      ms,
    });
  });
  return nextId
    ? {
        id: nextId,
        run_id: run.id,
        kind: "call",
        step_id: "step",
        attempt: 0,
        concurrency: run.concurrency,
      }
    : undefined;
}
