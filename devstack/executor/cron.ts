import { Cron } from "croner";
import type pg from "pg";
import { withTransaction } from "../shared/transaction";
import { createRun } from "./runs";
import type { EventPayload, ExecCtx, FunctionConfig } from "./types";

/** Splits Inngest's `TZ=Europe/Paris 0 12 * * 5` into a croner pattern and a time zone. */
export function parseCron(expr: string): { pattern: string; timezone?: string } {
  const m = /^\s*(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(expr);
  return m ? { pattern: (m[2] as string).trim(), timezone: m[1] } : { pattern: expr.trim() };
}

/** The first tick strictly after `after`, or null when the expression never fires again. */
export function nextTick(expr: string, after: Date): Date | null {
  const { pattern, timezone } = parseCron(expr);
  return new Cron(pattern, timezone ? { timezone } : {}).nextRun(after);
}

/** Creates schedule rows for new cron triggers and drops those no function declares any more. */
export async function syncCronSchedules(
  client: pg.PoolClient,
  functions: FunctionConfig[],
): Promise<void> {
  const now = new Date();
  for (const fn of functions) {
    const crons = fn.triggers.flatMap((t) => (t.cron ? [t.cron] : []));
    await client.query(
      "delete from devstack.executor_crons where function_id = $1 and not (cron = any($2))",
      [fn.id, crons],
    );
    for (const cron of crons) {
      const next = nextTick(cron, now);
      if (!next) continue;
      await client.query(
        `insert into devstack.executor_crons (function_id, cron, next_at) values ($1, $2, $3)
         on conflict (function_id, cron) do nothing`,
        [fn.id, cron, next],
      );
    }
  }
  await client.query(
    "delete from devstack.executor_crons where function_id not in (select id from devstack.executor_functions)",
  );
}

/**
 * Fires every due cron tick once: stores an `inngest/scheduled.timer` event whose id names the
 * function and the tick (so a tick can never start two runs) and starts the run. Ticks missed while
 * the devstack was down fire once, not once per missed tick.
 */
export async function fireDueCrons(ctx: ExecCtx): Promise<number> {
  let fired = 0;
  await withTransaction(ctx.pool, async (client) => {
    const { rows } = await client.query<{ function_id: string; cron: string; next_at: Date }>(
      `select function_id, cron, next_at from devstack.executor_crons
       where next_at <= now() order by next_at limit 50 for update skip locked`,
    );
    for (const row of rows) {
      const fn = ctx.functions().get(row.function_id);
      const next = nextTick(row.cron, new Date(Math.max(Date.now(), row.next_at.getTime())));
      if (next) {
        await client.query(
          "update devstack.executor_crons set next_at = $3 where function_id = $1 and cron = $2",
          [row.function_id, row.cron, next],
        );
      } else {
        await client.query(
          "delete from devstack.executor_crons where function_id = $1 and cron = $2",
          [row.function_id, row.cron],
        );
      }
      if (!fn) continue;
      const tick = row.next_at.toISOString();
      const event: EventPayload = {
        id: `cron:${row.function_id}:${tick}`,
        name: "inngest/scheduled.timer",
        data: { cron: row.cron },
        ts: row.next_at.getTime(),
      };
      const inserted = await client.query(
        `insert into devstack.executor_events (id, name, data, payload, ts, processed_at)
         values ($1, $2, $3, $4, $5, now()) on conflict (id) do nothing`,
        [event.id, event.name, JSON.stringify(event.data), JSON.stringify(event), event.ts],
      );
      if (inserted.rowCount === 0) continue;
      await createRun(client, fn, event, [event]);
      fired++;
    }
  });
  if (fired > 0) ctx.wakeQueue();
  return fired;
}
