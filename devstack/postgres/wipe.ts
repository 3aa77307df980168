import type pg from "pg";

/**
 * `reset` against an external `DATABASE_URL` cannot delete a data folder, so it drops every
 * non-system schema (and the API roles' objects with them); bootstrap then rebuilds them.
 */
export async function wipeExternalDatabase(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ nspname: string }>(
    `select nspname from pg_namespace
      where nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and nspname not like 'pg_temp_%' and nspname not like 'pg_toast_temp_%'`,
  );
  for (const { nspname } of rows) {
    await pool.query(`drop schema if exists "${nspname.replaceAll('"', '""')}" cascade`);
  }
  await pool.query("create schema public");
}
