import { randomUUID } from "node:crypto";
import pg from "pg";
import { devstackEnv } from "@/tests/helpers/devstack-env";

/**
 * Talks to the devstack's Postgres the way PostgREST does: one transaction per "request",
 * `set local role <anon|authenticated>`, and the JWT claims in `request.jwt.claims`. RLS, grants
 * and the security definer functions are therefore exercised exactly as in production.
 */

let pool: pg.Pool | undefined;

export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: devstackEnv().DB_URL, max: 4 });
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export interface TestUser {
  id: string;
  email: string;
}

/** Creates an auth user directly (as the auth service would), with a unique address. */
export async function createUser(label: string): Promise<TestUser> {
  const id = randomUUID();
  const email = `${label}-${id.slice(0, 8)}@rls.test`;
  await db().query(
    `insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
       raw_user_meta_data, created_at, updated_at)
     values ($1, 'authenticated', 'authenticated', $2, now(),
       '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
    [id, email],
  );
  return { id, email };
}

/** Who makes the request: a signed-in user (optionally at aal2), or anonymous (anon key). */
export type Actor = TestUser | "anon";

export interface QueryError {
  code: string;
  message: string;
}

export type Outcome<R> =
  | { ok: true; rows: R[]; rowCount: number }
  | { ok: false; error: QueryError };

function claimsFor(actor: Actor, aal: "aal1" | "aal2") {
  if (actor === "anon") return { role: "anon", iss: "supabase-demo" };
  return {
    sub: actor.id,
    role: "authenticated",
    aud: "authenticated",
    email: actor.email,
    aal,
    session_id: randomUUID(),
    is_anonymous: false,
  };
}

/**
 * Runs one statement as `actor`, like one PostgREST request, and commits (so deferred
 * constraints run) unless `rollback` is set. Errors are returned, not thrown.
 */
export async function as<R = Record<string, unknown>>(
  actor: Actor,
  sql: string,
  params: unknown[] = [],
  options: { rollback?: boolean; aal?: "aal1" | "aal2" } = {},
): Promise<Outcome<R>> {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query(`set local role ${actor === "anon" ? "anon" : "authenticated"}`);
    await client.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify(claimsFor(actor, options.aal ?? "aal1")),
    ]);
    const result = await client.query(sql, params);
    await client.query(options.rollback ? "rollback" : "commit");
    return { ok: true, rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    const e = error as { code?: string; message?: string };
    return { ok: false, error: { code: e.code ?? "unknown", message: e.message ?? String(error) } };
  } finally {
    client.release();
  }
}

/** Like `as`, but throws on error and returns the rows (for fixtures). */
export async function asOk<R = Record<string, unknown>>(
  actor: Actor,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const out = await as<R>(actor, sql, params);
  if (!out.ok) throw new Error(`${sql}: ${out.error.code} ${out.error.message}`);
  return out.rows;
}

/** Runs statements as the superuser in one transaction (for setting up what no role may do). */
export async function asSuperuser<R = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  return (await db().query(sql, params)).rows as R[];
}

export const ROLE_NAMES = ["owner", "admin", "member", "viewer"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type Persona = RoleName | "outsider" | "anonymous";
export const PERSONAS: readonly Persona[] = [...ROLE_NAMES, "outsider", "anonymous"];

export interface World {
  orgA: { id: string; slug: string };
  orgB: { id: string; slug: string };
  users: Record<RoleName | "outsider", TestUser>;
  /** The user for a persona ("anon" for anonymous). */
  actor(persona: Persona): Actor;
  /** An open invitation in workspace A (for invitation tests). */
  invitationA: { id: string; token: string };
  /** An open invitation in workspace B (the outsider's). */
  invitationB: { id: string; token: string };
}

/**
 * Workspace A with an owner, an admin, a member and a viewer, and workspace B owned by the
 * outsider; built through the RPCs as the people themselves (create, invite, accept).
 */
export async function buildWorld(label: string): Promise<World> {
  const suffix = randomUUID().slice(0, 8);
  const users = {
    owner: await createUser(`${label}-owner`),
    admin: await createUser(`${label}-admin`),
    member: await createUser(`${label}-member`),
    viewer: await createUser(`${label}-viewer`),
    outsider: await createUser(`${label}-outsider`),
  };
  const [orgA] = await asOk<{ id: string; slug: string }>(
    users.owner,
    "select id, slug from public.create_organization($1, $2)",
    [`A ${label}`, `a-${label}-${suffix}`.slice(0, 40)],
  );
  const [orgB] = await asOk<{ id: string; slug: string }>(
    users.outsider,
    "select id, slug from public.create_organization($1, $2)",
    [`B ${label}`, `b-${label}-${suffix}`.slice(0, 40)],
  );
  if (!orgA || !orgB) throw new Error("world: workspaces not created");
  for (const role of ["admin", "member", "viewer"] as const) {
    const [invite] = await asOk<{ token: string }>(
      users.owner,
      "select token from public.create_invitation($1, $2, $3)",
      [orgA.id, users[role].email, role],
    );
    await asOk(users[role], "select public.accept_invitation($1)", [invite?.token]);
  }
  const [invA] = await asOk<{ invitation_id: string; token: string }>(
    users.owner,
    "select invitation_id, token from public.create_invitation($1, $2, 'member')",
    [orgA.id, `pending-a-${suffix}@rls.test`],
  );
  const [invB] = await asOk<{ invitation_id: string; token: string }>(
    users.outsider,
    "select invitation_id, token from public.create_invitation($1, $2, 'member')",
    [orgB.id, `pending-b-${suffix}@rls.test`],
  );
  if (!invA || !invB) throw new Error("world: invitations not created");
  return {
    orgA,
    orgB,
    users,
    actor: (persona) => (persona === "anonymous" ? "anon" : users[persona]),
    invitationA: { id: invA.invitation_id, token: invA.token },
    invitationB: { id: invB.invitation_id, token: invB.token },
  };
}

/** Asserts-friendly summary: "ok:<n rows>" or "error:<sqlstate>". */
export function summary(outcome: Outcome<unknown>): string {
  return outcome.ok ? `ok:${outcome.rowCount}` : `error:${outcome.error.code}`;
}
