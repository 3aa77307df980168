import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The tables and functions the migrations create. The lints and the completeness test judge
 * these: the product's schema, not fixtures other test suites create and drop in `public` while
 * they run (the devstack's REST conformance tests do).
 */
export interface Scope {
  /** Tables in exposed schemas, as `schema.name`. */
  tables: string[];
  /** Functions we own, as `schema.name`. */
  functions: string[];
}

const DIR = path.resolve(__dirname, "../../migrations");

function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/--[^\n]*/g, " ");
}

/** Parses `create table` and `create [or replace] function` statements (default schema public). */
export function parseScope(sql: string): Scope {
  const text = stripComments(sql);
  const tables = new Set<string>();
  const functions = new Set<string>();
  for (const m of text.matchAll(
    /create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(?:"?([a-z_][a-z0-9_]*)"?\.)?"?([a-z_][a-z0-9_]*)"?/gi,
  )) {
    tables.add(`${(m[1] ?? "public").toLowerCase()}.${m[2]?.toLowerCase()}`);
  }
  for (const m of text.matchAll(
    /create\s+(?:or\s+replace\s+)?function\s+(?:"?([a-z_][a-z0-9_]*)"?\.)?"?([a-z_][a-z0-9_]*)"?\s*\(/gi,
  )) {
    functions.add(`${(m[1] ?? "public").toLowerCase()}.${m[2]?.toLowerCase()}`);
  }
  return { tables: [...tables].sort(), functions: [...functions].sort() };
}

/** Everything supabase/migrations/*.sql creates. */
export function migrationScope(): Scope {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const all = files.map((f) => parseScope(readFileSync(path.join(DIR, f), "utf8")));
  return {
    tables: [...new Set(all.flatMap((s) => s.tables))].sort(),
    functions: [...new Set(all.flatMap((s) => s.functions))].sort(),
  };
}
