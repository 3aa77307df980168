/**
 * /rest/v1 refuses what PostgREST refuses, with PostgREST's status, code, message, details and
 * hint (PostgREST `Error.hs`, `Plan.hs findRel`/`findProc`, `Response.hs`), through supabase-js
 * and raw HTTP: the same table embedded twice (42712), spread on to-many (PGRST119), ambiguous
 * embeds (PGRST201), unknown columns and relations (42703, PGRST200), overloads it cannot choose
 * between (PGRST203, fewest parameters first), and the upsert statuses (200 when nothing was
 * inserted, else 201).
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";

const env = devstackEnv();
const db = new pg.Client({ connectionString: env.DB_URL });
let sb: SupabaseClient;

const DROP = `drop table if exists rs_tags, rs_posts, rs_users cascade;
  drop function if exists rs_ov(int), rs_ov(int, int), rs_ov(text)`;

/** A raw request as the service role; the body parsed when it is JSON. */
async function http(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${env.API_URL}/rest/v1/${path}`, {
    ...init,
    headers: {
      apikey: env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

beforeAll(async () => {
  await db.connect();
  await db.query(`${DROP};
    create table rs_users (id int primary key, name text);
    create table rs_posts (id int primary key, author_id int not null references rs_users (id),
      editor_id int references rs_users (id), title text not null);
    create table rs_tags (id int primary key, post_id int not null references rs_posts (id),
      label text not null);
    insert into rs_users values (1, 'Ann'), (2, 'Bo');
    insert into rs_posts values (1, 1, 2, 'First'), (2, 2, null, 'Second');
    insert into rs_tags values (1, 1, 'x'), (2, 1, 'y');
    create function rs_ov(a int) returns text language sql immutable as $$ select 'a' $$;
    create function rs_ov(a int, b int default 0) returns text language sql immutable
      as $$ select 'ab' $$;
    create function rs_ov(x text) returns text language sql immutable as $$ select 'x' $$;
    notify pgrst, 'reload schema';`);
  sb = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  for (let i = 0; i < 100; i++) {
    const { error } = await sb.rpc("rs_ov", { x: "?" });
    if (error?.code !== "PGRST202") break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  await db.query(`${DROP}; notify pgrst, 'reload schema'`);
  await db.end();
});

describe("embedding errors", () => {
  it("refuses the same table embedded twice without an alias (42712) and takes it with aliases", async () => {
    const r = await http("rs_tags?select=id,rs_posts(id),rs_posts(title)");
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: "42712",
      message: 'table name "rs_tags_rs_posts_1" specified more than once',
      details: null,
      hint: null,
    });
    const { data, error } = await sb
      .from("rs_tags")
      .select("id, a:rs_posts(id), b:rs_posts(title)")
      .eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, a: { id: 1 }, b: { title: "First" } }]);
  });

  it("refuses a spread on a to-many relationship (PGRST119)", async () => {
    const { error, status } = await sb.from("rs_posts").select("id, ...rs_tags(label)");
    expect(status).toBe(400);
    expect(error).toMatchObject({
      code: "PGRST119",
      message: "A spread operation on 'rs_tags' is not possible",
      details: "'rs_posts' and 'rs_tags' do not form a many-to-one or one-to-one relationship",
      hint: null,
    });
  });

  it("answers an ambiguous embed with 300 PGRST201, the candidates in details and hint", async () => {
    const r = await http("rs_posts?select=id,rs_users(name)");
    expect(r.status).toBe(300);
    expect(r.body).toEqual({
      code: "PGRST201",
      message:
        "Could not embed because more than one relationship was found for 'rs_posts' and 'rs_users'",
      details: [
        {
          embedding: "rs_posts with rs_users",
          cardinality: "many-to-one",
          relationship: "rs_posts_author_id_fkey using rs_posts(author_id) and rs_users(id)",
        },
        {
          embedding: "rs_posts with rs_users",
          cardinality: "many-to-one",
          relationship: "rs_posts_editor_id_fkey using rs_posts(editor_id) and rs_users(id)",
        },
      ],
      hint: "Try changing 'rs_users' to one of the following: 'rs_users!rs_posts_author_id_fkey', 'rs_users!rs_posts_editor_id_fkey'. Find the desired relationship in the 'details' key.",
    });
    // The other direction is ambiguous the same way, as one-to-many.
    const back = await http("rs_users?select=id,rs_posts(id)");
    expect(back.status).toBe(300);
    expect((back.body as { details: Array<{ cardinality: string }> }).details).toEqual([
      expect.objectContaining({ cardinality: "one-to-many" }),
      expect.objectContaining({ cardinality: "one-to-many" }),
    ]);
    // A hint (constraint or column) resolves it.
    const { data, error } = await sb
      .from("rs_posts")
      .select("id, rs_users!editor_id(name)")
      .eq("id", 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, rs_users: { name: "Bo" } }]);
  });

  it("answers an unknown relation with 400 PGRST200", async () => {
    const r = await http("rs_posts?select=id,nothing_here(*)");
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      code: "PGRST200",
      message:
        "Could not find a relationship between 'rs_posts' and 'nothing_here' in the schema cache",
      details:
        "Searched for a foreign key relationship between 'rs_posts' and 'nothing_here' in the schema 'public', but no matches were found.",
    });
    const hinted = await http("rs_posts?select=id,rs_users!nope(name)");
    expect(hinted.status).toBe(400);
    expect(hinted.body).toMatchObject({
      code: "PGRST200",
      details:
        "Searched for a foreign key relationship between 'rs_posts' and 'rs_users' using the hint 'nope' in the schema 'public', but no matches were found.",
    });
  });

  it("answers unknown columns in select, filters and order with 400 42703", async () => {
    for (const q of [
      "select=nope",
      "nope=eq.1",
      "order=nope",
      "select=id,rs_users!author_id(nope)",
    ]) {
      const r = await http(`rs_posts?${q}`);
      expect(r.status, q).toBe(400);
      expect((r.body as { code: string }).code, q).toBe("42703");
    }
    const r = await http("rs_posts?select=nope");
    expect(r.body).toEqual({
      code: "42703",
      message: "column rs_posts.nope does not exist",
      details: null,
      hint: null,
    });
  });
});

describe("overloaded functions", () => {
  it("picks the overload by the named arguments", async () => {
    expect((await sb.rpc("rs_ov", { a: 1, b: 2 })).data).toBe("ab");
    expect((await sb.rpc("rs_ov", { x: "q" })).data).toBe("x");
    expect((await sb.rpc("rs_ov", { x: "q" }, { get: true })).data).toBe("x");
  });

  it("answers 300 PGRST203 when two overloads fit, fewest parameters first", async () => {
    const { error, status } = await sb.rpc("rs_ov", { a: 1 });
    expect(status).toBe(300);
    expect(error).toMatchObject({
      code: "PGRST203",
      message:
        "Could not choose the best candidate function between: public.rs_ov(a => integer), public.rs_ov(a => integer, b => integer)",
      details: null,
      hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    });
  });

  it("answers 404 PGRST202 when no overload takes the arguments", async () => {
    const r = await http("rpc/rs_ov", { method: "POST", body: JSON.stringify({ zz: 1 }) });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      code: "PGRST202",
      message: "Could not find the function public.rs_ov(zz) in the schema cache",
      details:
        "Searched for the function public.rs_ov with parameter zz or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
    });
  });
});

describe("upsert statuses", () => {
  it("answers 200 when every row was updated, 201 when any was inserted", async () => {
    const updated = await sb.from("rs_users").upsert({ id: 1, name: "Ann" }).select();
    expect(updated.error).toBeNull();
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual([{ id: 1, name: "Ann" }]);

    const mixed = await sb.from("rs_users").upsert([
      { id: 1, name: "Ann" },
      { id: 3, name: "Cy" },
    ]);
    expect(mixed.error).toBeNull();
    expect(mixed.status).toBe(201);

    // return=minimal too: no body, the same status rule.
    const minimal = await http("rs_users", {
      method: "POST",
      headers: { prefer: "resolution=merge-duplicates" },
      body: JSON.stringify({ id: 3, name: "Cy" }),
    });
    expect(minimal.status).toBe(200);
    expect(minimal.body).toBeNull();
  });

  it("answers 201 for ignore-duplicates and plain inserts whatever happened", async () => {
    const ignored = await sb
      .from("rs_users")
      .upsert({ id: 1, name: "Changed" }, { ignoreDuplicates: true });
    expect(ignored.error).toBeNull();
    expect(ignored.status).toBe(201);
    const { data } = await sb.from("rs_users").select("name").eq("id", 1).single();
    expect(data).toEqual({ name: "Ann" });
    const inserted = await sb.from("rs_users").insert({ id: 4, name: "Di" });
    expect(inserted.status).toBe(201);
  });
});
