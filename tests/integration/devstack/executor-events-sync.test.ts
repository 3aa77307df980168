import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Executor } from "@/devstack/executor";
import type { DevstackContext } from "@/devstack/shared/context";
import {
  executorContext,
  freshDatabase,
  getJson,
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
const logs: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  db = await freshDatabase();
  ctx = executorContext(db.url, logs);
  executor = await startExecutor(ctx);
  inngest = new Inngest({ id: "sync-app", isDev: true, baseUrl: executor.url });
  const echo = inngest.createFunction(
    { id: "echo", triggers: [{ event: "test/echo.requested" }] },
    async ({ event, step }) => {
      const a = await step.run("first", () => (event.data as { n: number }).n + 1);
      const b = await step.run("second", () => a * 2);
      const c = await step.run("third", () => b + 1);
      seen.push(event.id ?? "");
      return { a, b, c };
    },
  );
  const onlyBig = inngest.createFunction(
    {
      id: "only-big",
      triggers: [
        { event: "test/number.posted", if: "event.data.n > 10 && event.data.kind == 'x'" },
      ],
    },
    async ({ event }) => ({ got: (event.data as { n: number }).n }),
  );
  const unsupported = inngest.createFunction(
    {
      id: "unsupported",
      triggers: [{ event: "test/never.sent", if: "event.data.name.startsWith('a')" }],
      batchEvents: { maxSize: 10, timeout: "5s" },
      debounce: { period: "5s" },
    },
    async () => "never",
  );
  app = await serveApp(inngest, [echo, onlyBig, unsupported]);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await executor?.stop();
  await ctx?.adminPool.end();
  await db?.drop();
});

describe("app sync", () => {
  it("registers an app through the SDK's own out-of-band registration (PUT to the app)", async () => {
    // A bare PUT makes the SDK POST its function configs to <INNGEST_BASE_URL>/fn/register.
    const res = await fetch(app.url, { method: "PUT" });
    const body = (await res.json()) as { message: string; modified: boolean };
    expect(res.status).toBe(200);
    expect(res.headers.get("x-inngest-sync-kind")).toBe("out_of_band");
    const fns = await getJson<Array<{ id: string; app_id: string }>>(
      `${executor.url}/v1/functions`,
    );
    expect(fns.map((f) => f.id).sort()).toEqual([
      "sync-app-echo",
      "sync-app-only-big",
      "sync-app-unsupported",
    ]);
    expect(fns.every((f) => f.app_id === "sync-app")).toBe(true);
    expect(body.modified).toBe(true);
  });

  it("re-syncs on request (POST /v0/sync, in-band) and reports unsupported options once", async () => {
    const note = "sync-app-unsupported: batchEvents together with debounce is not supported";
    const before = logs.filter((l) => l.includes(note)).length;
    expect(before).toBe(1);
    expect(
      logs.some((l) =>
        l.includes("sync-app-unsupported: expression outside the supported CEL subset"),
      ),
    ).toBe(true);
    await syncApp(executor.url, app.url);
    await executor.syncApps();
    // Nothing changed, so nothing is reported again.
    expect(logs.filter((l) => l.includes(note)).length).toBe(1);
    const res = await fetch(`${executor.url}/v0/sync`, { method: "POST" });
    expect(res.status).toBe(200);
    const { synced } = (await res.json()) as { synced: Array<{ url: string; ok: boolean }> };
    expect(synced).toEqual([expect.objectContaining({ url: app.url, ok: true })]);
  });

  it("syncs configured app URLs at start, retrying until the app is up", async () => {
    const db2 = await freshDatabase();
    const ctx2 = executorContext(db2.url);
    const client2 = new Inngest({ id: "late-app", isDev: true });
    const fn = client2.createFunction(
      { id: "noop", triggers: [{ event: "x/y.z" }] },
      async () => 1,
    );
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const lateUrl = `http://127.0.0.1:${port}/api/inngest`;
    const ex2 = await startExecutor(ctx2, { appUrls: [lateUrl] });
    try {
      await new Promise((r) => setTimeout(r, 600));
      expect(await getJson<unknown[]>(`${ex2.url}/v1/functions`)).toEqual([]);
      const late = await serveApp(client2, [fn], port);
      try {
        const fns = await waitFor(
          async () => {
            const f = await getJson<Array<{ id: string }>>(`${ex2.url}/v1/functions`);
            return f.length > 0 ? f : undefined;
          },
          8000,
          "late app to sync",
        );
        expect(fns.map((f) => f.id)).toEqual(["late-app-noop"]);
      } finally {
        await late.close();
      }
    } finally {
      await ex2.stop();
      await ctx2.adminPool.end();
      await db2.drop();
    }
  });
  it("follows an app that moved to another URL, forgetting the old one", async () => {
    const client = new Inngest({ id: "moving-app", isDev: true, baseUrl: executor.url });
    const fn = client.createFunction({ id: "m", triggers: [{ event: "x/moving" }] }, async () => 1);
    const first = await serveApp(client, [fn]);
    await syncApp(executor.url, first.url);
    await first.close();
    const second = await serveApp(client, [fn]);
    try {
      await syncApp(executor.url, second.url);
      const apps = await getJson<Array<{ url: string; app_id: string }>>(`${executor.url}/v1/apps`);
      expect(apps.filter((a) => a.app_id === "moving-app").map((a) => a.url)).toEqual([second.url]);
      const fns = await getJson<Array<{ id: string; app_url: string }>>(
        `${executor.url}/v1/functions`,
      );
      expect(fns.find((f) => f.id === "moving-app-m")?.app_url).toBe(second.url);
    } finally {
      await second.close();
    }
  });

  it("explains a cloud-mode app (no INNGEST_DEV) instead of failing silently", async () => {
    const cloud = new Inngest({
      id: "cloud-app",
      isDev: false,
      signingKey: "signkey-test-0123456789abcdef0123456789abcdef",
      baseUrl: executor.url,
    });
    const fn = cloud.createFunction(
      { id: "noop", triggers: [{ event: "x/cloud" }] },
      async () => 1,
    );
    const cloudApp = await serveApp(cloud, [fn]);
    try {
      const res = await fetch(`${executor.url}/v0/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: cloudApp.url }),
      });
      expect(res.status).toBe(502);
      const body = (await res.json()) as { synced: Array<{ ok: boolean; error: string }> };
      expect(body.synced[0]?.ok).toBe(false);
      expect(body.synced[0]?.error).toContain("INNGEST_DEV");
    } finally {
      await cloudApp.close();
    }
  });
});

describe("event API", () => {
  it("accepts a single event or an array, returns ids and stores every event", async () => {
    const one = await fetch(`${executor.url}/e/any-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "test/stored.only", data: { a: 1 } }),
    });
    expect(one.status).toBe(200);
    const oneBody = (await one.json()) as { ids: string[]; status: number };
    expect(oneBody.status).toBe(200);
    expect(oneBody.ids).toHaveLength(1);
    const many = await fetch(`${executor.url}/e/any-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { name: "test/stored.only", data: { a: 2 } },
        { name: "test/stored.only", id: "fixed-id-1" },
      ]),
    });
    const manyBody = (await many.json()) as { ids: string[] };
    expect(manyBody.ids).toHaveLength(2);
    expect(manyBody.ids[1]).toBe("fixed-id-1");
    const ev = await getJson<{ name: string; data: unknown }>(
      `${executor.url}/v1/events/${oneBody.ids[0]}`,
    );
    expect(ev).toMatchObject({ name: "test/stored.only", data: { a: 1 } });
    const stored = await getJson<Array<{ id: string }>>(
      `${executor.url}/v1/events?name=test/stored.only`,
    );
    expect(stored.map((e) => e.id).sort()).toEqual([...oneBody.ids, ...manyBody.ids].sort());
  });

  it("rejects a malformed event with 400", async () => {
    const res = await fetch(`${executor.url}/e/k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: {} }),
    });
    expect(res.status).toBe(400);
  });

  it("runs a 3-step function for inngest.send() and records output and steps", async () => {
    const { ids } = await inngest.send({ name: "test/echo.requested", data: { n: 4 } });
    const id = ids[0] as string;
    const run = await waitForRun(executor.url, "sync-app-echo", id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ a: 5, b: 10, c: 11 });
    expect(run.steps.map((s) => [s.name, s.state, s.memo])).toEqual([
      ["first", "done", { data: 5 }],
      ["second", "done", { data: 10 }],
      ["third", "done", { data: 11 }],
    ]);
    expect(run.timeline.map((t) => t.kind)).toContain("completed");
  });

  it("deduplicates events by id: the same id twice starts one run", async () => {
    const ev = { name: "test/echo.requested", id: "dedupe-me", data: { n: 1 } };
    const [a, b] = await Promise.all([inngest.send(ev), inngest.send(ev)]);
    expect(a.ids).toEqual(["dedupe-me"]);
    expect(b.ids).toEqual(["dedupe-me"]);
    await waitForRun(executor.url, "sync-app-echo", "dedupe-me");
    await inngest.send(ev);
    await new Promise((r) => setTimeout(r, 300));
    const runs = (await runsOf(executor.url, "sync-app-echo")).filter(
      (r) => r.event_id === "dedupe-me",
    );
    expect(runs).toHaveLength(1);
    expect(seen.filter((s) => s === "dedupe-me")).toHaveLength(1);
  });

  it("starts runs only when the trigger's if expression holds", async () => {
    const { ids } = await inngest.send([
      { name: "test/number.posted", data: { n: 5, kind: "x" } },
      { name: "test/number.posted", data: { n: 50, kind: "y" } },
      { name: "test/number.posted", data: { n: 50, kind: "x" } },
    ]);
    const run = await waitForRun(executor.url, "sync-app-only-big", ids[2] as string);
    expect(run.output).toEqual({ got: 50 });
    await new Promise((r) => setTimeout(r, 200));
    const runs = await runsOf(executor.url, "sync-app-only-big");
    expect(runs.map((r) => r.event_id)).toEqual([ids[2]]);
  });

  it("serves a page listing events and runs", async () => {
    const res = await fetch(`${executor.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("sync-app-echo");
    expect(html).toContain("test/echo.requested");
    const [run] = await runsOf(executor.url, "sync-app-echo");
    const page = await fetch(`${executor.url}/runs/${run?.id}`);
    expect(page.status).toBe(200);
    const runHtml = await page.text();
    expect(runHtml).toContain("completed");
    expect(runHtml).toContain("Timeline");
    expect(runHtml).toMatch(/first.*StepRun.*done/s);
    expect((await fetch(`${executor.url}/runs/nope`)).status).toBe(404);
  });
});
