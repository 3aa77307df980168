import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, db } from "./helpers/db";
import { EXPOSED_SCHEMAS, grantsWithoutPolicy, rlsDisabled } from "./helpers/lint";
import { migrationScope } from "./helpers/migrations";

/**
 * Fails the suite when an exposed table lacks RLS, lacks a policy for a command it grants, or has
 * no RLS test file covering select, insert, update and delete for every persona
 * (supabase/tests/rls-<table-in-kebab-case>.test.ts built on helpers/matrix.ts).
 */

afterAll(closeDb);

const COMMANDS = ["select", "insert", "update", "delete"] as const;

/** Exposed tables the migrations create (fixtures of other suites are not the product). */
async function exposedTables(): Promise<string[]> {
  const { rows } = await db().query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1)
        and n.nspname || '.' || c.relname = any($2) order by 1`,
    [EXPOSED_SCHEMAS, migrationScope().tables],
  );
  return rows.map((r) => r.relname);
}

/** `audit_log` → `rls-audit-log.test.ts` (file names are kebab-case). */
function rlsTestFile(table: string): string {
  return `rls-${table.replaceAll("_", "-")}.test.ts`;
}

/** What an RLS test file must contain to count as covering its table. */
function missingCoverage(table: string, text: string | undefined): string[] {
  if (text === undefined) return [`no file supabase/tests/${rlsTestFile(table)}`];
  const missing: string[] = [];
  if (!text.includes(`describe("rls: ${table}"`)) missing.push(`describe("rls: ${table}")`);
  if (!/\bmatrix\(/.test(text)) missing.push("a persona matrix (helpers/matrix.ts)");
  for (const command of COMMANDS) {
    if (!text.includes(`describe("${command}"`)) missing.push(`describe("${command}")`);
  }
  return missing;
}

describe("RLS completeness", () => {
  it("finds the tables it must check", async () => {
    expect(await exposedTables()).toEqual(
      expect.arrayContaining(["organizations", "memberships", "invitations", "audit_log"]),
    );
  });

  it("every exposed table has RLS enabled", async () => {
    expect(await rlsDisabled(db())).toEqual([]);
  });

  it("every granted command has a policy", async () => {
    expect(await grantsWithoutPolicy(db())).toEqual([]);
  });

  it("every exposed table has an RLS test for each command and persona", async () => {
    const gaps: Record<string, string[]> = {};
    for (const table of await exposedTables()) {
      const file = path.join(__dirname, rlsTestFile(table));
      const text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      const missing = missingCoverage(table, text);
      if (missing.length) gaps[table] = missing;
    }
    expect(gaps).toEqual({});
  });

  it("the coverage check itself rejects an incomplete test file", () => {
    expect(missingCoverage("widgets", undefined)).toEqual([
      "no file supabase/tests/rls-widgets.test.ts",
    ]);
    expect(
      missingCoverage(
        "widgets",
        'describe("rls: widgets", () => { describe("select", () => matrix()) })',
      ),
    ).toEqual(['describe("insert")', 'describe("update")', 'describe("delete")']);
  });
});
