import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { devstackPorts, startDevstackChild } from "./fixtures/devstack-child";

// A process manager (systemd, a CI runner, an IDE's stop button) stops `npm run devstack` by
// sending SIGTERM to the pid it started: npm's. npm forwards it to the script's process only;
// whatever that process started must go down with it, ports released. A devstack of its own
// (own folder; +900 keeps its ports clear of the suite's devstack and of the lifecycle test's +450…+700).
const home = mkdtempSync(path.join(tmpdir(), "devstack-npm-"));
const firstOffset = Number(process.env.TEST_PORT_OFFSET ?? 1000) + 900;
let npm: ChildProcess | undefined;
let output = () => "";

/** Pid → parent pid and state, read from /proc (Linux, like every machine this runs on). */
function processTable(): Map<number, { ppid: number; state: string; pgid: number }> {
  const table = new Map<number, { ppid: number; state: string; pgid: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(entry), { state: state ?? "", ppid: Number(ppid), pgid: Number(pgid) });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

function descendants(root: number): number[] {
  const table = processTable();
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, p] of table) {
      if (p.ppid === parent) {
        out.push(pid);
        queue.push(pid);
      }
    }
  }
  return out;
}

/** Alive means present and not a zombie (an exited process its new parent has not reaped yet). */
function alive(pid: number): boolean {
  const p = processTable().get(pid);
  return p !== undefined && p.state !== "Z";
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

afterAll(() => {
  // Only if the test failed half-way: end what it started (its own process group), by id.
  const pid = npm?.pid;
  if (pid !== undefined) {
    for (const [other, p] of processTable()) {
      if (p.pgid === pid && p.state !== "Z") {
        try {
          process.kill(other, "SIGKILL");
        } catch {}
      }
    }
  }
  rmSync(home, { recursive: true, force: true });
});

describe("npm run devstack under a process manager", () => {
  it("stops everything it started when npm's own pid gets SIGTERM", async () => {
    const launched = await startDevstackChild(
      (offset) =>
        spawn("npm", ["run", "devstack"], {
          cwd: path.resolve(__dirname, "../../.."),
          env: {
            ...process.env,
            DEVSTACK_HOME: home,
            DEVSTACK_PORT_OFFSET: String(offset),
            INNGEST_APP_URLS: "",
          },
          // Its own process group, so a failed run can be cleaned up without touching anything else.
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        }),
      { envFile: path.join(home, "env"), from: firstOffset, timeoutMs: 90_000 },
    );
    npm = launched.child;
    output = launched.output;
    const pid = npm.pid as number;
    const ports = devstackPorts(launched.offset);
    const exited = new Promise<void>((r) => npm?.once("exit", () => r()));

    for (const port of ports) expect(await portOpen(port), `port ${port} listens`).toBe(true);
    const started = descendants(pid);
    // tsx, the devstack's node process and Postgres (with its own workers) at least.
    expect(started.length).toBeGreaterThanOrEqual(3);

    process.kill(pid, "SIGTERM");
    await Promise.race([
      exited,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`npm did not exit: ${output().slice(-2000)}`)), 30_000),
      ),
    ]);

    // Once npm has exited, nothing it started is left and every port is free.
    expect(started.filter(alive)).toEqual([]);
    for (const port of ports) expect(await portOpen(port), `port ${port} is free`).toBe(false);
    expect(existsSync(path.join(home, "env"))).toBe(false);
    expect(output()).toContain("executor: stopped");
  }, 150_000);
});
