import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Executor } from "@/devstack/executor";
import type { DevstackContext } from "@/devstack/shared/context";
import {
  executorContext,
  freshDatabase,
  getJson,
  type RunView,
  runsOf,
  serveApp,
  startExecutor,
  syncApp,
  waitFor,
  waitForRun,
} from "../../../scripts/lib/inngest-harness";

let db: Awaited<ReturnType<typeof freshDatabase>>;
let ctx: DevstackContext;
let executor: Executor;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;

const cronEvents: Array<{ name: string; cron: string; ts: number }> = [];
const inFlight = new Map<string, number>();
const maxInFlight = new Map<string, number>();
let totalInFlight = 0;
let maxTotal = 0;
const throttleStarts: number[] = [];
const priorityOrder: string[] = [];
/** Backlog runs whose work finished, and how many had when the bystander ran (starvation test). */
let backlogDone = 0;
let backlogDoneWhenBystanderRan: number | undefined;

async function settled(fnId: string, n: number, timeoutMs = 20_000): Promise<RunView[]> {
  return waitFor(
    async () => {
      const runs = await runsOf(executor.url, fnId);
      const done = runs.filter((r) =>
        ["completed", "failed", "skipped", "cancelled"].includes(r.status),
      );
      return done.length >= n ? runs : undefined;
    },
    timeoutMs,
    `${n} runs of ${fnId}`,
  );
}

beforeAll(async () => {
  db = await freshDatabase();
  ctx = executorContext(db.url);
  executor = await startExecutor(ctx);
  inngest = new Inngest({ id: "flow", isDev: true, baseUrl: executor.url });
  const functions = [
    inngest.createFunction(
      { id: "every-second", triggers: [{ cron: "TZ=Europe/Paris * * * * * *" }] },
      async ({ event }) => {
        cronEvents.push({
          name: event.name,
          cron: (event.data as { cron: string }).cron,
          ts: Date.now(),
        });
        return "tick";
      },
    ),
    inngest.createFunction(
      {
        id: "per-org",
        triggers: [{ event: "t/org.work" }],
        concurrency: { limit: 2, key: "event.data.organizationId" },
      },
      async ({ event, step }) => {
        const org = (event.data as { organizationId: string }).organizationId;
        await step.run("work", async () => {
          const now = (inFlight.get(org) ?? 0) + 1;
          inFlight.set(org, now);
          maxInFlight.set(org, Math.max(maxInFlight.get(org) ?? 0, now));
          totalInFlight++;
          maxTotal = Math.max(maxTotal, totalInFlight);
          await new Promise((r) => setTimeout(r, 250));
          inFlight.set(org, (inFlight.get(org) ?? 1) - 1);
          totalInFlight--;
        });
        return org;
      },
    ),
    inngest.createFunction(
      {
        id: "once-per-ticket",
        triggers: [{ event: "t/ticket" }],
        idempotency: "event.data.ticketId",
      },
      async ({ event }) => (event.data as { ticketId: string }).ticketId,
    ),
    inngest.createFunction(
      {
        id: "throttled",
        triggers: [{ event: "t/throttled" }],
        throttle: { limit: 1, period: "1s" },
      },
      async () => {
        throttleStarts.push(Date.now());
        return "ok";
      },
    ),
    inngest.createFunction(
      {
        id: "rate-limited",
        triggers: [{ event: "t/limited" }],
        rateLimit: { limit: 1, period: "1m", key: "event.data.userId" },
      },
      async ({ event }) => (event.data as { userId: string }).userId,
    ),
    inngest.createFunction(
      {
        id: "singleton-skip",
        triggers: [{ event: "t/singleton-skip" }],
        singleton: { key: "event.data.repo", mode: "skip" },
      },
      async ({ event, step }) => {
        await step.sleep("hold", "2s");
        return (event.data as { n: number }).n;
      },
    ),
    inngest.createFunction(
      {
        id: "singleton-cancel",
        triggers: [{ event: "t/singleton-cancel" }],
        singleton: { key: "event.data.repo", mode: "cancel" },
      },
      async ({ event, step }) => {
        await step.sleep("hold", "2s");
        return (event.data as { n: number }).n;
      },
    ),
    inngest.createFunction(
      {
        id: "debounced",
        triggers: [{ event: "t/debounced" }],
        debounce: { period: "2s", key: "event.data.repo" },
      },
      async ({ event }) => event.data as { repo: string; n: number },
    ),
    inngest.createFunction(
      { id: "too-slow", triggers: [{ event: "t/too-slow" }], timeouts: { finish: "1s" } },
      async ({ step }) => {
        await step.sleep("long", "3s");
        return "finished";
      },
    ),
    inngest.createFunction(
      {
        id: "batched",
        triggers: [{ event: "t/batched" }],
        batchEvents: { maxSize: 3, timeout: "1s" },
      },
      async ({ events }) => events.map((e) => (e.data as { n: number }).n),
    ),
    inngest.createFunction(
      {
        id: "prioritised",
        triggers: [{ event: "t/prioritised" }],
        concurrency: 1,
        priority: { run: "event.data.p" },
      },
      async ({ event, step }) => {
        const label = (event.data as { label: string }).label;
        await step.run("work", async () => {
          priorityOrder.push(label);
          await new Promise((r) => setTimeout(r, label === "blocker" ? 2000 : 50));
        });
        return label;
      },
    ),
    inngest.createFunction(
      {
        id: "start-timeout",
        triggers: [{ event: "t/start-timeout" }],
        concurrency: 1,
        timeouts: { start: "1s" },
      },
      async ({ step }) => {
        await step.run("hog", () => new Promise((r) => setTimeout(r, 2000)));
        return "ran";
      },
    ),
    inngest.createFunction(
      { id: "backlogged", triggers: [{ event: "t/backlog" }], concurrency: 1 },
      async ({ step }) =>
        step.run("slow", async () => {
          await new Promise((r) => setTimeout(r, 100));
          backlogDone++;
        }),
    ),
    inngest.createFunction({ id: "bystander", triggers: [{ event: "t/bystander" }] }, async () => {
      backlogDoneWhenBystanderRan ??= backlogDone;
      return "not starved";
    }),
  ];
  app = await serveApp(inngest, functions);
  await syncApp(executor.url, app.url);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await executor?.stop();
  await ctx?.adminPool.end();
  await db?.drop();
});

describe("flow control", () => {
  it("fires a cron with a time zone every second, one run per tick", async () => {
    await waitFor(() => cronEvents.length >= 3, 8000, "three cron ticks");
    expect(cronEvents.every((e) => e.name === "inngest/scheduled.timer")).toBe(true);
    expect(cronEvents[0]?.cron).toBe("TZ=Europe/Paris * * * * * *");
    const runs = await runsOf(executor.url, "flow-every-second");
    const eventIds = runs.map((r) => r.event_id);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    // One run per tick: the event ids name the ticks, which are whole seconds apart (when the
    // app sees each call depends on machine load, the tick it belongs to does not).
    const ticks = eventIds
      // `cron:<fn>:<tick as toISOString()>`, whose last 24 characters are the tick.
      .map((id) => Date.parse(id.slice(-24)))
      .sort((a, b) => a - b);
    expect(ticks.every((t) => Number.isFinite(t) && t % 1000 === 0)).toBe(true);
    const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });

  it("holds a keyed concurrency limit under a burst, while other keys run alongside", async () => {
    const events = Array.from({ length: 16 }, (_, i) => ({
      name: "t/org.work",
      data: { organizationId: i % 2 === 0 ? "org-a" : "org-b" },
    }));
    await inngest.send(events);
    const runs = await settled("flow-per-org", 16);
    expect(runs.filter((r) => r.status === "completed")).toHaveLength(16);
    expect(maxInFlight.get("org-a")).toBe(2);
    expect(maxInFlight.get("org-b")).toBe(2);
    // Both keys ran at the same time: the limit is per organization, not per function.
    expect(maxTotal).toBeGreaterThan(2);
  });

  it("runs an idempotency key once, skipping repeats", async () => {
    await inngest.send([
      { name: "t/ticket", data: { ticketId: "T-1" } },
      { name: "t/ticket", data: { ticketId: "T-1" } },
      { name: "t/ticket", data: { ticketId: "T-2" } },
    ]);
    await inngest.send({ name: "t/ticket", data: { ticketId: "T-1" } });
    const runs = await settled("flow-once-per-ticket", 4);
    const completed = runs.filter((r) => r.status === "completed").map((r) => r.output);
    expect(completed.sort()).toEqual(["T-1", "T-2"]);
    const skipped = runs.filter((r) => r.status === "skipped");
    expect(skipped).toHaveLength(2);
    expect(skipped[0]?.reason).toContain("idempotency");
  });

  it("throttles starts (delays, never drops)", async () => {
    const sent = Date.now();
    await inngest.send(Array.from({ length: 3 }, () => ({ name: "t/throttled", data: {} })));
    const runs = await settled("flow-throttled", 3, 10_000);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    const sorted = [...throttleStarts].sort((a, b) => a - b);
    expect(sorted).toHaveLength(3);
    // One start a second: the k-th start cannot come before k periods after the events were sent
    // (unthrottled, all three start at once). Lower bounds only: a loaded machine makes a start
    // later, never earlier; 50 ms allows for the database's clock against this process's.
    expect((sorted[1] ?? 0) - sent).toBeGreaterThanOrEqual(1000 - 50);
    expect((sorted[2] ?? 0) - sent).toBeGreaterThanOrEqual(2000 - 50);
  });

  it("rate limits per key by dropping the excess", async () => {
    await inngest.send([
      { name: "t/limited", data: { userId: "u1" } },
      { name: "t/limited", data: { userId: "u1" } },
      { name: "t/limited", data: { userId: "u1" } },
      { name: "t/limited", data: { userId: "u2" } },
    ]);
    const runs = await settled("flow-rate-limited", 4);
    expect(
      runs
        .filter((r) => r.status === "completed")
        .map((r) => r.output)
        .sort(),
    ).toEqual(["u1", "u2"]);
    const skipped = runs.filter((r) => r.status === "skipped");
    expect(skipped).toHaveLength(2);
    const detail = await getJson<RunView>(`${executor.url}/v1/runs/${skipped[0]?.id}`);
    expect(detail.reason).toContain("rate limited");
  });

  it("singleton skip: a second run with the same key is skipped while the first runs", async () => {
    const first = (await inngest.send({ name: "t/singleton-skip", data: { repo: "r1", n: 1 } }))
      .ids[0];
    await waitFor(async () => {
      const r = (await runsOf(executor.url, "flow-singleton-skip")).find(
        (x) => x.event_id === first,
      );
      return r?.status === "running";
    });
    await inngest.send([
      { name: "t/singleton-skip", data: { repo: "r1", n: 2 } },
      { name: "t/singleton-skip", data: { repo: "r2", n: 3 } },
    ]);
    const runs = await settled("flow-singleton-skip", 3);
    expect(
      runs
        .filter((r) => r.status === "completed")
        .map((r) => r.output)
        .sort(),
    ).toEqual([1, 3]);
    expect(runs.find((r) => r.status === "skipped")?.reason).toContain("singleton");
  });

  it("singleton cancel: a newer run with the same key replaces the running one", async () => {
    const first = (await inngest.send({ name: "t/singleton-cancel", data: { repo: "r1", n: 1 } }))
      .ids[0];
    await waitFor(async () => {
      const r = (await runsOf(executor.url, "flow-singleton-cancel")).find(
        (x) => x.event_id === first,
      );
      return r?.status === "running";
    });
    await inngest.send({ name: "t/singleton-cancel", data: { repo: "r1", n: 2 } });
    const runs = await settled("flow-singleton-cancel", 2);
    expect(runs.find((r) => r.event_id === first)?.status).toBe("cancelled");
    expect(runs.find((r) => r.event_id !== first)?.output).toBe(2);
  });

  it("debounces per key: one run, with the last event, after the quiet period", async () => {
    for (const n of [1, 2, 3]) {
      await inngest.send({ name: "t/debounced", data: { repo: "a", n } });
      await new Promise((r) => setTimeout(r, 250));
    }
    await inngest.send({ name: "t/debounced", data: { repo: "b", n: 9 } });
    const runs = await settled("flow-debounced", 2);
    await new Promise((r) => setTimeout(r, 1200));
    const all = await runsOf(executor.url, "flow-debounced");
    expect(all).toHaveLength(2);
    expect(all.map((r) => r.output)).toEqual(
      expect.arrayContaining([
        { repo: "a", n: 3 },
        { repo: "b", n: 9 },
      ]),
    );
    expect(runs.every((r) => r.status === "completed")).toBe(true);
  });

  it("cancels a run that does not finish within timeouts.finish", async () => {
    const id = (await inngest.send({ name: "t/too-slow", data: {} })).ids[0];
    const runs = await settled("flow-too-slow", 1, 10_000);
    const run = runs.find((r) => r.event_id === id);
    expect(run?.status).toBe("cancelled");
    expect(run?.reason).toContain("timeouts.finish");
  });

  it("batches events: a full batch runs at once, the rest after the timeout", async () => {
    await inngest.send([1, 2, 3, 4].map((n) => ({ name: "t/batched", data: { n } })));
    const runs = await settled("flow-batched", 2, 10_000);
    const outputs = runs.map((r) => r.output as number[]);
    expect(outputs).toEqual(expect.arrayContaining([[1, 2, 3], [4]]));
    expect(runs).toHaveLength(2);
  });

  it("starts higher-priority runs first when they compete for a slot", async () => {
    await inngest.send({ name: "t/prioritised", data: { label: "blocker", p: 0 } });
    await waitFor(() => priorityOrder.includes("blocker"), 5000, "blocker to start");
    await inngest.send({ name: "t/prioritised", data: { label: "low", p: -100 } });
    await new Promise((r) => setTimeout(r, 100));
    await inngest.send({ name: "t/prioritised", data: { label: "high", p: 100 } });
    await settled("flow-prioritised", 3, 10_000);
    expect(priorityOrder).toEqual(["blocker", "high", "low"]);
  });

  it("cancels a run that cannot start within timeouts.start", async () => {
    const first = (await inngest.send({ name: "t/start-timeout", data: {} })).ids[0];
    await new Promise((r) => setTimeout(r, 200));
    const second = (await inngest.send({ name: "t/start-timeout", data: {} })).ids[0];
    const runs = await settled("flow-start-timeout", 2, 10_000);
    expect(runs.find((r) => r.event_id === first)?.status).toBe("completed");
    const late = runs.find((r) => r.event_id === second);
    expect(late?.status).toBe("cancelled");
    expect(late?.reason).toContain("timeouts.start");
  });

  it("does not let a backlog on one concurrency key starve other functions", async () => {
    // 300 queued runs that can only go one at a time (~30 s of work), then one unrelated event.
    // Starvation is an order, not a speed: a starved bystander runs only once the backlog drained.
    // So the test counts how much of the backlog had finished when the bystander ran, however
    // slow the machine is; the generous wait lets a starved bystander finish and fail the count.
    const BACKLOG = 300;
    await inngest.send(
      Array.from({ length: BACKLOG }, (_, n) => ({ name: "t/backlog", data: { n } })),
    );
    const id = (await inngest.send({ name: "t/bystander", data: {} })).ids[0] as string;
    const run = await waitForRun(executor.url, "flow-bystander", id, 120_000);
    expect(run.output).toBe("not starved");
    // It ran while most of the backlog was still queued: the bystander was due as soon as it was
    // sent, and the backlog goes one at a time whatever the load (19 of 300 done at load 22 on 2
    // cores; an executor made to claim in strict queue order ran it at 300 and failed here).
    expect(backlogDoneWhenBystanderRan).toBeDefined();
    expect(backlogDoneWhenBystanderRan).toBeLessThan(BACKLOG / 2);
    // Cancel the rest so it does not load the machine for the remaining tests.
    const backlog = await runsOf(executor.url, "flow-backlogged");
    for (const r of backlog.filter((x) => x.status === "queued" || x.status === "running")) {
      await fetch(`${executor.url}/v1/runs/${r.id}/cancel`, { method: "POST" });
    }
  }, 180_000);

  it("prunes ended runs and their events after a week, keeping recent and active ones", async () => {
    const pool = ctx.adminPool;
    const insertEvent = (id: string, age: string) =>
      pool.query(
        `insert into devstack.executor_events (id, name, data, payload, ts, received_at, processed_at)
         values ($1, 'x/old', '{}', '{}', 0, now() - $2::interval, now() - $2::interval)`,
        [id, age],
      );
    const insertRun = (id: string, eventId: string, status: string, ended: string | null) =>
      pool.query(
        `insert into devstack.executor_runs (id, function_id, event_id, event, events, status, ended_at)
         values ($1, 'flow-x', $2, '{}', '[]', $3, now() - $4::interval)`,
        [id, eventId, status, ended],
      );
    await insertEvent("old-ended", "8 days");
    await insertRun("run-old-ended", "old-ended", "completed", "8 days");
    await insertEvent("old-active", "8 days");
    await insertRun("run-old-active", "old-active", "running", null);
    await insertEvent("recent", "1 day");
    await insertRun("run-recent", "recent", "completed", "1 day");
    const { pruneFlowControl } = await import("@/devstack/executor/flow-control");
    await pruneFlowControl(pool);
    const runs = await pool.query<{ id: string }>(
      "select id from devstack.executor_runs where function_id = 'flow-x' order by id",
    );
    expect(runs.rows.map((r) => r.id)).toEqual(["run-old-active", "run-recent"]);
    const events = await pool.query<{ id: string }>(
      "select id from devstack.executor_events where name = 'x/old' order by id",
    );
    expect(events.rows.map((r) => r.id)).toEqual(["old-active", "recent"]);
  });
});
