import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Executor } from "@/devstack/executor";
import type { DevstackContext } from "@/devstack/shared/context";
import {
  executorContext,
  freshDatabase,
  getJson,
  syncApp,
  waitForRun,
} from "../../../scripts/lib/inngest-harness";

// The app's functions use server-only modules (the admin client); outside Next they load as-is.
vi.mock("server-only", () => ({}));

/**
 * The app's own Inngest surface: `app/api/inngest/route.ts` (the Next.js route handlers, served
 * here by a minimal Web Request/Response bridge instead of `next start`), the `patchline` client
 * reading INNGEST_* from the environment, and the functions in `inngest/functions`.
 */

type RouteHandler = (req: Request, ctx: unknown) => Promise<Response>;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let ctx: DevstackContext;
let executor: Executor;
let server: Server;
let routeUrl: string;

beforeAll(async () => {
  db = await freshDatabase();
  ctx = executorContext(db.url);
  const { createExecutor } = await import("@/devstack/executor");
  executor = await createExecutor(ctx, { port: 0, pollMs: 50, resyncMs: 0, appUrls: [] });
  // What `.devstack/env` gives the app; the client reads it when the module loads.
  process.env.INNGEST_DEV = "1";
  process.env.INNGEST_BASE_URL = executor.url;
  const route = (await import("@/app/api/inngest/route")) as unknown as Record<
    string,
    RouteHandler
  >;
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = `http://${req.headers.host}${req.url}`;
    const handler = route[req.method ?? "GET"];
    if (!handler) return void res.writeHead(405).end();
    const response = await handler(
      new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      }),
      { params: Promise.resolve({}) },
    );
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  routeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await executor?.stop();
  await ctx?.adminPool.end();
  await db?.drop();
});

describe("the app's Inngest route and functions", () => {
  it("answers GET in dev mode with the app's function count", async () => {
    const res = await fetch(routeUrl);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { mode: string; function_count: number };
    expect(body.mode).toBe("dev");
    const { functions } = await import("@/inngest/functions");
    // The SDK registers a function's `onFailure` handler as a function of its own.
    const withFailureHandler = functions.filter(
      (f) => (f as unknown as { onFailureFn?: unknown }).onFailureFn,
    ).length;
    expect(withFailureHandler).toBeGreaterThan(0);
    expect(body.function_count).toBe(functions.length + withFailureHandler);
  });

  it("syncs the patchline app and runs app/ping.requested end to end", async () => {
    await syncApp(executor.url, routeUrl);
    const fns = await getJson<Array<{ id: string; app_id: string }>>(
      `${executor.url}/v1/functions`,
    );
    expect(fns.map((f) => f.id)).toContain("patchline-ping");
    const { inngest } = await import("@/inngest/client");
    const { pingRequested } = await import("@/inngest/events");
    const organizationId = "7d4b3c2a-1e0f-4a5b-9c8d-7e6f5a4b3c2d";
    const { ids } = await inngest.send(pingRequested.create({ organizationId, message: "hello" }));
    const run = await waitForRun(executor.url, "patchline-ping", ids[0] as string);
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ organizationId, message: "hello" });
  });

  it("fails an invalid ping at once, without retries", async () => {
    const { inngest } = await import("@/inngest/client");
    const { ids } = await inngest.send({
      name: "app/ping.requested",
      data: { organizationId: "not-a-uuid", message: "" },
    });
    const run = await waitForRun(executor.url, "patchline-ping", ids[0] as string);
    expect(run.status).toBe("failed");
    expect(run.attempts).toBe(1);
    expect(run.error).toMatchObject({ name: "EventValidationError" });
    expect(JSON.stringify(run.error)).toContain("organizationId: Invalid UUID");
  });
});
