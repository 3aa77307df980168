import { afterAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { closeDb, db } from "./helpers/db";

/** lib/auth/permissions.ts and private.role_permissions are the same table. */

afterAll(closeDb);

describe("permissions mirror", () => {
  it("the SQL table equals the TypeScript table, row for row", async () => {
    const { rows } = await db().query<{ role: string; action: string }>(
      "select role, action from private.role_permissions order by action, role",
    );
    const sql = rows.map((r) => `${r.action}:${r.role}`).sort();
    const ts = Object.entries(PERMISSIONS)
      .flatMap(([action, roles]) => roles.map((role) => `${action}:${role}`))
      .sort();
    expect(sql).toEqual(ts);
  });

  it("every action the SQL policies and RPCs name exists in the table", async () => {
    const { rows } = await db().query<{ body: string }>(
      `select coalesce(qual, '') || ' ' || coalesce(with_check, '') as body from pg_policies
        where schemaname = 'public'
       union all
       select prosrc from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'private')`,
    );
    const named = new Set<string>();
    for (const { body } of rows) {
      for (const m of body.matchAll(
        /(?:(?:has_permission|require_permission)\([^,]+,\s*|permitted_organizations\()'([a-z_.]+)'/g,
      )) {
        if (m[1]) named.add(m[1]);
      }
    }
    expect(named.size).toBeGreaterThan(5);
    for (const action of named) expect(Object.keys(PERMISSIONS), action).toContain(action);
  });
});
