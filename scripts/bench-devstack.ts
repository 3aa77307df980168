/**
 * `npm run bench:devstack`: latency of the devstack gateway against a running devstack
 * (`DEVSTACK_HOME` picks which one). Prints p50/p95 of
 *   - REST select by id, and a 100-row filtered list, through supabase-js and the gateway, and
 *     through a bare keep-alive `node:http` client (the gateway without the client library's
 *     fetch cost), next to the same query through `pg` directly, with the ratios;
 *   - the same reads through a do-nothing HTTP server in its own process that runs the gateway's
 *     prebuilt statement the gateway's way (scripts/lib/bench-floor-server.ts): the floor any
 *     HTTP service in front of Postgres has on this machine, so the gateway's own cost is the
 *     difference between its figure and the floor's;
 *   - password sign-in through supabase-js (skipped with a note when /auth/v1 is absent).
 * Target: the gateway at most 2x the direct query on these simple reads.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createInterface } from "node:readline";
import { createClient } from "@supabase/supabase-js";
import pg from "pg";
import { devstackEnv } from "./lib/devstack-env";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const WARMUP = 200;
const SIGNINS = Number(process.env.BENCH_SIGNINS ?? 20);

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/**
 * Runs the variants round-robin (one request of each per round), so every variant sees the same
 * machine load; on a shared machine, back-to-back series would compare different moments.
 */
async function interleaved(
  n: number,
  warmup: number,
  variants: Array<(i: number) => Promise<void>>,
): Promise<Array<{ p50: number; p95: number }>> {
  for (let i = 0; i < warmup; i++) for (const run of variants) await run(i);
  const times = variants.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [k, run] of variants.entries()) {
      const t0 = performance.now();
      await run(i);
      times[k]?.push(performance.now() - t0);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { p50: percentile(t, 50), p95: percentile(t, 95) };
  });
}

async function measure(n: number, warmup: number, run: (i: number) => Promise<void>) {
  for (let i = 0; i < warmup; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

const BY_ID = "select=*&id=eq.1";
const LIST = "select=*&org=eq.1&order=id";

/** Starts the floor server (see the header) and resolves with its base URL once it listens. */
async function startFloor(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/lib/bench-floor-server.ts",
      "bench_items",
      JSON.stringify([BY_ID, LIST]),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  if (!child.stdout) throw new Error("floor server has no stdout");
  for await (const line of createInterface({ input: child.stdout })) {
    const { port } = JSON.parse(line) as { port: number };
    return { url: `http://127.0.0.1:${port}`, child };
  }
  throw new Error("floor server exited before listening");
}

async function main(): Promise<void> {
  const env = devstackEnv();
  const pool = new pg.Pool({ connectionString: env.DB_URL, max: 4 });
  const sb = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  await pool.query(`drop table if exists bench_items;
    create table bench_items (id int primary key, org int not null, name text not null,
      qty int not null, created_at timestamptz not null default now());
    insert into bench_items (id, org, name, qty)
      select i, i % 100, 'item ' || i, i % 17 from generate_series(1, 10000) i;
    create index on bench_items (org);
    analyze bench_items;
    notify pgrst, 'reload schema';`);
  try {
    for (let i = 0; ; i++) {
      const { error } = await sb.from("bench_items").select("id").limit(1);
      if (!error) break;
      if (i > 100) throw new Error(`bench_items never became visible: ${error.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    console.log(
      `devstack gateway benchmark (${ITERATIONS} sequential requests per variant, interleaved round-robin, after ${WARMUP} warm-up rounds)`,
    );
    type Stats = { p50: number; p95: number };
    const rows: Array<[string, Stats, Stats, Stats, Stats]> = [];
    const floor = await startFloor();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers = {
      apikey: env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
    };
    const floorAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const getJson = (url: string, via: http.Agent): Promise<unknown[]> =>
      new Promise((resolve, reject) => {
        http
          .get(url, { agent: via, headers }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => {
              body += c;
            });
            res.on("end", () => resolve(JSON.parse(body) as unknown[]));
          })
          .on("error", reject);
      });
    const rawGet = (path: string) => getJson(`${env.API_URL}/rest/v1${path}`, agent);
    const floorGet = (path: string) => getJson(`${floor.url}${path}`, floorAgent);
    // The floor must answer what the gateway answers, or the comparison means nothing.
    for (const qs of [BY_ID, LIST]) {
      const [a, b] = [await rawGet(`/bench_items?${qs}`), await floorGet(`/bench_items?${qs}`)];
      if (JSON.stringify(a) !== JSON.stringify(b))
        throw new Error(`floor and gateway disagree on ${qs}`);
    }

    const [byIdGateway, byIdHttp, byIdFloor, byIdDirect] = await interleaved(ITERATIONS, WARMUP, [
      async (i) => {
        const { data, error } = await sb
          .from("bench_items")
          .select("*")
          .eq("id", (i % 10000) + 1);
        if (error || data?.length !== 1) throw new Error(`select by id failed: ${error?.message}`);
      },
      async (i) => {
        const data = await rawGet(`/bench_items?select=*&id=eq.${(i % 10000) + 1}`);
        if (data.length !== 1) throw new Error("raw select by id failed");
      },
      async (i) => {
        const data = await floorGet(`/bench_items?select=*&id=eq.${(i % 10000) + 1}`);
        if (data.length !== 1) throw new Error("floor select by id failed");
      },
      async (i) => {
        const { rows: r } = await pool.query("select * from bench_items where id = $1", [
          (i % 10000) + 1,
        ]);
        if (r.length !== 1) throw new Error("direct select by id failed");
      },
    ]);
    rows.push(["select by id", byIdGateway!, byIdHttp!, byIdFloor!, byIdDirect!]);

    const [listGateway, listHttp, listFloor, listDirect] = await interleaved(ITERATIONS, WARMUP, [
      async (i) => {
        const { data, error } = await sb
          .from("bench_items")
          .select("*")
          .eq("org", i % 100)
          .order("id");
        if (error || data?.length !== 100) throw new Error(`list failed: ${error?.message}`);
      },
      async (i) => {
        const data = await rawGet(`/bench_items?select=*&org=eq.${i % 100}&order=id`);
        if (data.length !== 100) throw new Error("raw list failed");
      },
      async (i) => {
        const data = await floorGet(`/bench_items?select=*&org=eq.${i % 100}&order=id`);
        if (data.length !== 100) throw new Error("floor list failed");
      },
      async (i) => {
        const { rows: r } = await pool.query(
          "select * from bench_items where org = $1 order by id",
          [i % 100],
        );
        if (r.length !== 100) throw new Error("direct list failed");
      },
    ]);
    rows.push(["100-row filtered list", listGateway!, listHttp!, listFloor!, listDirect!]);
    agent.destroy();
    floorAgent.destroy();
    floor.child.kill("SIGTERM");

    const ratio = (a: Stats, b: Stats) =>
      `${(a.p50 / b.p50).toFixed(2)}x/${(a.p95 / b.p95).toFixed(2)}x`;
    const pad = "".padEnd(22);
    for (const [name, gw, raw, fl, direct] of rows) {
      console.log(
        `${name.padEnd(22)} supabase-js p50 ${ms(gw.p50)} p95 ${ms(gw.p95)} | node:http p50 ${ms(raw.p50)} p95 ${ms(raw.p95)}`,
      );
      console.log(
        `${pad} floor p50 ${ms(fl.p50)} p95 ${ms(fl.p95)} | pg p50 ${ms(direct.p50)} p95 ${ms(direct.p95)}`,
      );
      console.log(
        `${pad} ratio vs pg (p50/p95): supabase-js ${ratio(gw, direct)}, node:http ${ratio(raw, direct)}, floor ${ratio(fl, direct)}`,
      );
      console.log(
        `${pad} gateway's own code (node:http minus floor, p50): ${ms(raw.p50 - fl.p50)}; supabase-js client over node:http: ${ms(gw.p50 - raw.p50)}`,
      );
    }

    const health = await fetch(`${env.API_URL}/auth/v1/health`).catch(() => undefined);
    if (!health?.ok) {
      console.log("sign-in                skipped: /auth/v1 is not running on this devstack");
      return;
    }
    const email = `bench-${randomUUID()}@example.test`;
    const password = `Bench-${randomUUID()}`;
    const user = createClient(env.API_URL, env.ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const signup = await user.auth.signUp({ email, password });
    if (signup.error || !signup.data.user)
      throw new Error(`sign-up failed: ${signup.error?.message}`);
    const id = signup.data.user.id;
    await pool.query("update auth.users set email_confirmed_at = now() where id = $1", [id]);
    try {
      const signIn = await measure(SIGNINS, 2, async () => {
        const { error } = await user.auth.signInWithPassword({ email, password });
        if (error) throw new Error(`sign-in failed: ${error.message}`);
      });
      console.log(
        `sign-in (password)     p50 ${ms(signIn.p50)} p95 ${ms(signIn.p95)} (${SIGNINS} sign-ins)`,
      );
    } finally {
      await pool.query("delete from auth.users where id = $1", [id]);
    }
  } finally {
    await pool.query("drop table if exists bench_items; notify pgrst, 'reload schema'");
    await pool.end();
  }
}

main().catch((err) => {
  console.error(`bench-devstack: ${(err as Error).message}`);
  process.exit(1);
});
