/**
 * The load and fault run of webhook intake (issue 13), shared by `npm run bench:webhooks` (2,000
 * deliveries, prints figures) and the smaller run in the app test suite
 * (tests/integration/app/webhooks-load.test.ts, asserts correctness only).
 *
 * It starts, itself: an Inngest executor of its own (devstack executor code, on a fresh database
 * in the devstack's Postgres), a proxy in front of that executor's event API (to fail chosen event
 * sends), and the app (`next start`, so `next build` first) whose INNGEST_BASE_URL is the proxy.
 * Then it sends `deliveries` across the four providers, `concurrency` at a time: 80% valid, 10%
 * exact duplicates, 5% bad signatures, 5% valid ones whose event send is forced to fail and which
 * are redelivered afterwards; with `outage`, the executor is stopped a third of the way through
 * and restarted at two thirds (sends in between fail: those rows stay pending until the re-send
 * cron). Afterwards it waits for nothing to be pending and checks: every valid delivery recorded
 * once and processed by exactly one run, every bad one refused with no row.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createExecutor } from "../../devstack/executor";
import { deliveryEventId } from "../../lib/webhooks/delivery-event-id";
import { signZendesk } from "../../lib/webhooks/zendesk";
import { groupCpuMs, treeCpuMs } from "./cpu-time";
import { executorContext, freshDatabase } from "./inngest-harness";
import { readEnvFile, startBackground, stopBackground, waitFor } from "./processes";
import {
  asSuperuser,
  buildWebhookWorld,
  closeFixtureDb,
  githubPush,
  intercomNotification,
  ledgerRows,
  post,
  razorpayPaymentCaptured,
  resendSweepNudge,
  type SignedDelivery,
  zendeskTicketCreated,
} from "./webhook-fixtures";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The secrets the app under test is started with (and the deliveries are signed with). */
const SECRETS = {
  ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 3).toString("base64")}`,
  GITHUB_WEBHOOK_SECRET: "sbx_gh_whsec_bench",
  INTERCOM_CLIENT_SECRET: "sbx_ic_secret_bench",
  RAZORPAY_WEBHOOK_SECRET: "sbx_whsec_razorpay_bench",
};

export interface WebhookLoadOptions {
  deliveries: number;
  concurrency: number;
  /** Port of the app this run starts (not the test runner's app). */
  appPort: number;
  /** Stop the executor after a third of the deliveries and restart it at two thirds. */
  outage: boolean;
  /**
   * Intake alone: the executor is not synced with the app, so it accepts the events and runs
   * nothing, and the app's CPU is the intake's own (in production function runs are served by
   * other instances). Settled means sent rather than processed; no outage.
   */
  intakeOnly?: boolean;
  /**
   * Intake instances (`next start` on appPort, appPort + 1, …), the deliveries spread over them
   * in turn, as a load balancer spreads a provider's deliveries over a deployment's instances.
   */
  instances?: number;
  /**
   * Serve `/api/inngest` (the function runs) from a separate `next start` on appPort + instances
   * instead of the intake's own process, as production does (Vercel instances behind Inngest
   * Cloud): the intake instances' CPU is then the intake's alone, and the function runs are
   * reported apart.
   */
  functionsApp?: boolean;
  /** How long to wait for every delivery to be processed (the re-send cron runs each minute). */
  settleMs: number;
  /**
   * Bring the re-send cron's next tick forward once some pending row is past the sweep's grace,
   * instead of waiting for the next minute: the sweep still does the recovering, the test just
   * does not sit through the clock (the bench leaves it off).
   */
  hurryResendCron?: boolean;
  log?: (line: string) => void;
}

export interface WebhookLoadReport {
  /** Requests sent (first copies, duplicates, bad ones, redeliveries). */
  total: number;
  valid: number;
  duplicates: number;
  bad: number;
  failedSends: number;
  seconds: number;
  /** Handler latency as the sender saw it, ms, sorted: with the executor up / all. */
  latencies: number[];
  allLatencies: number[];
  /**
   * The handler's own phases (its Server-Timing header: read, verify, parse, record, send,
   * total), ms, sorted, for 200 answers with the executor up. Latency minus `total` is what
   * Next.js and queueing in the app process add.
   */
  phases: Record<string, number[]>;
  outageCount: number;
  /** CPU ms per request sent, from the start of sending until the ledger settled: the app's
   * process group (intake and every function run), and this process (load generator and executor). */
  cpuPerRequest: {
    app: number;
    /** With `functionsApp`: the `next start` that serves the function runs. */
    functions?: number;
    /** The same until the last answer (before the ledger settles and function runs finish). */
    whileSending: {
      app: number;
      functions?: number;
      benchAndExecutor: number;
      gateway?: number;
      postgres?: number;
    };
    benchAndExecutor: number;
    /** With BENCH_DEVSTACK_PID: the devstack process (REST gateway) and Postgres below it. */
    gateway?: number;
    postgres?: number;
  };
  /** Function runs the executor started, by function id. */
  runsByFunction: Record<string, number>;
  /** 5xx answers, retried like a provider would. */
  retried: number;
  wrongAnswers: string[];
  missing: number;
  recordedTwice: number;
  notProcessed: number;
  /** Runs of process-webhook-delivery: distinct events, and the most runs of one event. */
  runEvents: number;
  maxRunsPerEvent: number;
  badRecorded: number;
  unsettled: number;
  ok: boolean;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? Number.NaN;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function resignZendesk(d: SignedDelivery, secret: string): SignedDelivery {
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const { signature } = signZendesk(d.body, secret, timestamp);
  return {
    ...d,
    headers: {
      ...d.headers,
      "x-zendesk-webhook-signature": signature,
      "x-zendesk-webhook-signature-timestamp": timestamp,
    },
  };
}

interface Planned {
  delivery: SignedDelivery;
  kind: "valid" | "duplicate" | "bad" | "fail-send";
}

/** Runs the load and fault test once; starts and stops everything it needs. */
export async function runWebhookLoad(options: WebhookLoadOptions): Promise<WebhookLoadReport> {
  const N = options.deliveries;
  const CONCURRENCY = options.concurrency;
  const say = options.log ?? ((line: string) => console.log(line));
  const DEVSTACK_HOME = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack");
  process.env.DEVSTACK_HOME = DEVSTACK_HOME;
  Object.assign(process.env, SECRETS);
  const dsEnv = readEnvFile(path.join(DEVSTACK_HOME, "env"));

  // ── the executor (restartable) behind a proxy that can fail chosen sends ──
  const db = await freshDatabase();
  const ctx = executorContext(db.url);
  let executor: Awaited<ReturnType<typeof createExecutor>> | null = await createExecutor(ctx, {
    port: 0,
    pollMs: 50,
    resyncMs: 0,
    appUrls: [],
  });
  const failIds = new Set<string>();
  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const events = JSON.parse(body || "[]") as Array<{ data?: { providerEventId?: string } }>;
    const forced = events.some((e) => failIds.has(e.data?.providerEventId ?? ""));
    if (!executor || forced) {
      res.writeHead(503, { "content-type": "application/json" }).end('{"error":"unavailable"}');
      return;
    }
    try {
      const upstream = await fetch(`${executor.url}${req.url}`, {
        method: req.method,
        headers: { "content-type": "application/json" },
        body,
      });
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(await upstream.text());
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  // ── the app: intake instances, and (functionsApp) one more that serves the function runs ──
  const instances = Math.max(1, options.instances ?? 1);
  // BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): node flags for the app
  // process, which NODE_OPTIONS refuses for --cpu-prof; the profile is written when it exits.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const nextBin = path.join(ROOT, "node_modules/next/dist/bin/next");
  const startApp = (port: number, logPrefix: string) =>
    startBackground(
      nodeArgs.length > 0 ? process.execPath : path.join(ROOT, "node_modules/.bin/next"),
      [...(nodeArgs.length > 0 ? [...nodeArgs, nextBin] : []), "start", "-p", String(port)],
      {
        env: {
          ...dsEnv,
          ...SECRETS,
          NODE_OPTIONS: "--experimental-websocket",
          NEXT_TELEMETRY_DISABLED: "1",
          INNGEST_DEV: proxyUrl,
          INNGEST_BASE_URL: proxyUrl,
          LOG_LEVEL: "warn",
        },
        logPrefix,
      },
    );
  const appUrls = Array.from(
    { length: instances },
    (_, i) => `http://localhost:${options.appPort + i}`,
  );
  const apps = appUrls.map((_, i) =>
    startApp(options.appPort + i, instances > 1 ? `[load-app${i}]` : "[load-app]"),
  );
  const functionsUrl = options.functionsApp
    ? `http://localhost:${options.appPort + instances}`
    : undefined;
  const functionsApp = options.functionsApp
    ? startApp(options.appPort + instances, "[load-fn]")
    : undefined;
  const allApps = functionsApp ? [...apps, functionsApp] : apps;
  const appsCpuMs = () => apps.reduce((sum, a) => sum + (a.pid ? groupCpuMs(a.pid) : 0), 0);
  const functionsCpuMs = () => (functionsApp?.pid ? groupCpuMs(functionsApp.pid) : 0);
  const stopAll = async () => {
    await Promise.all(allApps.map((a) => stopBackground(a)));
    await executor?.stop();
    proxy.close();
    await closeFixtureDb();
    await ctx.adminPool.end().catch(() => {});
    await db.drop().catch(() => {});
  };
  try {
    for (const [i, url] of [...appUrls, ...(functionsUrl ? [functionsUrl] : [])].entries()) {
      await waitFor(
        "app",
        async () => {
          try {
            return (await fetch(`${url}/.well-known/security.txt`)).status < 500;
          } catch {
            return false;
          }
        },
        90_000,
        allApps[i],
      );
    }
    const sync = async () => {
      const res = await fetch(`${executor?.url}/v0/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: `${functionsUrl ?? appUrls[0]}/api/inngest` }),
      });
      if (!res.ok) throw new Error(`sync: ${res.status}`);
    };
    if (!options.intakeOnly) await sync();
    // next start keeps loading every route's module for a while after it answers; wait for it to
    // go quiet so the CPU per delivery is the steady state's, not the boot's
    const everyAppCpuMs = () => appsCpuMs() + functionsCpuMs();
    for (let quiet = 0, i = 0; quiet < 2 && i < 30; i++) {
      const before = everyAppCpuMs();
      await new Promise((r) => setTimeout(r, 1000));
      quiet = everyAppCpuMs() - before < 30 * allApps.length ? quiet + 1 : 0;
    }

    // ── the plan ──
    const world = await buildWebhookWorld("bench");
    const make = (i: number): SignedDelivery => {
      switch (i % 4) {
        case 0:
          return githubPush(world.github.installationId);
        case 1:
          return zendeskTicketCreated(world.zendesk.webhookId, world.zendesk.secret);
        case 2:
          return intercomNotification(world.intercom.appId);
        default:
          return razorpayPaymentCaptured(world.organizationId);
      }
    };
    const nDup = Math.round(N * 0.1);
    const nBad = Math.round(N * 0.05);
    const nFail = Math.round(N * 0.05);
    const nValid = N - nDup - nBad - nFail; // valid ones sent once (the fail-send ones are extra)
    const valid: Planned[] = Array.from({ length: nValid }, (_, i) => ({
      delivery: make(i),
      kind: "valid" as const,
    }));
    const failing: Planned[] = Array.from({ length: nFail }, (_, i) => ({
      delivery: make(i),
      kind: "fail-send" as const,
    }));
    // Intake alone has no re-send cron (it is a function run): a failed send would stay pending,
    // and with batched sends so would the rows that shared its request. So no forced failures.
    if (!options.intakeOnly) for (const f of failing) failIds.add(f.delivery.eventId);
    const bad: Planned[] = Array.from({ length: nBad }, (_, i) => {
      const d = make(i);
      const headers = { ...d.headers };
      for (const k of Object.keys(headers)) {
        if (/signature/.test(k) && !/timestamp/.test(k)) {
          const v = headers[k] as string;
          headers[k] = `${v.slice(0, -2)}${v.endsWith("00") ? "11" : "00"}`;
        }
      }
      return { delivery: { ...d, headers }, kind: "bad" as const };
    });
    const dups: Planned[] = Array.from({ length: nDup }, (_, i) => ({
      delivery: (valid[(i * 7) % valid.length] as Planned).delivery,
      kind: "duplicate" as const,
    }));
    // the first wave holds all first copies; duplicates go after their originals, mixed in
    const plan = [...shuffle([...valid, ...failing, ...bad]), ...shuffle(dups)];
    // redeliveries of the forced failures come last, once their sends are allowed again
    const total = plan.length + failing.length;

    // ── send ──
    const latencies: number[] = [];
    // sends while the executor is down wait out the SDK's own retries (about 2 s): kept apart
    const outageLatencies: number[] = [];
    const wrong: string[] = [];
    const phases: Record<string, number[]> = {};
    let next = 0;
    let done = 0;
    const stopAt = Math.floor(plan.length / 3);
    const restartAt = Math.floor((2 * plan.length) / 3);
    let restarting: Promise<void> | null = null;
    // Providers retry a non-2xx answer (GitHub only by a manual redelivery): so does the bench,
    // after 1, 2, 4 and 8 s, and it counts those answers.
    let retried = 0;
    let sentCount = 0;
    const send = async (p: Planned) => {
      // each request to the next instance in turn (a retry may land on another, as it would)
      const want = p.kind === "bad" ? 401 : 200;
      for (let attempt = 0; ; attempt++) {
        const t = performance.now();
        const down = executor === null;
        const res = await post(appUrls[sentCount++ % appUrls.length] as string, p.delivery);
        (down ? outageLatencies : latencies).push(performance.now() - t);
        if (!down && res.status === 200) {
          for (const m of (res.headers.get("server-timing") ?? "").matchAll(
            /([a-z]+);dur=([\d.]+)/g,
          )) {
            const name = m[1] as string;
            const list = phases[name] ?? [];
            list.push(Number(m[2]));
            phases[name] = list;
          }
        }
        await res.arrayBuffer();
        if (res.status >= 500 && attempt < 4) {
          retried++;
          await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
          continue;
        }
        if (res.status !== want) wrong.push(`${p.kind} ${p.delivery.provider}: ${res.status}`);
        return;
      }
    };
    const started = performance.now();
    // monotonic clock, the one CPU profiles are stamped with: to cut a profile to the run
    const monoUs = () => Number(process.hrtime.bigint() / 1000n);
    say(`[webhook-load] sending from monotonic ${monoUs()} us`);
    const appCpu0 = appsCpuMs();
    const functionsCpu0 = functionsCpuMs();
    const benchCpu0 = process.cpuUsage();
    const devstackPid = Number(process.env.BENCH_DEVSTACK_PID ?? 0);
    const devstackCpu0 = devstackPid ? treeCpuMs(devstackPid) : null;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < plan.length) {
          const p = plan[next++] as Planned;
          await send(p);
          done++;
          if (options.outage && !options.intakeOnly && done === stopAt && executor) {
            say(`[webhook-load] stopping the executor after ${done} deliveries`);
            const e = executor;
            executor = null;
            await e.stop();
          }
          if (done === restartAt && !executor && !restarting) {
            restarting = (async () => {
              say(`[webhook-load] restarting the executor after ${done} deliveries`);
              executor = await createExecutor(ctx, {
                port: 0,
                pollMs: 50,
                resyncMs: 0,
                appUrls: [],
              });
              await sync();
            })();
            await restarting;
          }
        }
      }),
    );
    failIds.clear();
    // Zendesk signs every attempt afresh; the others resend the very same bytes and headers
    await Promise.all(
      failing.map((p) =>
        send(
          p.delivery.provider === "zendesk"
            ? { ...p, delivery: resignZendesk(p.delivery, world.zendesk.secret) }
            : p,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const appCpuSending = appsCpuMs() - appCpu0;
    const functionsCpuSending = functionsCpuMs() - functionsCpu0;
    const benchCpuSending = process.cpuUsage(benchCpu0);
    const devstackCpuSending = devstackPid ? treeCpuMs(devstackPid) : null;

    // ── afterwards ──
    const validIds = [...valid, ...failing].map((p) => p.delivery);
    const badIds = bad.map((p) => p.delivery);
    const settledStatus = options.intakeOnly ? "sent" : "processed";
    const pendingLeft = async () =>
      Number(
        (
          await asSuperuser<{ n: string }>(
            "select count(*) as n from public.webhook_deliveries where organization_id = any($1) and status <> $2",
            [[world.organizationId, world.intercom.organizationId], settledStatus],
          )
        )[0]?.n ?? 0,
      );
    say(
      `[webhook-load] sent ${total} in ${seconds.toFixed(1)} s; waiting for the ledger to settle`,
    );
    const settleStart = Date.now();
    const nudge = options.hurryResendCron
      ? resendSweepNudge(ctx.adminPool, [world.organizationId, world.intercom.organizationId])
      : undefined;
    while ((await pendingLeft()) > 0 && Date.now() - settleStart < options.settleMs) {
      await nudge?.();
      await new Promise((r) => setTimeout(r, 2000));
    }
    const unsettled = await pendingLeft();
    let missing = 0;
    let doubled = 0;
    let notProcessed = 0;
    const ourEvents = new Set<string>();
    for (const d of validIds) {
      const rows = await ledgerRows(d.provider, d.eventId);
      for (const row of rows) ourEvents.add(deliveryEventId(row.id));
      if (rows.length === 0) missing++;
      if (rows.length > 1) doubled++;
      if (rows[0] && rows[0].status !== settledStatus) notProcessed++;
    }
    let badRecorded = 0;
    for (const d of badIds) badRecorded += (await ledgerRows(d.provider, d.eventId)).length;
    const appCpu = appsCpuMs() - appCpu0;
    const functionsCpu = functionsCpuMs() - functionsCpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    say(`[webhook-load] settled at monotonic ${monoUs()} us`);
    const devstackCpu = devstackPid ? treeCpuMs(devstackPid) : null;
    const byFunction = await ctx.adminPool.query<{ function_id: string; n: string }>(
      "select function_id, count(*) as n from devstack.executor_runs group by function_id",
    );
    const runs = await ctx.adminPool.query<{ event_id: string; n: string }>(
      `select event_id, count(*) as n from devstack.executor_runs
        where function_id like '%process-webhook-delivery' group by event_id`,
    );
    // Only this run's deliveries: the re-send sweep takes every workspace's pending rows, so on a
    // shared devstack it may also send rows other tests left pending to this run's executor.
    const ourRuns = runs.rows.filter((r) => ourEvents.has(r.event_id));
    const runCounts = ourRuns.map((r) => Number(r.n));
    const sorted = [...latencies].sort((a, b) => a - b);
    const all = [...latencies, ...outageLatencies].sort((a, b) => a - b);
    const report: WebhookLoadReport = {
      total,
      valid: nValid + nFail,
      duplicates: nDup,
      bad: nBad,
      failedSends: nFail,
      seconds,
      latencies: sorted,
      allLatencies: all,
      phases: Object.fromEntries(
        Object.entries(phases).map(([k, v]) => [k, [...v].sort((a, b) => a - b)]),
      ),
      outageCount: outageLatencies.length,
      cpuPerRequest: {
        app: appCpu / total,
        ...(functionsApp ? { functions: functionsCpu / total } : {}),
        whileSending: {
          app: appCpuSending / total,
          ...(functionsApp ? { functions: functionsCpuSending / total } : {}),
          benchAndExecutor: (benchCpuSending.user + benchCpuSending.system) / 1000 / total,
          ...(devstackCpuSending && devstackCpu0
            ? {
                gateway: (devstackCpuSending.self - devstackCpu0.self) / total,
                postgres: (devstackCpuSending.descendants - devstackCpu0.descendants) / total,
              }
            : {}),
        },
        benchAndExecutor: (benchCpu.user + benchCpu.system) / 1000 / total,
        ...(devstackCpu && devstackCpu0
          ? {
              gateway: (devstackCpu.self - devstackCpu0.self) / total,
              postgres: (devstackCpu.descendants - devstackCpu0.descendants) / total,
            }
          : {}),
      },
      runsByFunction: Object.fromEntries(byFunction.rows.map((r) => [r.function_id, Number(r.n)])),
      retried,
      wrongAnswers: wrong,
      missing,
      recordedTwice: doubled,
      notProcessed,
      runEvents: ourRuns.length,
      maxRunsPerEvent: Math.max(0, ...runCounts),
      badRecorded,
      unsettled,
      ok: false,
    };
    report.ok =
      wrong.length === 0 &&
      missing === 0 &&
      doubled === 0 &&
      notProcessed === 0 &&
      badRecorded === 0 &&
      unsettled === 0 &&
      (options.intakeOnly ||
        (ourRuns.length === validIds.length && runCounts.every((n) => n === 1)));
    return report;
  } finally {
    await stopAll();
  }
}
