import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startDevstackChild } from "./fixtures/devstack-child";

// A second devstack of its own (own folder, ports shifted) so the shared one is untouched. Each
// start takes fresh ports (fixtures/devstack-child.ts): the data lives in the folder, not the
// port, and a port just released can be taken meanwhile as some client's ephemeral port.
const home = mkdtempSync(path.join(tmpdir(), "devstack-life-"));
const envFile = path.join(home, "env");
// Beside the suite's own devstack (TEST_PORT_OFFSET, 1000 by default), never on it.
let offset = Number(process.env.TEST_PORT_OFFSET ?? 1000) + 400;
const dbUrl = () => `postgresql://postgres:postgres@127.0.0.1:${54322 + offset}/postgres`;
let output = () => "";

/**
 * Runs the devstack as `npm run devstack` does: one node process with tsx's loader. Not the `tsx`
 * command, whose parent process, on SIGTERM, gives its child 30 ms to acknowledge the signal and
 * otherwise exits 143 and SIGKILLs it (Postgres left running): under load, a coin toss.
 */
async function start(args: string[]): Promise<ChildProcess> {
  const started = await startDevstackChild(
    (off) =>
      spawn(process.execPath, ["--import", "tsx", "devstack/cli.ts", ...args], {
        env: {
          ...process.env,
          DEVSTACK_HOME: home,
          DEVSTACK_PORT_OFFSET: String(off),
          INNGEST_APP_URLS: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    { envFile, from: offset + 50, timeoutMs: 60_000 },
  );
  offset = started.offset;
  output = started.output;
  return started.child;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return exited;
}

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("devstack lifecycle", () => {
  it("starts, stops cleanly on SIGTERM, keeps data across restarts and wipes it on reset", async () => {
    let ds = await start([]);
    const c = new pg.Client({ connectionString: dbUrl() });
    await c.connect();
    await c.query("create table public.keepme (id int)");
    await c.end();

    expect(await stop(ds)).toBe(0);
    expect(existsSync(envFile)).toBe(false);
    // Every service was stopped before the pools closed: the executor drained and said so, and
    // nothing ran against a closed pool.
    expect(output()).toContain("executor: stopped");
    expect(output()).not.toMatch(/failed|Cannot use a pool/);
    expect(await portOpen(54322 + offset)).toBe(false); // Postgres went down with it
    expect(await portOpen(54321 + offset)).toBe(false); // and the gateway

    ds = await start([]);
    const c2 = new pg.Client({ connectionString: dbUrl() });
    await c2.connect();
    expect((await c2.query("select to_regclass('public.keepme') as t")).rows[0].t).toBe("keepme");
    await c2.end();
    expect(await stop(ds)).toBe(0);

    ds = await start(["reset"]);
    const c3 = new pg.Client({ connectionString: dbUrl() });
    await c3.connect();
    expect((await c3.query("select to_regclass('public.keepme') as t")).rows[0].t).toBeNull();
    await c3.end();
    expect(await stop(ds)).toBe(0);
  }, 120_000);
});
