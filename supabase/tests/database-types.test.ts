import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, db } from "./helpers/db";
import { migrationScope } from "./helpers/migrations";

/**
 * lib/supabase/database.types.ts is written by hand (the Supabase CLI cannot run here); this keeps
 * it true: every public table's Row type has exactly the table's columns, and every public
 * function is typed.
 */

afterAll(closeDb);

const FILE = path.resolve(__dirname, "../../lib/supabase/database.types.ts");

function typedSchema(): { tables: Record<string, string[]>; functions: string[] } {
  const program = ts.createProgram([FILE], { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(FILE);
  if (!source) throw new Error("database.types.ts not found");
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const symbol =
    moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === "Database");
  if (!symbol) throw new Error("type Database not found");
  const prop = (type: ts.Type, name: string): ts.Type => {
    const p = type.getProperty(name);
    if (!p) throw new Error(`no property ${name}`);
    return checker.getTypeOfSymbol(p);
  };
  const database = checker.getDeclaredTypeOfSymbol(symbol);
  const pub = prop(database, "public");
  const tables: Record<string, string[]> = {};
  for (const table of prop(pub, "Tables").getProperties()) {
    const row = prop(checker.getTypeOfSymbol(table), "Row");
    tables[table.name] = row
      .getProperties()
      .map((p) => p.name)
      .sort();
  }
  const functions = prop(pub, "Functions")
    .getProperties()
    .map((p) => p.name)
    .sort();
  return { tables, functions };
}

describe("database.types.ts matches the schema", () => {
  const typed = typedSchema();

  it("has every public table with exactly its columns", async () => {
    const { rows } = await db().query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and 'public.' || table_name = any($1)
        order by table_name, column_name`,
      [migrationScope().tables],
    );
    const actual: Record<string, string[]> = {};
    for (const r of rows) actual[r.table_name] = [...(actual[r.table_name] ?? []), r.column_name];
    for (const cols of Object.values(actual)) cols.sort();
    expect(typed.tables).toEqual(actual);
  });

  it("types every public function a client may call", async () => {
    const { rows } = await db().query<{ proname: string }>(
      `select distinct p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and 'public.' || p.proname = any($1)
          and (has_function_privilege('authenticated', p.oid, 'execute')
               or has_function_privilege('service_role', p.oid, 'execute'))
        order by 1`,
      [migrationScope().functions],
    );
    expect(typed.functions).toEqual(rows.map((r) => r.proname).sort());
  });
});
