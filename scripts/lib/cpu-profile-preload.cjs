/**
 * Preload (`node --require`) that CPU-profiles a server and writes the profile when it gets
 * SIGTERM, to CPU_PROFILE_DIR/<pid>.cpuprofile (Chrome DevTools format). `node --cpu-prof` only
 * writes on a clean exit, and `next start` waits for keep-alive connections on SIGTERM, so the
 * bench's stop (SIGKILL after a grace period) lost every profile. Used by
 * `BENCH_APP_NODE_ARGS="--require ./scripts/lib/cpu-profile-preload.cjs"` (docs/webhooks.md).
 */
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.CPU_PROFILE_DIR || ".";
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 1000 });
session.post("Profiler.start");
let written = false;
const write = () => {
  if (written) return;
  written = true;
  // the in-process inspector answers synchronously, so this completes inside the handler
  session.post("Profiler.stop", (err, result) => {
    if (err) return;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
};
process.prependListener("SIGTERM", write);
process.on("exit", write);
