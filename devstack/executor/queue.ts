import { withTransaction } from "../shared/transaction";
import type { ConcurrencySlot, ExecCtx, QueueKind } from "./types";

export interface QueueItem {
  id: string;
  run_id: string;
  kind: QueueKind;
  step_id: string;
  attempt: number;
  concurrency: ConcurrencySlot[];
}

/** Serialises claims across executor processes sharing one database. */
const CLAIM_LOCK = 728_801;

/**
 * Claims up to `max` due queue rows whose concurrency slots have room, and leases them to this
 * worker. Rows are read with `for update skip locked`; the in-flight count per concurrency key is
 * what other leased `call` rows hold.
 */
export async function claimItems(ctx: ExecCtx, max: number): Promise<QueueItem[]> {
  if (max <= 0) return [];
  return withTransaction(ctx.pool, async (client) => {
    await client.query("select pg_advisory_xact_lock($1)", [CLAIM_LOCK]);
    // What leased calls hold now, per concurrency key, and which keys are full.
    const held = await client.query<{ concurrency: ConcurrencySlot[] }>(
      `select concurrency from devstack.executor_queue
       where kind = 'call' and lease_until >= now() and concurrency <> '[]'::jsonb`,
    );
    const inFlight = new Map<string, number>();
    const limits = new Map<string, number>();
    for (const h of held.rows) {
      for (const s of h.concurrency) {
        inFlight.set(s.k, (inFlight.get(s.k) ?? 0) + 1);
        limits.set(s.k, s.limit);
      }
    }
    const full = [...inFlight].filter(([k, n]) => n >= (limits.get(k) ?? 0)).map(([k]) => k);
    // Rows waiting on a full key are left out of the scan, so a backlog behind one key never
    // hides other work from the workers.
    const { rows } = await client.query<QueueItem>(
      `select q.id, q.run_id, q.kind, q.step_id, q.attempt, q.concurrency
       from devstack.executor_queue q
       where q.run_at <= now() and (q.lease_until is null or q.lease_until < now())
         and (q.kind <> 'call' or cardinality($2::text[]) = 0 or not exists (
           select 1 from jsonb_array_elements(q.concurrency) c where c->>'k' = any($2::text[])))
       order by coalesce(q.sort_at, q.run_at), q.id limit $1 for update of q skip locked`,
      [Math.max(max * 4, 200), full],
    );
    if (rows.length === 0) return [];
    const chosen: QueueItem[] = [];
    for (const r of rows) {
      if (chosen.length >= max) break;
      if (r.kind === "call" && r.concurrency.some((s) => (inFlight.get(s.k) ?? 0) >= s.limit)) {
        continue;
      }
      if (r.kind === "call") {
        for (const s of r.concurrency) inFlight.set(s.k, (inFlight.get(s.k) ?? 0) + 1);
      }
      chosen.push(r);
    }
    if (chosen.length > 0) {
      await client.query(
        `update devstack.executor_queue
         set lease_owner = $1, lease_until = now() + make_interval(secs => $2::float8 / 1000),
             dedupe_key = null
         where id = any($3)`,
        [ctx.workerId, ctx.opts.leaseMs, chosen.map((c) => c.id)],
      );
    }
    return chosen;
  });
}

/** Gives a leased row back to the queue at once. */
async function releaseLease(ctx: ExecCtx, id: string): Promise<void> {
  await ctx.pool.query(
    `update devstack.executor_queue set lease_owner = null, lease_until = null
     where id = $1 and lease_owner = $2`,
    [id, ctx.workerId],
  );
}

/** Extends the lease of rows this worker is still working on. */
export async function renewLeases(ctx: ExecCtx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.pool.query(
    `update devstack.executor_queue
     set lease_until = now() + make_interval(secs => $2::float8 / 1000)
     where id = any($3) and lease_owner = $1`,
    [ctx.workerId, ctx.opts.leaseMs, ids],
  );
}

/**
 * The worker loop: keeps up to `slots` items in flight, claims more when one finishes or when
 * woken, and otherwise polls every `pollMs` (sleeps and retries become due with time).
 */
export function startWorkers(
  ctx: ExecCtx,
  process: (item: QueueItem) => Promise<QueueItem | undefined>,
): { wake(): void; stop(graceMs?: number): Promise<void> } {
  const inFlight = new Map<string, Promise<void>>();
  /** Queue rows this worker holds a lease on right now (renewed by the heartbeat). */
  const leased = new Set<string>();
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let pending = false;

  const wake = () => {
    pending = true;
    wakeUp?.();
  };

  const heartbeat = setInterval(
    () => {
      renewLeases(ctx, [...leased]).catch((err: Error) =>
        ctx.log(`executor: lease renewal failed: ${err.message}`),
      );
    },
    Math.max(200, Math.floor(ctx.opts.leaseMs / 3)),
  );
  heartbeat.unref();

  /** Processes an item and whatever continuation the run hands back on this worker. */
  const drive = async (first: QueueItem): Promise<void> => {
    let item: QueueItem | undefined = first;
    while (item) {
      const current: QueueItem = item;
      leased.add(current.id);
      try {
        if (stopped) {
          // Hand the continuation back to the queue for the next executor.
          await releaseLease(ctx, current.id);
          item = undefined;
        } else {
          item = await process(current);
        }
      } catch (err) {
        ctx.log(
          `executor: run ${current.run_id} item ${current.id} failed: ${(err as Error).stack ?? err}`,
        );
        item = undefined;
      } finally {
        leased.delete(current.id);
      }
    }
    inFlight.delete(first.id);
    wake();
  };

  const loop = async () => {
    while (!stopped) {
      pending = false;
      let claimed: QueueItem[] = [];
      try {
        claimed = await claimItems(ctx, ctx.opts.slots - inFlight.size);
      } catch (err) {
        if (!stopped) ctx.log(`executor: claim failed: ${(err as Error).message}`);
      }
      for (const item of claimed) {
        const p = drive(item);
        inFlight.set(item.id, p);
      }
      if (stopped) break;
      if (pending || (claimed.length > 0 && inFlight.size < ctx.opts.slots)) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ctx.opts.pollMs);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = null;
    }
  };
  const done = loop();

  return {
    wake,
    async stop(graceMs = 5000) {
      stopped = true;
      wakeUp?.();
      await done;
      // Let calls in flight finish for a moment; then give their rows back to the queue so the
      // next executor takes them over at once instead of after the lease (the step re-runs).
      const settled = Promise.allSettled(inFlight.values()).then(() => true);
      const timeout = new Promise<false>((r) => setTimeout(() => r(false), graceMs).unref());
      if (!(await Promise.race([settled, timeout]))) {
        await Promise.all([...leased].map((id) => releaseLease(ctx, id).catch(() => {})));
      }
      clearInterval(heartbeat);
    },
  };
}
