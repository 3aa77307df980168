import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * The running devstack as tests see it: a value of its env file, its database (to check what the
 * app stored), and the sandboxes' control API (tokens they issued, in clear, to search for).
 */
export function devstackEnv(key: string): string {
  const file = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env");
  const match = new RegExp(`^${key}="?([^"\\n]+)"?$`, "m").exec(readFileSync(file, "utf8"));
  if (!match?.[1]) throw new Error(`${file} has no ${key}`);
  return match[1];
}

/** Runs one query against the devstack's Postgres as its superuser. */
export async function dbQuery<T extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: devstackEnv("DB_URL") });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface SandboxToken {
  value: string;
  provider: string;
  kind: string;
  account: string;
  status: "active" | "expired" | "revoked";
}

/** Every token and secret the sandboxes issued (`?provider=&account=` to narrow). */
export async function sandboxTokens(query: Record<string, string> = {}): Promise<SandboxToken[]> {
  const url = new URL(`${devstackEnv("SANDBOX_URL")}/_control/tokens`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`sandbox tokens: HTTP ${res.status}`);
  return ((await res.json()) as { tokens: SandboxToken[] }).tokens;
}

/**
 * Where any of `needles` appears in clear in the database: every text, varchar, json and jsonb
 * column of every table outside the system schemas. Returns `schema.table.column` per hit.
 */
export async function findInDatabase(needles: string[]): Promise<string[]> {
  if (needles.length === 0) return [];
  const columns = await dbQuery<{ schema: string; table: string; column: string }>(
    `select c.table_schema as schema, c.table_name as table, c.column_name as column
       from information_schema.columns c
       join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name
      where t.table_type = 'BASE TABLE'
        and c.table_schema not in ('pg_catalog', 'information_schema')
        and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'character')`,
  );
  const patterns = needles.map((n) => `%${n.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  const hits: string[] = [];
  const client = new pg.Client({ connectionString: devstackEnv("DB_URL") });
  await client.connect();
  try {
    for (const { schema, table, column } of columns) {
      const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
      const { rows } = await client.query<{ n: string }>(
        `select count(*) as n from ${ident(schema)}.${ident(table)}
          where ${ident(column)}::text like any($1::text[])`,
        [patterns],
      );
      if (Number(rows[0]?.n ?? 0) > 0) hits.push(`${schema}.${table}.${column}`);
    }
  } finally {
    await client.end();
  }
  return hits;
}

/**
 * Disconnects every integration of the workspace `slug` (credentials cleared), as a spec's
 * afterAll does: the sandbox's GitHub installations belong to one workspace at a time, and other
 * specs wait until none is held.
 */
export async function releaseIntegrations(slug: string): Promise<void> {
  await dbQuery(
    `update public.integrations i set status = 'disconnected', access_token_enc = null,
       refresh_token_enc = null, webhook_secret_enc = null, previous_webhook_secret_enc = null,
       previous_webhook_secret_expires_at = null, disconnected_at = now()
      from public.organizations o
     where o.id = i.organization_id and o.slug = $1 and i.status <> 'disconnected'`,
    [slug],
  );
}

/**
 * Slugs of the workspaces holding one of the sandbox's GitHub accounts right now. The demo
 * repository lives on the sandbox's one account (`acme`), which one workspace can install at a
 * time: a spec that installs it through the UI waits for this to be empty first.
 */
export async function githubAccountHolders(): Promise<string[]> {
  const accounts = [
    ...new Set((await sandboxTokens({ provider: "github" })).map((t) => t.account)),
  ];
  if (accounts.length === 0) return [];
  const rows = await dbQuery<{ slug: string }>(
    `select o.slug from public.integrations i join public.organizations o on o.id = i.organization_id
      where i.provider = 'github' and i.status <> 'disconnected' and i.external_account_id = any($1)`,
    [accounts],
  );
  return rows.map((r) => r.slug);
}
