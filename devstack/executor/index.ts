import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { DevstackContext } from "../shared/context";
import { fireDueCrons } from "./cron";
import { fireDueDebounces, processEvents } from "./events";
import { pruneFlowControl } from "./flow-control";
import { startWorkers } from "./queue";
import { processItem } from "./run-driver";
import { createHandler, type SyncReport } from "./server";
import { loadFunctions, startAppSync, syncAppUrl } from "./sync";
import type { ExecCtx, ExecutorOptions, RegisteredFunction, ResolvedOptions } from "./types";

export type { ExecutorOptions } from "./types";

export interface Executor {
  /** Base URL of the event API and register endpoint (what INNGEST_BASE_URL points at). */
  url: string;
  /** Syncs every configured and previously synced app URL once, now. */
  syncApps(): Promise<void>;
  /** Stops accepting work, lets in-flight calls finish, closes the HTTP server. */
  stop(): Promise<void>;
}

/** Retry delay: 1 s, 2 s, 4 s … capped at 60 s, with ±20 % jitter. */
function defaultBackoff(attempt: number): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Starts the Inngest-compatible executor: the event API, app sync, the run queue workers, the
 * event processor and the cron scheduler, all durable in the `devstack` schema of ctx.adminPool.
 * Listens on ctx.config.host:ctx.config.executorPort unless `options` says otherwise.
 */
export async function createExecutor(
  ctx: DevstackContext,
  options: ExecutorOptions = {},
): Promise<Executor> {
  const opts: ResolvedOptions = {
    port: options.port ?? ctx.config.executorPort,
    host: options.host ?? ctx.config.host,
    appUrls: options.appUrls ?? ctx.config.inngestAppUrls,
    slots: options.slots ?? 32,
    pollMs: options.pollMs ?? 250,
    leaseMs: options.leaseMs ?? 10_000,
    backoffMs: options.backoffMs ?? defaultBackoff,
    resyncMs: options.resyncMs ?? 10_000,
    callTimeoutMs: options.callTimeoutMs ?? 300_000,
  };
  let functions = new Map<string, RegisteredFunction>();
  let baseUrl = "";
  let wakeQueue = () => {};
  let eventsPending = false;
  let wakeEventLoop: (() => void) | null = null;

  const ectx: ExecCtx = {
    pool: ctx.adminPool,
    log: ctx.log,
    opts,
    workerId: `executor-${randomUUID()}`,
    baseUrl: () => baseUrl,
    functions: () => functions,
    reloadFunctions: async () => {
      functions = await loadFunctions(ctx.adminPool);
    },
    wakeQueue: () => wakeQueue(),
    wakeEvents: () => {
      eventsPending = true;
      wakeEventLoop?.();
    },
  };
  await ectx.reloadFunctions();

  const knownUrls = async (): Promise<string[]> => {
    const { rows } = await ctx.adminPool.query<{ url: string }>(
      "select url from devstack.executor_apps",
    );
    return [...new Set([...opts.appUrls, ...rows.map((r) => r.url)])];
  };
  const syncAll = async (): Promise<SyncReport[]> => {
    const urls = await knownUrls();
    return Promise.all(
      urls.map(async (url) => {
        try {
          return { url, ok: true, ...(await syncAppUrl(ectx, url)) };
        } catch (err) {
          return { url, ok: false, error: (err as Error).message };
        }
      }),
    );
  };

  const server = createServer(createHandler(ectx, syncAll));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${opts.host}:${port}`;

  const workers = startWorkers(ectx, (item) => processItem(ectx, item));
  wakeQueue = workers.wake;

  let stopped = false;
  const eventLoop = (async () => {
    while (!stopped) {
      eventsPending = false;
      let n = 0;
      try {
        n = await processEvents(ectx);
      } catch (err) {
        if (!stopped) ctx.log(`executor: event processing failed: ${(err as Error).message}`);
      }
      if (stopped) break;
      if (n > 0 || eventsPending) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, opts.pollMs);
        wakeEventLoop = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeEventLoop = null;
    }
  })();

  let lastPrune = 0;
  const cronTimer = setInterval(() => {
    fireDueCrons(ectx).catch((err: Error) => {
      if (!stopped) ctx.log(`executor: cron failed: ${err.message}`);
    });
    fireDueDebounces(ectx).catch((err: Error) => {
      if (!stopped) ctx.log(`executor: debounce failed: ${err.message}`);
    });
    if (Date.now() - lastPrune > 600_000) {
      lastPrune = Date.now();
      pruneFlowControl(ctx.adminPool).catch(() => {});
    }
  }, 200);
  cronTimer.unref();

  const appSync = startAppSync(ectx, opts.appUrls);
  ctx.log(`executor: listening on ${baseUrl} (UI at ${baseUrl}/)`);

  return {
    url: baseUrl,
    async syncApps() {
      for (const r of await syncAll()) {
        if (!r.ok) ctx.log(`executor: sync ${r.url} failed: ${r.error}`);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      appSync.stop();
      clearInterval(cronTimer);
      wakeEventLoop?.();
      server.closeIdleConnections();
      await Promise.all([
        eventLoop,
        workers.stop(),
        new Promise<void>((resolve) => server.close(() => resolve())),
      ]);
      ctx.log("executor: stopped");
    },
  };
}
