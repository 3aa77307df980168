/**
 * /rest/v1 authentication and row level security: the role comes from the verified JWT (anon
 * without one), request settings are visible to SQL as PostgREST sets them, bad or expired tokens
 * are 401 (never anon), and RLS alone decides which rows each user sees.
 */
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";
import { untilSchemaShows } from "../../helpers/schema-cache";

const env = devstackEnv();
const db = new pg.Client({ connectionString: env.DB_URL });
const opts = { auth: { persistSession: false, autoRefreshToken: false } };
const userA = randomUUID();
const userB = randomUUID();
let service: SupabaseClient;
let anon: SupabaseClient;
let asA: SupabaseClient;
let asB: SupabaseClient;

const DROP =
  "drop table if exists ra_notes, ra_inbox, ra_late, ra_late2 cascade; drop function if exists ra_whoami()";

async function mint(sub: string, extra: Record<string, unknown> = {}, exp: string | number = "1h") {
  return new SignJWT({
    sub,
    role: "authenticated",
    aud: "authenticated",
    email: `${sub}@t.test`,
    ...extra,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(env.JWT_SECRET));
}

function clientWith(token: string): SupabaseClient {
  return createClient(env.API_URL, env.ANON_KEY, {
    ...opts,
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

const until = (check: () => Promise<boolean>): Promise<void> =>
  untilSchemaShows("the change", check);

beforeAll(async () => {
  await db.connect();
  await db.query(`${DROP};
    create table ra_notes (
      id serial primary key,
      owner uuid not null default auth.uid(),
      body text not null
    );
    alter table ra_notes enable row level security;
    revoke all on ra_notes from anon;
    grant select, insert on ra_notes to anon;
    create policy ra_notes_select on ra_notes for select to authenticated
      using (owner = (select auth.uid()));
    create policy ra_notes_insert on ra_notes for insert to authenticated
      with check (owner = (select auth.uid()));
    create policy ra_notes_update on ra_notes for update to authenticated
      using (owner = (select auth.uid())) with check (owner = (select auth.uid()));
    create policy ra_notes_delete on ra_notes for delete to authenticated
      using (owner = (select auth.uid()));
    insert into ra_notes (owner, body) values ('${userA}', 'a1'), ('${userA}', 'a2'), ('${userB}', 'b1');
    create table ra_inbox (id serial primary key, message text not null);
    alter table ra_inbox enable row level security;
    revoke all on ra_inbox from anon, authenticated;
    grant insert on ra_inbox to anon;
    grant usage on sequence ra_inbox_id_seq to anon;
    create policy ra_inbox_insert on ra_inbox for insert to anon with check (true);
    create function ra_whoami() returns json language sql stable as $$
      select json_build_object(
        'user', current_user,
        'uid', auth.uid(),
        'role', auth.role(),
        'email', auth.jwt() ->> 'email',
        'method', current_setting('request.method', true),
        'path', current_setting('request.path', true),
        'probe', current_setting('request.headers', true)::json ->> 'x-probe',
        'cookie', current_setting('request.cookies', true)::json ->> 'c1',
        'read_only', current_setting('transaction_read_only'),
        'timeout', current_setting('statement_timeout'))
    $$;
    notify pgrst, 'reload schema';`);
  service = createClient(env.API_URL, env.SERVICE_ROLE_KEY, opts);
  anon = createClient(env.API_URL, env.ANON_KEY, opts);
  asA = clientWith(await mint(userA));
  asB = clientWith(await mint(userB));
  await until(async () => !(await service.from("ra_notes").select("id").limit(0)).error);
  await until(async () => (await service.rpc("ra_whoami")).error?.code !== "PGRST202");
});

afterAll(async () => {
  await db.query(`${DROP}; notify pgrst, 'reload schema'`);
  await db.end();
});

const bodies = (data: unknown) => (data as Array<{ body: string }>).map((r) => r.body).sort();

describe("row level security through the gateway", () => {
  it("shows each user only their own rows", async () => {
    const a = await asA.from("ra_notes").select("body");
    expect(a.error).toBeNull();
    expect(bodies(a.data)).toEqual(["a1", "a2"]);
    const b = await asB.from("ra_notes").select("body");
    expect(bodies(b.data)).toEqual(["b1"]);
  });

  it("shows anon nothing", async () => {
    const { data, error } = await anon.from("ra_notes").select("body");
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it("refuses an insert for the other user with 403 42501", async () => {
    const { error, status } = await asA.from("ra_notes").insert({ owner: userB, body: "forged" });
    expect(status).toBe(403);
    expect(error?.code).toBe("42501");
    expect(error?.message).toBe('new row violates row-level security policy for table "ra_notes"');
    const { rows } = await db.query(
      "select count(*)::int as n from ra_notes where body = 'forged'",
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("refuses an anon insert with 401 42501 and WWW-Authenticate", async () => {
    const res = await fetch(`${env.API_URL}/rest/v1/ra_notes`, {
      method: "POST",
      headers: { apikey: env.ANON_KEY, "content-type": "application/json" },
      body: JSON.stringify({ owner: userA, body: "anon" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(((await res.json()) as { code: string }).code).toBe("42501");
  });

  it("lets anon write to an insert-only table it cannot read (return=minimal)", async () => {
    const ins = await anon.from("ra_inbox").insert({ message: "hello" });
    expect(ins.error).toBeNull();
    expect(ins.status).toBe(201);
    const read = await anon.from("ra_inbox").select("message");
    expect(read.status).toBe(401);
    expect(read.error?.code).toBe("42501");
    expect(read.error?.message).toBe("permission denied for table ra_inbox");
    const back = await anon.from("ra_inbox").insert({ message: "again" }).select();
    expect(back.status).toBe(401);
    expect((await db.query("select message from ra_inbox")).rows).toEqual([{ message: "hello" }]);
  });

  it("lets a user insert, update and delete only their own rows", async () => {
    const ins = await asB.from("ra_notes").insert({ body: "b2" }).select("owner, body").single();
    expect(ins.error).toBeNull();
    expect(ins.data).toEqual({ owner: userB, body: "b2" });
    const upd = await asA.from("ra_notes").update({ body: "hijacked" }).eq("body", "b2").select();
    expect(upd.data).toEqual([]);
    const del = await asA.from("ra_notes").delete().eq("body", "b2").select();
    expect(del.data).toEqual([]);
    const own = await asB.from("ra_notes").update({ body: "b2x" }).eq("body", "b2").select("body");
    expect(own.data).toEqual([{ body: "b2x" }]);
    const { rows } = await db.query("select body from ra_notes where owner = $1 order by body", [
      userB,
    ]);
    expect(rows.map((r) => r.body)).toEqual(["b1", "b2x"]);
  });

  it("works with a real user from /auth/v1 (sign-up, confirmed, password sign-in)", async () => {
    const email = `rest-${randomUUID()}@example.test`;
    const password = `Str0ng-${randomUUID()}`;
    const user = createClient(env.API_URL, env.ANON_KEY, opts);
    const signup = await user.auth.signUp({ email, password });
    expect(signup.error).toBeNull();
    const id = signup.data.user?.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // Confirmation mail is the auth tests' business; confirm directly to get on with REST.
    await db.query("update auth.users set email_confirmed_at = now() where id = $1", [id]);
    const signed = await user.auth.signInWithPassword({ email, password });
    expect(signed.error).toBeNull();
    const ins = await user.from("ra_notes").insert({ body: "real" }).select("owner").single();
    expect(ins.error).toBeNull();
    expect(ins.data).toEqual({ owner: id });
    const mine = await user.from("ra_notes").select("body");
    expect(bodies(mine.data)).toEqual(["real"]);
    await db.query("delete from ra_notes where owner = $1", [id]);
    await db.query("delete from auth.users where id = $1", [id]);
  });
});

describe("roles and request settings", () => {
  it("sets role, claims, method, path, headers and cookies for SQL to read", async () => {
    const res = await fetch(`${env.API_URL}/rest/v1/rpc/ra_whoami`, {
      method: "POST",
      headers: {
        apikey: env.ANON_KEY,
        authorization: `Bearer ${await mint(userA)}`,
        "content-type": "application/json",
        "x-probe": "p-1",
        cookie: "c1=v1; c2=v2",
      },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: "authenticated",
      uid: userA,
      role: "authenticated",
      email: `${userA}@t.test`,
      method: "POST",
      path: "/rpc/ra_whoami",
      probe: "p-1",
      cookie: "v1",
      read_only: "on",
      timeout: "8s",
    });
  });

  it("is anon (with anon's statement_timeout) with the anon key or no key, service_role with the service key", async () => {
    const asAnon = (await anon.rpc("ra_whoami")).data as { user: string; timeout: string };
    expect(asAnon).toMatchObject({ user: "anon", timeout: "3s" });
    expect(((await service.rpc("ra_whoami")).data as { user: string }).user).toBe("service_role");
    const apikeyOnly = await fetch(`${env.API_URL}/rest/v1/rpc/ra_whoami`, {
      headers: { apikey: env.SERVICE_ROLE_KEY },
    });
    expect(((await apikeyOnly.json()) as { user: string }).user).toBe("service_role");
    const none = await fetch(`${env.API_URL}/rest/v1/rpc/ra_whoami`);
    expect(((await none.json()) as { user: string; uid: string | null }).user).toBe("anon");
  });

  it("never leaks a role or claims between concurrent requests on pooled connections", async () => {
    const who = [
      { client: asA, user: "authenticated", uid: userA },
      { client: asB, user: "authenticated", uid: userB },
      { client: anon, user: "anon", uid: null },
      { client: service, user: "service_role", uid: null },
    ];
    const calls = Array.from({ length: 120 }, (_, i) => who[i % who.length]!);
    const results = await Promise.all(
      calls.map(async (w, i) => {
        // Every fifth call fails inside its transaction, which must not poison the connection.
        if (i % 5 === 0) {
          const bad = await w.client.from("ra_notes").select("id").eq("id", "not-a-number");
          expect(bad.error?.code).toBe("22P02");
        }
        return (await w.client.rpc("ra_whoami")).data as { user: string; uid: string | null };
      }),
    );
    results.forEach((r, i) => {
      expect({ user: r.user, uid: r.uid }).toEqual({ user: calls[i]!.user, uid: calls[i]!.uid });
    });
  });

  it("answers 401 PGRST303 for an expired token, never falling back to anon", async () => {
    const expired = clientWith(await mint(userA, {}, Math.floor(Date.now() / 1000) - 60));
    const { error, status } = await expired.from("ra_notes").select("body");
    expect(status).toBe(401);
    expect(error).toEqual({ code: "PGRST303", message: "JWT expired", details: null, hint: null });
  });

  it("answers 401 for a verified token whose role does not exist", async () => {
    const { error, status } = await clientWith(await mint(userA, { role: "no_such_role" }))
      .from("ra_notes")
      .select("body");
    expect(status).toBe(401);
    expect(error?.code).toBe("22023");
    expect(error?.message).toBe('role "no_such_role" does not exist');
  });

  it("answers 401 PGRST301 for a bad signature or a malformed token", async () => {
    const forged = await new SignJWT({ sub: userA, role: "service_role" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("not-the-secret-not-the-secret-not-the-secret"));
    const bad = await clientWith(forged).from("ra_notes").select("body");
    expect(bad.status).toBe(401);
    expect(bad.error?.code).toBe("PGRST301");
    const res = await fetch(`${env.API_URL}/rest/v1/ra_notes`, {
      headers: { apikey: env.ANON_KEY, authorization: "Bearer garbage" },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    expect(((await res.json()) as { message: string }).message).toBe(
      "Expected 3 parts in JWT; got 1",
    );
  });
});

describe("schema cache", () => {
  it("sees a new table only after NOTIFY pgrst, 'reload schema'", async () => {
    await db.query("create table ra_late (id int primary key); insert into ra_late values (7)");
    const before = await service.from("ra_late").select("id");
    expect(before.error?.code).toBe("PGRST205");
    await db.query("notify pgrst, 'reload schema'");
    await until(async () => !(await service.from("ra_late").select("id")).error);
    expect((await service.from("ra_late").select("id")).data).toEqual([{ id: 7 }]);
  });

  it("re-listens after losing its LISTEN connection and reloads then", async () => {
    const killed = await db.query(
      "select pg_terminate_backend(pid) as ok from pg_stat_activity where query = 'listen pgrst'",
    );
    expect(killed.rows.length).toBeGreaterThan(0);
    // Created while the listener is down, without a NOTIFY: only the reconnect reload shows it.
    await db.query("create table ra_late2 (id int primary key)");
    try {
      await until(async () => (await service.from("ra_late2").select("id")).error === null);
      const listening = await db.query(
        "select count(*)::int as n from pg_stat_activity where query = 'listen pgrst'",
      );
      expect(listening.rows[0].n).toBeGreaterThan(0);
    } finally {
      await db.query("drop table ra_late2");
    }
  });

  it("serves a table recreated with another shape (no stale prepared plans)", async () => {
    for (let i = 0; i < 5; i++)
      expect((await service.from("ra_late").select()).data).toEqual([{ id: 7 }]);
    await db.query(`drop table ra_late;
      create table ra_late (id int primary key, label text not null default 'new');
      insert into ra_late (id) values (8);
      notify pgrst, 'reload schema';`);
    await until(async () => (await service.from("ra_late").select("label")).error === null);
    for (let i = 0; i < 5; i++) {
      expect((await service.from("ra_late").select()).data).toEqual([{ id: 8, label: "new" }]);
    }
  });
});
