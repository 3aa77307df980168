import type pg from "pg";
import { migrationScope, type Scope } from "./migrations";

/**
 * Schema lints, in the spirit of Supabase's database linter (splinter). Each returns the offending
 * objects as strings; an empty list is a pass. They take a client so a test can run them inside a
 * transaction that also holds deliberately bad objects.
 */

/** Schemas the REST API exposes (supabase/config.toml [api].schemas). */
export const EXPOSED_SCHEMAS = ["public"];
/** Schemas whose functions we own and lint. */
export const OWNED_SCHEMAS = ["public", "private"];

type Q = Pick<pg.ClientBase, "query">;

/** Lints judge what the migrations create (see helpers/migrations.ts), unless told otherwise. */
export function defaultScope(): Scope {
  return migrationScope();
}

async function list(client: Q, sql: string, params: unknown[] = []): Promise<string[]> {
  const { rows } = await client.query<{ item: string }>(sql, params);
  return rows.map((r) => r.item).sort();
}

/** Tables (and partitions) in an exposed schema without row level security. */
export function rlsDisabled(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select n.nspname || '.' || c.relname as item
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1) and not c.relrowsecurity
        and n.nspname || '.' || c.relname = any($2)`,
    [EXPOSED_SCHEMAS, scope.tables],
  );
}

/** security definer functions without `search_path` pinned to empty. */
export function definerMutableSearchPath(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select p.oid::regprocedure::text as item
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname = any($1)
        and not coalesce(p.proconfig @> array['search_path=""'], false)
        and n.nspname || '.' || p.proname = any($2)`,
    [OWNED_SCHEMAS, scope.functions],
  );
}

/** security definer functions that anon (or PUBLIC, which anon inherits) may execute. */
export function definerExecutableByAnon(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select p.oid::regprocedure::text as item
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname = any($1)
        and has_function_privilege('anon', p.oid, 'execute')
        and n.nspname || '.' || p.proname = any($2)`,
    [OWNED_SCHEMAS, scope.functions],
  );
}

/** Policies whose USING or WITH CHECK is the constant true (or a tautology like 1 = 1). */
export function alwaysTruePolicies(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select schemaname || '.' || tablename || '.' || policyname as item
       from pg_policies
      where schemaname = any($1) and schemaname || '.' || tablename = any($2)
        and (
          regexp_replace(coalesce(qual, ''), '[\\s()]', '', 'g') in ('true', '1=1')
          or regexp_replace(coalesce(with_check, ''), '[\\s()]', '', 'g') in ('true', '1=1')
        )`,
    [EXPOSED_SCHEMAS, scope.tables],
  );
}

/**
 * Policies calling auth.uid()/auth.jwt()/auth.role() directly instead of `(select auth.uid())`:
 * a direct call runs once per row instead of once per statement.
 */
export async function unwrappedAuthCalls(client: Q, scope = defaultScope()): Promise<string[]> {
  const { rows } = await client.query<{ item: string; expr: string }>(
    `select schemaname || '.' || tablename || '.' || policyname as item,
            coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
       from pg_policies where schemaname = any($1) and schemaname || '.' || tablename = any($2)`,
    [EXPOSED_SCHEMAS, scope.tables],
  );
  const out: string[] = [];
  for (const { item, expr } of rows) {
    const calls = expr.match(/auth\.(uid|jwt|role|email)\(\)/g) ?? [];
    const wrapped = expr.match(/SELECT auth\.(uid|jwt|role|email)\(\) AS/gi) ?? [];
    if (calls.length > wrapped.length) out.push(item);
  }
  return out.sort();
}

/** Foreign keys without an index whose leading columns are the key's columns. */
export function unindexedForeignKeys(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select c.conrelid::regclass::text || '.' || c.conname as item
       from pg_constraint c
       join pg_namespace n on n.oid = c.connamespace
       join pg_class t on t.oid = c.conrelid
      where c.contype = 'f' and n.nspname = any($1) and n.nspname || '.' || t.relname = any($2)
        and not exists (
          select 1 from pg_index i
           where i.indrelid = c.conrelid
             and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
             and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
        )`,
    [OWNED_SCHEMAS, scope.tables],
  );
}

/** Tables in an exposed schema, and functions we own, without a `comment on`. */
export function uncommented(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select 'table ' || n.nspname || '.' || c.relname as item
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1)
        and obj_description(c.oid, 'pg_class') is null
        and n.nspname || '.' || c.relname = any($3)
     union all
     select 'function ' || p.oid::regprocedure::text
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($2) and obj_description(p.oid, 'pg_proc') is null
        and n.nspname || '.' || p.proname = any($4)`,
    [EXPOSED_SCHEMAS, OWNED_SCHEMAS, scope.tables, scope.functions],
  );
}

/**
 * For each exposed table and each command a client role (anon, authenticated) is granted, a
 * policy for that command (or ALL) must exist for that role; otherwise the grant is either
 * useless or, worse, a policy was forgotten.
 */
export function grantsWithoutPolicy(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `with grants as (
       select n.nspname, c.relname, c.oid, r.rolname, cmd
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         cross join (values ('anon'), ('authenticated')) as r (rolname)
         cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')) as k (cmd)
        where c.relkind in ('r', 'p') and n.nspname = any($1)
          and n.nspname || '.' || c.relname = any($2)
          and (has_table_privilege(r.rolname, c.oid, cmd)
               or (cmd in ('UPDATE', 'INSERT', 'SELECT')
                   and has_any_column_privilege(r.rolname, c.oid, cmd)))
     )
     select g.nspname || '.' || g.relname || ' ' || g.cmd || ' to ' || g.rolname as item
       from grants g
      where not exists (
        select 1 from pg_policies p
         where p.schemaname = g.nspname and p.tablename = g.relname
           and p.cmd in (g.cmd, 'ALL')
           and (p.roles @> array[g.rolname]::name[] or p.roles @> array['public']::name[])
      )`,
    [EXPOSED_SCHEMAS, scope.tables],
  );
}

/**
 * Exposed tables that are not tenant data: the tenant itself, and catalogs every workspace shares
 * (the plan catalog, seeded by migration). Every other exposed table must carry organization_id.
 */
export const NON_TENANT_TABLES = ["organizations", "plans"];

/** Exposed tables that hold tenant data must carry organization_id. */
export function tablesWithoutOrganizationId(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select n.nspname || '.' || c.relname as item
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1) and c.relname <> all($3)
        and n.nspname || '.' || c.relname = any($2)
        and not exists (
          select 1 from pg_attribute a
           where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped
        )`,
    [EXPOSED_SCHEMAS, scope.tables, NON_TENANT_TABLES],
  );
}

/** Anything granted to anon in an exposed schema (nothing is meant for anon yet). */
export function anonGrants(client: Q, scope = defaultScope()): Promise<string[]> {
  return list(
    client,
    `select n.nspname || '.' || c.relname || ' ' || k.cmd as item
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) as k (cmd)
      where c.relkind in ('r', 'p', 'v', 'm') and n.nspname = any($1)
        and n.nspname || '.' || c.relname = any($2)
        and has_table_privilege('anon', c.oid, k.cmd)`,
    [EXPOSED_SCHEMAS, scope.tables],
  );
}

export const LINTS = {
  "RLS disabled in an exposed schema": rlsDisabled,
  "security definer with a mutable search_path": definerMutableSearchPath,
  "security definer executable by anon": definerExecutableByAnon,
  "always-true policy": alwaysTruePolicies,
  "auth.uid() not wrapped in select": unwrappedAuthCalls,
  "unindexed foreign key": unindexedForeignKeys,
  "table or function without a comment": uncommented,
  "granted command without a policy": grantsWithoutPolicy,
  "tenant table without organization_id": tablesWithoutOrganizationId,
  "privilege granted to anon": anonGrants,
} as const;
