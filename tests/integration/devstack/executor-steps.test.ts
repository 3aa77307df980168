import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
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

/** How many times each body of code ran, keyed by test-chosen labels. */
const calls = new Map<string, number>();
const times = new Map<string, number[]>();
function count(key: string): number {
  const n = (calls.get(key) ?? 0) + 1;
  calls.set(key, n);
  times.set(key, [...(times.get(key) ?? []), Date.now()]);
  return n;
}
const failures: unknown[] = [];

async function send(name: string, data: Record<string, unknown> = {}): Promise<string> {
  const { ids } = await inngest.send({ name, data });
  return ids[0] as string;
}

beforeAll(async () => {
  db = await freshDatabase();
  ctx = executorContext(db.url);
  executor = await startExecutor(ctx);
  inngest = new Inngest({ id: "steps", isDev: true, baseUrl: executor.url });
  const key = (event: { data?: unknown }) => (event.data as { key: string }).key;

  const child = inngest.createFunction(
    { id: "child", triggers: [{ event: "t/child-direct" }], retries: 0 },
    async ({ event, step }) => {
      const d = event.data as { x: number; fail?: boolean; slow?: boolean };
      if (d.fail) throw new NonRetriableError("child refused");
      if (d.slow) await step.sleep("dawdle", "3s");
      return step.run("double", () => d.x * 2);
    },
  );

  const functions = [
    inngest.createFunction(
      { id: "parallel", triggers: [{ event: "t/parallel" }] },
      async ({ event, step }) => {
        const k = key(event);
        const [a, b, c] = await Promise.all([
          step.run("a", () => count(`${k}:a`) && "A"),
          step.run("b", () => count(`${k}:b`) && "B"),
          step.run("c", () => count(`${k}:c`) && "C"),
        ]);
        const d = await step.run("d", () => count(`${k}:d`) && `${a}${b}${c}`);
        return d;
      },
    ),
    inngest.createFunction(
      { id: "sleeper", triggers: [{ event: "t/sleep" }] },
      async ({ event, step }) => {
        const k = key(event);
        await step.run("before", () => count(`${k}:before`));
        await step.sleep("nap", "1s");
        await step.sleepUntil("until", new Date(Date.now() + 500));
        await step.run("after", () => count(`${k}:after`));
        return "woke";
      },
    ),
    inngest.createFunction(
      { id: "waiter", triggers: [{ event: "t/wait" }] },
      async ({ event, step }) => {
        const byMatch = await step.waitForEvent("approval", {
          event: "t/approved",
          match: "data.key",
          timeout: "10s",
        });
        const byIf = await step.waitForEvent("big-payment", {
          event: "t/paid",
          if: `async.data.amount > 10 && async.data.key == "${key(event)}"`,
          timeout: "10s",
        });
        return { approvedBy: byMatch?.data.by ?? null, paid: byIf?.data.amount ?? null };
      },
    ),
    inngest.createFunction(
      { id: "wait-timeout", triggers: [{ event: "t/wait-timeout" }] },
      async ({ step }) => {
        const got = await step.waitForEvent("never", { event: "t/never", timeout: "1s" });
        return { got };
      },
    ),
    child,
    inngest.createFunction(
      { id: "parent", triggers: [{ event: "t/parent" }] },
      async ({ event, step }) => {
        const d = event.data as { x: number };
        const ok = await step.invoke("call-child", {
          function: child,
          data: { x: d.x },
        });
        let failed = "";
        try {
          await step.invoke("call-child-failing", {
            function: child,
            data: { x: 0, fail: true },
          });
        } catch (err) {
          failed = (err as Error).message;
        }
        let timedOut = "";
        try {
          await step.invoke("call-child-slow", {
            function: child,
            data: { x: 1, slow: true },
            timeout: "1s",
          });
        } catch (err) {
          timedOut = (err as Error).message;
        }
        return { ok, failed, timedOut };
      },
    ),
    inngest.createFunction(
      { id: "sender", triggers: [{ event: "t/send" }] },
      async ({ event, step }) => {
        const { ids } = await step.sendEvent("fan-out", {
          name: "t/received",
          data: { key: key(event) },
        });
        return ids;
      },
    ),
    inngest.createFunction(
      { id: "receiver", triggers: [{ event: "t/received" }] },
      async ({ event }) => ({ receivedKey: key(event) }),
    ),
    inngest.createFunction(
      { id: "flaky-step", triggers: [{ event: "t/flaky" }], retries: 3 },
      async ({ event, step }) => {
        const d = event.data as { key: string; failTimes: number };
        const v = await step.run("flaky", () => {
          const n = count(`${d.key}:flaky`);
          if (n <= d.failTimes) throw new Error(`boom ${n}`);
          return n;
        });
        return { succeededOn: v };
      },
    ),
    inngest.createFunction(
      { id: "always-fails", triggers: [{ event: "t/always-fails" }], retries: 2 },
      async ({ event, step }) => {
        await step.run("doomed", () => {
          count(`${key(event)}:doomed`);
          throw new Error("always");
        });
      },
    ),
    inngest.createFunction(
      { id: "retry-after", triggers: [{ event: "t/retry-after" }], retries: 1 },
      async ({ event, step }) => {
        return step.run("later", () => {
          const n = count(`${key(event)}:later`);
          if (n === 1) throw new RetryAfterError("not yet", 1500);
          return n;
        });
      },
    ),
    inngest.createFunction(
      { id: "non-retriable", triggers: [{ event: "t/non-retriable" }], retries: 3 },
      async ({ event, step }) => {
        await step.run("refuse", () => {
          count(`${key(event)}:refuse`);
          throw new NonRetriableError("bad input");
        });
      },
    ),
    inngest.createFunction(
      { id: "fn-level", triggers: [{ event: "t/fn-level" }], retries: 2 },
      async ({ event, attempt }) => {
        count(`${key(event)}:fn`);
        if (attempt < 2) throw new Error(`attempt ${attempt} fails`);
        return { attempt };
      },
    ),
    inngest.createFunction(
      {
        id: "with-failure-handler",
        triggers: [{ event: "t/fails-with-handler" }],
        retries: 0,
        onFailure: async ({ event, error }) => {
          failures.push({
            fn: event.data.function_id,
            message: error.message,
            key: key(event.data.event),
          });
        },
      },
      async () => {
        throw new Error("it broke");
      },
    ),
    inngest.createFunction(
      {
        id: "cancellable",
        triggers: [{ event: "t/cancellable" }],
        cancelOn: [{ event: "t/cancel", match: "data.key" }],
      },
      async ({ event, step }) => {
        await step.run("start", () => count(`${key(event)}:start`));
        await step.sleep("long", "2s");
        await step.run("end", () => count(`${key(event)}:end`));
      },
    ),
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

describe("steps", () => {
  it("runs parallel steps once each, then a planned step with their results", async () => {
    const id = await send("t/parallel", { key: "p1" });
    const run = await waitForRun(executor.url, "steps-parallel", id);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("ABC");
    for (const s of ["a", "b", "c", "d"]) expect(calls.get(`p1:${s}`)).toBe(1);
    expect(run.steps.map((s) => s.name).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("sleeps (step.sleep and step.sleepUntil) and wakes", async () => {
    const t0 = Date.now();
    const id = await send("t/sleep", { key: "s1" });
    const run = await waitForRun(executor.url, "steps-sleeper", id);
    expect(run.status).toBe("completed");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(calls.get("s1:before")).toBe(1);
    expect(calls.get("s1:after")).toBe(1);
    const kinds = run.timeline.map((t) => t.kind);
    expect(kinds.filter((k) => k === "sleep.woke")).toHaveLength(2);
  });

  it("resolves waitForEvent by match and by if, ignoring events that do not match", async () => {
    const id = await send("t/wait", { key: "w1" });
    // Send each event only once the executor has registered the wait it is meant for.
    const waiting = (stepName: string) =>
      waitFor(
        async () => {
          const r = (await runsOf(executor.url, "steps-waiter")).find((x) => x.event_id === id);
          if (!r) return undefined;
          const view = await getJson<RunView>(`${executor.url}/v1/runs/${r.id}`);
          return view.steps.some((s) => s.name === stepName && s.state === "waiting");
        },
        10_000,
        `wait ${stepName}`,
      );
    await waiting("approval");
    await send("t/approved", { key: "other", by: "mallory" });
    await send("t/approved", { key: "w1", by: "alice" });
    await waiting("big-payment");
    await send("t/paid", { key: "w1", amount: 5 });
    await send("t/paid", { key: "w1", amount: 50 });
    const run = await waitForRun(executor.url, "steps-waiter", id);
    expect(run.output).toEqual({ approvedBy: "alice", paid: 50 });
  });

  it("times a wait out with null", async () => {
    const id = await send("t/wait-timeout");
    const run = await waitForRun(executor.url, "steps-wait-timeout", id);
    expect(run.output).toEqual({ got: null });
    expect(run.timeline.map((t) => t.kind)).toContain("wait.timed_out");
  });

  it("invokes another function and gets its result, its error or a timeout", async () => {
    const id = await send("t/parent", { x: 21 });
    const run = await waitForRun(executor.url, "steps-parent", id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({
      ok: 42,
      failed: expect.stringContaining("child refused"),
      timedOut: expect.stringContaining("Timed out"),
    });
  });

  it("sends events from a step, which trigger their own runs", async () => {
    const id = await send("t/send", { key: "se1" });
    const run = await waitForRun(executor.url, "steps-sender", id);
    const sentIds = run.output as string[];
    expect(sentIds).toHaveLength(1);
    const child = await waitForRun(executor.url, "steps-receiver", sentIds[0] as string);
    expect(child.output).toEqual({ receivedKey: "se1" });
  });
});

describe("errors and retries", () => {
  it("retries a failing step until it succeeds, counting attempts", async () => {
    const id = await send("t/flaky", { key: "f1", failTimes: 2 });
    const run = await waitForRun(executor.url, "steps-flaky-step", id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ succeededOn: 3 });
    expect(calls.get("f1:flaky")).toBe(3);
    expect(run.steps.find((s) => s.name === "flaky")?.attempts).toBe(3);
  });

  it("fails the run after retries + 1 attempts of a step", async () => {
    const id = await send("t/always-fails", { key: "af1" });
    const run = await waitForRun(executor.url, "steps-always-fails", id);
    expect(run.status).toBe("failed");
    expect(calls.get("af1:doomed")).toBe(3);
    expect(JSON.stringify(run.error)).toContain("always");
  });

  it("waits as long as RetryAfterError asks before retrying", async () => {
    const id = await send("t/retry-after", { key: "ra1" });
    const run = await waitForRun(executor.url, "steps-retry-after", id);
    expect(run.output).toBe(2);
    const [first, second] = times.get("ra1:later") ?? [];
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1400);
  });

  it("does not retry a NonRetriableError", async () => {
    const id = await send("t/non-retriable", { key: "nr1" });
    const run = await waitForRun(executor.url, "steps-non-retriable", id);
    expect(run.status).toBe("failed");
    expect(calls.get("nr1:refuse")).toBe(1);
  });

  it("retries errors thrown outside steps at the function level", async () => {
    const id = await send("t/fn-level", { key: "fl1" });
    const run = await waitForRun(executor.url, "steps-fn-level", id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ attempt: 2 });
    expect(calls.get("fl1:fn")).toBe(3);
    expect(run.attempts).toBe(3);
  });

  it("runs the onFailure handler with inngest/function.failed", async () => {
    const id = await send("t/fails-with-handler", { key: "of1" });
    const run = await waitForRun(executor.url, "steps-with-failure-handler", id);
    expect(run.status).toBe("failed");
    await waitFor(() => failures.length > 0, 10_000, "onFailure");
    expect(failures).toEqual([
      { fn: "steps-with-failure-handler", message: "it broke", key: "of1" },
    ]);
  });

  it("cancels a run when a matching cancelOn event arrives", async () => {
    const id = await send("t/cancellable", { key: "c1" });
    const other = await send("t/cancellable", { key: "c2" });
    await waitFor(() => calls.get("c1:start") === 1 && calls.get("c2:start") === 1);
    await send("t/cancel", { key: "c1" });
    const run = await waitForRun(executor.url, "steps-cancellable", id);
    expect(run.status).toBe("cancelled");
    const survivor = await waitForRun(executor.url, "steps-cancellable", other);
    expect(survivor.status).toBe("completed");
    expect(calls.get("c1:end")).toBeUndefined();
    expect(calls.get("c2:end")).toBe(1);
  });

  it("cancels a run through the API (POST /v1/runs/:id/cancel)", async () => {
    const id = await send("t/cancellable", { key: "api1" });
    await waitFor(() => calls.get("api1:start") === 1);
    const run = await waitFor(async () =>
      (await runsOf(executor.url, "steps-cancellable")).find((r) => r.event_id === id),
    );
    const res = await fetch(`${executor.url}/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect(await res.json()).toEqual({ cancelled: true });
    const again = await fetch(`${executor.url}/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect(await again.json()).toEqual({ cancelled: false });
    const missing = await fetch(`${executor.url}/v1/runs/nope/cancel`, { method: "POST" });
    expect(missing.status).toBe(404);
    const done = await waitForRun(executor.url, "steps-cancellable", id);
    expect(done.status).toBe("cancelled");
    await new Promise((r) => setTimeout(r, 2500));
    expect(calls.get("api1:end")).toBeUndefined();
  });
});
