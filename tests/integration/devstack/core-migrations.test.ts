import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "@/devstack/postgres/bootstrap";
import { applyMigrations, MigrationError } from "@/devstack/postgres/migrate";
import { devstackEnv } from "../../helpers/devstack-env";

// Each run gets a database of its own on the devstack's server, so the real one is never touched.
const dbName = `migtest_${process.pid}_${Date.now()}`;
let admin: pg.Client;
let pool: pg.Pool;
let dir: string;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: devstackEnv().DB_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(devstackEnv().DB_URL);
  url.pathname = `/${dbName}`;
  pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // `drop database … with (force)` below ends any connection still open; that is expected.
  pool.on("error", () => {});
  await bootstrapDatabase(pool);
  dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
});

afterAll(async () => {
  await pool?.end();
  await admin?.query(`drop database if exists ${dbName} with (force)`);
  await admin?.end();
});

const tables = async () =>
  (
    await pool.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'public' order by 1",
    )
  ).rows.map((r) => r.t);

describe("migration runner", () => {
  it("bootstraps Supabase's roles and auth helpers", async () => {
    const { rows } = await pool.query<{ rolname: string }>(
      "select rolname from pg_roles where rolname in ('anon','authenticated','service_role','authenticator') order by 1",
    );
    expect(rows.map((r) => r.rolname)).toEqual([
      "anon",
      "authenticated",
      "authenticator",
      "service_role",
    ]);
  });

  it("applies files in name order and records them", async () => {
    writeFileSync(path.join(dir, "20260101000002_second.sql"), "alter table a add column b int;");
    writeFileSync(
      path.join(dir, "20260101000001_first.sql"),
      "create table a (id int primary key);",
    );
    const r = await applyMigrations(pool, dir);
    expect(r.applied).toEqual(["20260101000001_first.sql", "20260101000002_second.sql"]);
    const ledger = await pool.query(
      "select version, name from supabase_migrations.schema_migrations order by 1",
    );
    expect(ledger.rows).toEqual([
      { version: "20260101000001", name: "first" },
      { version: "20260101000002", name: "second" },
    ]);
  });

  it("applies only new files on the next start", async () => {
    writeFileSync(path.join(dir, "20260101000003_third.sql"), "create table c (id int);");
    const r = await applyMigrations(pool, dir);
    expect(r.applied).toEqual(["20260101000003_third.sql"]);
    expect(r.skipped).toBe(2);
  });

  it("stops on a failing file with its name and line, and leaves nothing of it behind", async () => {
    writeFileSync(
      path.join(dir, "20260101000004_broken.sql"),
      "create table d (id int);\n\ninsert into nope values (1);\n",
    );
    writeFileSync(path.join(dir, "20260101000005_after.sql"), "create table e (id int);");
    const err = await applyMigrations(pool, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).message).toMatch(
      /20260101000004_broken\.sql failed at line 3: relation "nope" does not exist/,
    );
    expect(await tables()).toEqual(["a", "c"]);
    const versions = await pool.query(
      "select count(*)::int as n from supabase_migrations.schema_migrations",
    );
    expect(versions.rows[0].n).toBe(3);
  });
});
