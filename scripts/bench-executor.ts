/**
 * `npm run bench:executor`: how fast the devstack executor drives a real SDK app.
 *
 * 1. Latency: one event at a time to a 3-step function; event received → run completed, measured
 *    from the executor's own timestamps (p50/p95).
 * 2. Throughput: 1,000 events to the same function declared with `concurrency: 10`; runs per
 *    second from the first event received to the last run completed.
 *
 * Uses a fresh database (inside the devstack's Postgres when one runs, otherwise a throwaway
 * embedded Postgres) and an executor in this process, so it never disturbs a running devstack.
 */
import { Inngest } from "inngest";
import {
  executorContext,
  freshDatabase,
  serveApp,
  startExecutor,
  syncApp,
} from "./lib/inngest-harness";

const LATENCY_RUNS = Number(process.env.BENCH_LATENCY_RUNS ?? 50);
const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const ctx = executorContext(db.url);
  const executor = await startExecutor(ctx, {
    backoffMs: undefined,
    pollMs: Number(process.env.BENCH_POLL_MS ?? 250),
  });
  const inngest = new Inngest({ id: "bench", isDev: true, baseUrl: executor.url });
  const threeSteps = inngest.createFunction(
    { id: "three-steps", triggers: [{ event: "bench/latency.requested" }] },
    async ({ event, step }) => {
      const a = await step.run("one", () => (event.data as { n: number }).n + 1);
      const b = await step.run("two", () => a * 2);
      return step.run("three", () => b + 1);
    },
  );
  const limited = inngest.createFunction(
    {
      id: "three-steps-limited",
      triggers: [{ event: "bench/throughput.requested" }],
      concurrency: { limit: 10 },
    },
    async ({ event, step }) => {
      const a = await step.run("one", () => (event.data as { n: number }).n + 1);
      const b = await step.run("two", () => a * 2);
      return step.run("three", () => b + 1);
    },
  );
  const app = await serveApp(inngest, [threeSteps, limited]);
  await syncApp(executor.url, app.url);

  const latency = async (fnId: string) => {
    const { rows } = await ctx.adminPool.query<{ ms: number; ok: boolean }>(
      `select extract(epoch from (r.ended_at - e.received_at)) * 1000 as ms,
              r.status = 'completed' as ok
       from devstack.executor_runs r join devstack.executor_events e on e.id = r.event_id
       where r.function_id = $1 and r.ended_at is not null`,
      [fnId],
    );
    return rows;
  };
  const waitDone = async (fnId: string, n: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await ctx.adminPool.query<{ n: number }>(
        "select count(*)::int as n from devstack.executor_runs where function_id = $1 and ended_at is not null",
        [fnId],
      );
      if ((rows[0]?.n ?? 0) >= n) return;
      if (Date.now() > deadline) throw new Error(`${fnId}: only ${rows[0]?.n} of ${n} runs ended`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  try {
    // Warm up connections and the JIT.
    for (let i = 0; i < 3; i++) {
      await inngest.send({ name: "bench/latency.requested", data: { n: i } });
      await waitDone("bench-three-steps", i + 1, 10_000);
    }
    await ctx.adminPool.query(
      "delete from devstack.executor_runs where function_id = 'bench-three-steps'",
    );
    for (let i = 0; i < LATENCY_RUNS; i++) {
      await inngest.send({ name: "bench/latency.requested", data: { n: i } });
      await waitDone("bench-three-steps", i + 1, 10_000);
    }
    const lat = (await latency("bench-three-steps")).map((r) => Number(r.ms)).sort((a, b) => a - b);

    const t0 = Date.now();
    const batch = 100;
    for (let i = 0; i < THROUGHPUT_EVENTS; i += batch) {
      await inngest.send(
        Array.from({ length: Math.min(batch, THROUGHPUT_EVENTS - i) }, (_, j) => ({
          name: "bench/throughput.requested",
          data: { n: i + j },
        })),
      );
    }
    const sentMs = Date.now() - t0;
    await waitDone("bench-three-steps-limited", THROUGHPUT_EVENTS, 600_000);
    const { rows } = await ctx.adminPool.query<{ ms: number; failed: number }>(
      `select extract(epoch from (max(r.ended_at) - min(e.received_at))) * 1000 as ms,
              count(*) filter (where r.status <> 'completed')::int as failed
       from devstack.executor_runs r join devstack.executor_events e on e.id = r.event_id
       where r.function_id = 'bench-three-steps-limited'`,
    );
    const totalMs = Number(rows[0]?.ms ?? 0);
    const loaded = (await latency("bench-three-steps-limited"))
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);

    console.log("devstack executor benchmark (3-step function, real SDK over HTTP)");
    console.log(
      `  latency, one event at a time (n=${lat.length}): p50 ${percentile(lat, 50).toFixed(1)} ms, p95 ${percentile(lat, 95).toFixed(1)} ms`,
    );
    console.log(
      `  throughput, ${THROUGHPUT_EVENTS} events, concurrency 10: ${(THROUGHPUT_EVENTS / (totalMs / 1000)).toFixed(1)} runs/s (${(totalMs / 1000).toFixed(2)} s total; events accepted in ${sentMs} ms; ${rows[0]?.failed ?? 0} not completed)`,
    );
    console.log(
      `  queueing under that load: event → completion p50 ${(percentile(loaded, 50) / 1000).toFixed(2)} s, p95 ${(percentile(loaded, 95) / 1000).toFixed(2)} s`,
    );
  } finally {
    await app.close();
    await executor.stop();
    await ctx.adminPool.end();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
