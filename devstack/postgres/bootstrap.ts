import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";

const BOOTSTRAP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "bootstrap");

/**
 * Runs `devstack/postgres/bootstrap/*.sql` in file-name order. Each file is idempotent, so this
 * runs on every start and an upgraded devstack brings an old cluster up to date.
 */
export async function bootstrapDatabase(pool: pg.Pool): Promise<void> {
  const files = (await readdir(BOOTSTRAP_DIR)).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) {
    const sql = await readFile(path.join(BOOTSTRAP_DIR, file), "utf8");
    try {
      await pool.query(sql);
    } catch (err) {
      throw new Error(`devstack bootstrap ${file} failed: ${(err as Error).message}`);
    }
  }
}
