import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { withTransaction } from "../shared/transaction";

export interface MigrationResult {
  applied: string[];
  skipped: number;
}

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly pgMessage: string,
    readonly line: number | undefined,
  ) {
    super(`migration ${file} failed${line ? ` at line ${line}` : ""}: ${pgMessage}`);
  }
}

/** `20261123120000_create_orgs.sql` → version `20261123120000`, name `create_orgs` (as the Supabase CLI records them). */
function parseFileName(file: string): { version: string; name: string } {
  const m = /^(\d+)_?(.*)\.sql$/.exec(file);
  return { version: m?.[1] ?? file, name: m?.[2] ?? "" };
}

function lineOf(sql: string, position: string | undefined): number | undefined {
  const pos = Number(position);
  if (!Number.isFinite(pos) || pos <= 0) return undefined;
  return sql.slice(0, pos).split("\n").length;
}

/**
 * Applies `supabase/migrations/*.sql` in file-name order, each in its own transaction, and records
 * them in `supabase_migrations.schema_migrations` like `supabase db push`. Only new files run.
 * A failing file rolls back whole and stops with its name and the Postgres error.
 */
export async function applyMigrations(pool: pg.Pool, dir: string): Promise<MigrationResult> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  } catch {
    return { applied: [], skipped: 0 };
  }
  const done = new Set(
    (
      await pool.query<{ version: string }>(
        "select version from supabase_migrations.schema_migrations",
      )
    ).rows.map((r) => r.version),
  );
  const applied: string[] = [];
  for (const file of files) {
    const { version, name } = parseFileName(file);
    if (done.has(version)) continue;
    const sql = await readFile(path.join(dir, file), "utf8");
    try {
      await withTransaction(pool, async (tx) => {
        await tx.query(sql);
        await tx.query(
          "insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)",
          [version, [createHash("sha256").update(sql).digest("hex")], name],
        );
      });
    } catch (err) {
      const e = err as { message: string; position?: string };
      throw new MigrationError(file, e.message, lineOf(sql, e.position));
    }
    applied.push(file);
  }
  // PostgREST reloads its schema cache on this notification; so does the devstack gateway.
  if (applied.length) await pool.query("notify pgrst, 'reload schema'");
  return { applied, skipped: files.length - applied.length };
}

/** Runs `supabase/seed.sql` if present, in one transaction (`supabase db reset` does the same). */
export async function applySeed(pool: pg.Pool, file: string): Promise<boolean> {
  let sql: string;
  try {
    sql = await readFile(file, "utf8");
  } catch {
    return false;
  }
  try {
    await withTransaction(pool, (tx) => tx.query(sql));
    return true;
  } catch (err) {
    throw new Error(`seed ${path.basename(file)} failed: ${(err as Error).message}`);
  }
}
