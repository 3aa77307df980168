import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time (user + system, ms) used so far by every live process of process group `pgid`, from
 * /proc (Linux). On a loaded shared machine wall-clock latency mostly measures the queue for a
 * core; CPU time per delivery measures the work, so two runs at different load averages can
 * still be compared. Processes that exited are not counted.
 */
export function groupCpuMs(pgid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // fields after the command name (which may hold spaces) in parentheses
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(f[2]) !== pgid) continue;
    total += ((Number(f[11]) + Number(f[12])) / tick) * 1000;
  }
  return total;
}

/**
 * CPU time (ms) of process `pid` itself and of its live descendants, from /proc (Linux): the
 * bench reads the devstack's (the REST gateway in `pid`, Postgres and its backends below it)
 * around a run when given BENCH_DEVSTACK_PID. Descendants that exited are not counted.
 */
export function treeCpuMs(pid: number): { self: number; descendants: number } {
  const tick = 100; // USER_HZ on Linux
  const procs = new Map<number, { ppid: number; ms: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.set(Number(entry), {
        ppid: Number(f[1]),
        ms: ((Number(f[11]) + Number(f[12])) / tick) * 1000,
      });
    } catch {}
  }
  const isBelow = (p: number): boolean => {
    for (let cur = procs.get(p)?.ppid, hops = 0; cur && hops < 64; hops++) {
      if (cur === pid) return true;
      cur = procs.get(cur)?.ppid;
    }
    return false;
  };
  let descendants = 0;
  for (const [p, { ms }] of procs) if (p !== pid && isBelow(p)) descendants += ms;
  return { self: procs.get(pid)?.ms ?? 0, descendants };
}
