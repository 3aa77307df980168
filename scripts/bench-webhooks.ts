/**
 * `npm run bench:webhooks`: the load and fault test of webhook intake (issue 13), on loopback
 * against `next start` (run `next build` first) and a running devstack (`DEVSTACK_HOME`). What it
 * starts, sends and checks: scripts/lib/webhook-load.ts (the app test suite runs a smaller copy).
 * It prints throughput and p50/p95/p99 of the handler's latency as the sender sees it.
 *
 * BENCH_DELIVERIES (2,000), BENCH_CONCURRENCY (32), BENCH_APP_PORT (4590), BENCH_OUTAGE (1: stop
 * the executor for the middle third), BENCH_APP_NODE_ARGS (node flags for `next start`, e.g.
 * `--require ./scripts/lib/cpu-profile-preload.cjs` with CPU_PROFILE_DIR), BENCH_DEVSTACK_PID (the
 * devstack's pid: also report its CPU), BENCH_INTAKE_ONLY (1: no function runs, the intake alone),
 * BENCH_FUNCTIONS_APP (1: the function runs served by a second `next start`, as production serves
 * them from other instances), BENCH_INSTANCES (intake instances on BENCH_APP_PORT, +1, …; 1).
 */
import os from "node:os";
import { percentile, runWebhookLoad } from "./lib/webhook-load";

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<number> {
  const load = os.loadavg().map((v) => v.toFixed(2));
  const r = await runWebhookLoad({
    deliveries: Number(process.env.BENCH_DELIVERIES ?? 2000),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
    appPort: Number(process.env.BENCH_APP_PORT ?? 4590),
    outage: process.env.BENCH_OUTAGE !== "0",
    intakeOnly: process.env.BENCH_INTAKE_ONLY === "1",
    functionsApp: process.env.BENCH_FUNCTIONS_APP === "1",
    instances: Number(process.env.BENCH_INSTANCES ?? 1),
    settleMs: 240_000,
    log: (line) => console.log(line.replace("[webhook-load]", "[bench]")),
  });
  const up = r.latencies;
  const instances = Number(process.env.BENCH_INSTANCES ?? 1);
  const setup = [
    `${instances} intake instance${instances > 1 ? "s" : ""}`,
    process.env.BENCH_INTAKE_ONLY === "1"
      ? "no function runs"
      : process.env.BENCH_FUNCTIONS_APP === "1"
        ? "function runs on a separate next start"
        : "function runs served by the intake's process",
    `${process.env.BENCH_OUTAGE === "0" ? "no" : "with"} executor outage`,
  ].join(", ");
  const all = r.allLatencies;
  console.log(`
[bench] webhook intake (${setup}), ${r.total} requests (${r.valid} valid, ${r.duplicates} duplicates, ${r.bad} bad signatures, ${r.failedSends} redeliveries after a failed send)
  load average    ${load.join(", ")} at the start (${os.cpus().length} cores), ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(", ")} at the end
  throughput      ${(r.total / r.seconds).toFixed(0)} deliveries/s
  latency         p50 ${ms(percentile(up, 50))}, p95 ${ms(percentile(up, 95))}, p99 ${ms(percentile(up, 99))}, max ${ms(up.at(-1) ?? 0)} (${up.length} sent with the executor up)
  in the handler ${Object.entries(r.phases)
    .map(([k, v]) => `${k} p50 ${ms(percentile(v, 50))} p99 ${ms(percentile(v, 99))}`)
    .join("; ")}
  with outage     p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, p99 ${ms(percentile(all, 99))} (all ${all.length}; ${r.outageCount} while the executor was down)
  CPU / request   app ${r.cpuPerRequest.app.toFixed(1)} ms${
    r.cpuPerRequest.functions === undefined
      ? ""
      : `, functions app ${r.cpuPerRequest.functions.toFixed(1)} ms`
  }, load generator + executor ${r.cpuPerRequest.benchAndExecutor.toFixed(1)} ms${
    r.cpuPerRequest.gateway === undefined
      ? ""
      : `, devstack gateway ${r.cpuPerRequest.gateway.toFixed(1)} ms, Postgres ${(r.cpuPerRequest.postgres ?? 0).toFixed(1)} ms`
  } (sending until settled)
  until answered  ${Object.entries(r.cpuPerRequest.whileSending)
    .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
    .join(", ")} (CPU per request, first request to last answer)
  function runs   ${Object.entries(r.runsByFunction)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}
  5xx answers     ${r.retried} (retried by the bench as the provider would)
  wrong answers   ${r.wrongAnswers.length}${r.wrongAnswers.length ? ` (${r.wrongAnswers.slice(0, 5).join("; ")})` : ""}
  valid deliveries: missing ${r.missing}, recorded twice ${r.recordedTwice}, not processed ${r.notProcessed}, runs ${r.runEvents} for ${r.valid} (max per delivery ${r.maxRunsPerEvent})
  bad deliveries recorded ${r.badRecorded}; not settled after the wait ${r.unsettled}
  ${r.ok ? "PASS" : "FAIL"}`);
  return r.ok ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(`[bench] ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
