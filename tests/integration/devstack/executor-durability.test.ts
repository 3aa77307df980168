import type { ChildProcess } from "node:child_process";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freshDatabase,
  getJson,
  type RunView,
  runsOf,
  serveApp,
  syncApp,
  waitFor,
  waitForRun,
} from "../../../scripts/lib/inngest-harness";
import { freePort, killExecutorChild, startExecutorChild } from "./fixtures/executor-child";

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Awaited<ReturnType<typeof serveApp>>;
let executorUrl: string;
let port: number;
let child: ChildProcess | undefined;
let inngest: Inngest;

const calls = new Map<string, number>();
function count(key: string): number {
  const n = (calls.get(key) ?? 0) + 1;
  calls.set(key, n);
  return n;
}

/** The executor in a process of its own, on its database; resolves when it listens. */
async function startChild(): Promise<void> {
  child = await startExecutorChild(db.url, port);
}

async function killChild(): Promise<void> {
  await killExecutorChild(child);
  child = undefined;
}

beforeAll(async () => {
  db = await freshDatabase();
  port = await freePort();
  executorUrl = `http://127.0.0.1:${port}`;
  await startChild();
  inngest = new Inngest({ id: "durable", isDev: true, baseUrl: executorUrl });
  const fn = inngest.createFunction(
    { id: "three-steps", triggers: [{ event: "t/durable" }] },
    async ({ event, step }) => {
      const k = (event.data as { key: string }).key;
      const one = await step.run("one", () => count(`${k}:one`));
      await step.sleep("pause", "1s");
      const two = await step.run("two", async () => {
        count(`${k}:two`);
        // Long enough for the test to kill the executor while this step is in flight.
        await new Promise((r) => setTimeout(r, 1200));
        return "two";
      });
      const three = await step.run("three", () => count(`${k}:three`));
      return { one, two, three };
    },
  );
  app = await serveApp(inngest, [fn]);
  await syncApp(executorUrl, app.url);
}, 60_000);

afterAll(async () => {
  await killChild();
  await app?.close();
  await db?.drop();
});

describe("durability across executor restarts", () => {
  it("resumes a sleeping run after kill -9 without re-running completed steps", async () => {
    const { ids } = await inngest.send({ name: "t/durable", data: { key: "k1" } });
    const id = ids[0] as string;
    // Kill only once the executor has stored step one and scheduled the sleep.
    await waitFor(
      async () => {
        const run = (await runsOf(executorUrl, "durable-three-steps")).find(
          (r) => r.event_id === id,
        );
        if (!run) return undefined;
        const view = await getJson<RunView>(`${executorUrl}/v1/runs/${run.id}`);
        return view.steps.some((s) => s.name === "pause" && s.state === "sleeping");
      },
      10_000,
      "the sleep to start",
    );
    await killChild();
    // The sleep ends while no executor is running.
    await new Promise((r) => setTimeout(r, 1200));
    await startChild();
    const run = await waitForRun(executorUrl, "durable-three-steps", id, 20_000);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ one: 1, two: "two", three: 1 });
    expect(calls.get("k1:one")).toBe(1);
    expect(calls.get("k1:two")).toBe(1);
    expect(calls.get("k1:three")).toBe(1);
    expect(
      (await runsOf(executorUrl, "durable-three-steps")).filter((r) => r.event_id === id),
    ).toHaveLength(1);
  });

  it("re-runs only the step that was in flight when the executor was killed", async () => {
    const { ids } = await inngest.send({ name: "t/durable", data: { key: "k2" } });
    const id = ids[0] as string;
    await waitFor(() => calls.get("k2:two") === 1, 10_000, "step two to start");
    await killChild();
    await startChild();
    const run = await waitForRun(executorUrl, "durable-three-steps", id, 20_000);
    expect(run.status).toBe("completed");
    expect(calls.get("k2:one")).toBe(1);
    // The result of the in-flight call was lost with the process: the step runs again once the
    // lease lapses (at-least-once, as in Inngest). Completed steps are never repeated.
    expect(calls.get("k2:two")).toBe(2);
    expect(calls.get("k2:three")).toBe(1);
    expect(
      (await runsOf(executorUrl, "durable-three-steps")).filter((r) => r.event_id === id),
    ).toHaveLength(1);
  });

  it("processes events that were stored but not yet processed when the executor died", async () => {
    await killChild();
    // What the event API had committed at the moment of the crash: the event, unprocessed.
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const event = {
      id: "stored-before-crash",
      name: "t/durable",
      data: { key: "k3" },
      ts: Date.now(),
    };
    await pool.query(
      `insert into devstack.executor_events (id, name, data, payload, ts) values ($1, $2, $3, $4, $5)`,
      [event.id, event.name, JSON.stringify(event.data), JSON.stringify(event), event.ts],
    );
    await pool.end();
    await startChild();
    const run = await waitForRun(executorUrl, "durable-three-steps", event.id, 20_000);
    expect(run.status).toBe("completed");
    expect(calls.get("k3:one")).toBe(1);
  });
});
