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
