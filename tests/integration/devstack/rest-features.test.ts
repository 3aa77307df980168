/**
 * PostgREST features of /rest/v1, through supabase-js and raw HTTP, each with PostgREST's request,
 * status and body: computed fields and relationships, embedding by constraint name, self
 * references, relationships through views, empty embeds, aggregates and explain() behind
 * db-aggregates-enabled / db-plan-enabled (switched here in the database, as PostgREST's
 * in-database configuration allows), single unnamed parameters, count on scalar and set results,
 * and CSV quoted as PostgREST quotes it.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";
import { untilSchemaShows } from "../../helpers/schema-cache";

const env = devstackEnv();
const db = new pg.Client({ connectionString: env.DB_URL });
let sb: SupabaseClient;

const DROP = `drop view if exists rf_posts_v; drop table if exists rf_tags, rf_posts, rf_users, rf_people cascade;
  drop function if exists rf_upper(text), rf_echo(jsonb), rf_nums(int), rf_one(int), rf_bytes(bytea),
    rf_xml(xml), rf_search_path()`;

async function http(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string; body: unknown }> {
  const res = await fetch(`${env.API_URL}/rest/v1/${path}`, {
    ...init,
    headers: {
      apikey: env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, headers: res.headers, text, body };
}

/** Sets PostgREST's in-database switches and waits until the gateway has reloaded them. */
async function setSwitches(on: boolean): Promise<void> {
  const verb = on ? "set" : "reset";
  const value = on ? " = 'true'" : "";
  await db.query(`alter role authenticator ${verb} pgrst.db_aggregates_enabled${value};
    alter role authenticator ${verb} pgrst.db_plan_enabled${value};
    notify pgrst, 'reload config'`);
  for (let i = 0; i < 100; i++) {
    const r = await http("rf_posts?select=amount.sum()");
    if ((r.status === 200) === on) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("the switches were not reloaded");
}

beforeAll(async () => {
  await db.connect();
  await db.query(`${DROP};
    create table rf_users (id int primary key, name text);
    create table rf_posts (id int primary key, author_id int not null references rf_users (id),
      editor_id int references rf_users (id), title text not null, amount numeric not null,
      day date not null);
    create table rf_tags (id int primary key, post_id int not null references rf_posts (id),
      label text not null);
    create table rf_people (id int primary key, name text not null,
      boss_id int references rf_people (id));
    create view rf_posts_v as select id, author_id as writer, title from rf_posts;
    insert into rf_users values (1, 'Ann'), (2, 'Bo, "B"'), (3, ''), (4, null);
    insert into rf_posts values (1, 1, 2, 'First', 10, '2026-01-01'),
      (2, 1, null, 'Second', 20, '2026-01-01'), (3, 2, 1, 'Third', 5, '2026-01-02');
    insert into rf_tags values (1, 1, 'x'), (2, 1, 'y'), (3, 3, 'x');
    insert into rf_people values (1, 'Boss', null), (2, 'Mid', 1), (3, 'Low', 2), (4, 'Low2', 2);
    create function rf_full_title(rf_posts) returns text language sql stable
      as $$ select $1.title || '!' $$;
    create function rf_user_posts(rf_users) returns setof rf_posts language sql stable
      as $$ select * from rf_posts where author_id = $1.id order by id $$;
    create function rf_top_post(rf_users) returns setof rf_posts rows 1 language sql stable
      as $$ select * from rf_posts where author_id = $1.id order by amount desc limit 1 $$;
    create function rf_upper(text) returns text language sql immutable as $$ select upper($1) $$;
    create function rf_bytes(bytea) returns int language sql immutable as $$ select length($1) $$;
    create function rf_xml(xml) returns text language sql immutable
      as $$ select (xpath('/a/text()', $1))[1]::text $$;
    create function rf_echo(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
    create function rf_nums(n int) returns setof int language sql immutable
      as $$ select generate_series(1, n) $$;
    create function rf_one(n int) returns int language sql immutable as $$ select n $$;
    create function rf_search_path() returns text language sql stable
      as $$ select current_setting('search_path') $$;
    notify pgrst, 'reload schema';`);
  sb = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  await untilSchemaShows(
    "rf_one",
    async () => (await sb.rpc("rf_one", { n: 1 })).error?.code !== "PGRST202",
  );
});

afterAll(async () => {
  await db.query(`alter role authenticator reset pgrst.db_aggregates_enabled;
    alter role authenticator reset pgrst.db_plan_enabled;
    ${DROP}; notify pgrst, 'reload schema'`);
  await db.end();
});

describe("computed fields and relationships", () => {
  it("selects, filters and orders by a computed field, which * leaves out", async () => {
    const { data, error } = await sb
      .from("rf_posts")
      .select("id, rf_full_title")
      .like("rf_full_title", "*d!")
      .order("rf_full_title", { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 3, rf_full_title: "Third!" },
      { id: 2, rf_full_title: "Second!" },
    ]);
    const star = await sb.from("rf_posts").select("*").eq("id", 1).single();
    expect(Object.keys(star.data ?? {})).not.toContain("rf_full_title");
  });

  it("embeds a function of the row: setof to-many, `rows 1` to-one", async () => {
    const { data, error } = await sb
      .from("rf_users")
      .select("name, rf_user_posts(title), rf_top_post(title)")
      .in("id", [1, 3])
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      {
        name: "Ann",
        rf_user_posts: [{ title: "First" }, { title: "Second" }],
        rf_top_post: { title: "Second" },
      },
      { name: "", rf_user_posts: [], rf_top_post: null },
    ]);
  });
});

describe("relationships", () => {
  it("embeds by foreign-key constraint name, both directions", async () => {
    const one = await sb
      .from("rf_posts")
      .select("id, author:rf_posts_author_id_fkey(name)")
      .eq("id", 1);
    expect(one.error).toBeNull();
    expect(one.data).toEqual([{ id: 1, author: { name: "Ann" } }]);
    const many = await sb.from("rf_users").select("id, rf_posts_author_id_fkey(title)").eq("id", 2);
    expect(many.error).toBeNull();
    expect(many.data).toEqual([{ id: 2, rf_posts_author_id_fkey: [{ title: "Third" }] }]);
  });

  it("follows a self-reference: many-to-one by column, one-to-many by table or column hint", async () => {
    const { data, error } = await sb
      .from("rf_people")
      .select("name, boss:boss_id(name), reports:rf_people(name), r2:rf_people!boss_id(name)")
      .eq("id", 2);
    expect(error).toBeNull();
    expect(data).toEqual([
      {
        name: "Mid",
        boss: { name: "Boss" },
        reports: [{ name: "Low" }, { name: "Low2" }],
        r2: [{ name: "Low" }, { name: "Low2" }],
      },
    ]);
  });

  it("finds relationships through a view's columns, from and to the view", async () => {
    const from = await sb.from("rf_posts_v").select("id, rf_users(name)").eq("id", 3);
    expect(from.error).toBeNull();
    expect(from.data).toEqual([{ id: 3, rf_users: { name: 'Bo, "B"' } }]);
    // rf_users → rf_posts_v is unambiguous (the view carries only the author key) …
    const to = await sb.from("rf_users").select("id, rf_posts_v(title)").eq("id", 2);
    expect(to.error).toBeNull();
    expect(to.data).toEqual([{ id: 2, rf_posts_v: [{ title: "Third" }] }]);
    // The view's own column name works as a hint, as the constraint name does.
    const hinted = await sb
      .from("rf_posts_v")
      .select("id, w:rf_users!writer(name), c:rf_users!rf_posts_author_id_fkey(name)")
      .eq("id", 1);
    expect(hinted.error).toBeNull();
    expect(hinted.data).toEqual([{ id: 1, w: { name: "Ann" }, c: { name: "Ann" } }]);
  });

  it("leaves an empty embed out of the result, still filtering with !inner", async () => {
    const { data, error } = await sb
      .from("rf_posts")
      .select("id, rf_tags!inner()")
      .eq("rf_tags.label", "x")
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1 }, { id: 3 }]);
    // Without !inner an empty embed neither shows nor filters, to-one or to-many, even with a
    // filter on it (the filter narrows only the embed, which is not output).
    for (const q of [
      "rf_posts?select=id,rf_users!author_id()&order=id",
      "rf_posts?select=id,rf_tags()&rf_tags.label=eq.x&order=id",
    ]) {
      const r = await http(q);
      expect(r.status, q).toBe(200);
      expect(r.body, q).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    }
    const users = await sb.from("rf_users").select("name, rf_posts!author_id()").eq("id", 1);
    expect(users.data).toEqual([{ name: "Ann" }]);
  });
});

describe("functions", () => {
  it("hands a text/plain, text/xml or octet-stream body to a single unnamed parameter", async () => {
    const text = await http("rpc/rf_upper", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "abc d",
    });
    expect(text.status).toBe(200);
    expect(text.body).toBe("ABC D");
    const bytes = await http("rpc/rf_bytes", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0, 1, 2, 255]),
    });
    expect(bytes.body).toBe(4);
    const xml = await http("rpc/rf_xml", {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: "<a>inside</a>",
    });
    expect(xml.status).toBe(200);
    expect(xml.body).toBe("inside");
    // A JSON body does not fit a text parameter (PostgREST: only json/jsonb take JSON).
    const { error, status } = await sb.rpc("rf_upper", { a: 1 });
    expect(status).toBe(404);
    expect(error?.code).toBe("PGRST202");
    expect((await sb.rpc("rf_echo", { a: [1] })).data).toEqual({ a: [1] });
  });

  it("counts a set of scalars and a scalar (count=exact)", async () => {
    const set = await sb.rpc("rf_nums", { n: 5 }, { count: "exact" }).limit(2);
    expect(set.error).toBeNull();
    expect(set.status).toBe(206);
    expect(set.data).toEqual([1, 2]);
    expect(set.count).toBe(5);
    const r = await http("rpc/rf_one?n=7", { headers: { prefer: "count=exact" } });
    expect(r.status).toBe(200);
    expect(r.body).toBe(7);
    expect(r.headers.get("content-range")).toBe("0-0/1");
  });
});

describe("request settings", () => {
  it("sets search_path to the schema, then [api] extra_search_path (CLI default public, extensions)", async () => {
    const { data, error } = await sb.rpc("rf_search_path");
    expect(error).toBeNull();
    expect(data).toBe('"public", "public", "extensions"');
  });
});

describe("CSV", () => {
  it("quotes as Postgres quotes record fields, NULL as nothing, no rows as a lone newline", async () => {
    const { data, error } = await sb.from("rf_users").select("id, name").order("id").csv();
    expect(error).toBeNull();
    expect(data).toBe('id,name\n1,Ann\n2,"Bo, ""B"""\n3,""\n4,');
    const empty = await http("rf_users?select=id&id=eq.99", { headers: { accept: "text/csv" } });
    expect(empty.status).toBe(200);
    expect(empty.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(empty.text).toBe("\n");
  });
});

describe("switches: db-aggregates-enabled and db-plan-enabled", () => {
  it("refuses aggregates and plans while off (PGRST123, PGRST107)", async () => {
    const agg = await http("rf_posts?select=amount.sum()");
    expect(agg.status).toBe(400);
    expect(agg.body).toEqual({
      code: "PGRST123",
      message: "Use of aggregate functions is not allowed",
      details: null,
      hint: null,
    });
    const { error, status } = await sb.from("rf_posts").select("count()");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST123");
    const plan = await sb.from("rf_posts").select("id").explain();
    expect(plan.status).toBe(406);
    expect(plan.error?.code).toBe("PGRST107");
  });

  it("aggregates with automatic grouping, casts and embeds once on", async () => {
    await setSwitches(true);
    try {
      const grouped = await sb
        .from("rf_posts")
        .select("author_id, amount.sum(), count(), avg:amount.avg()::int", { count: "exact" })
        .order("author_id");
      expect(grouped.error).toBeNull();
      expect(grouped.count).toBe(2);
      expect(grouped.data).toEqual([
        { author_id: 1, sum: 30, count: 2, avg: 15 },
        { author_id: 2, sum: 5, count: 1, avg: 5 },
      ]);
      const byEmbed = await sb
        .from("rf_posts")
        .select("amount.max(), rf_users!author_id(name)")
        .order("amount.max()" as "id");
      // Ordering by an aggregate is not supported by PostgREST either: it is a column name here.
      expect(byEmbed.error?.code).toBe("PGRST100");
      const inside = await sb
        .from("rf_users")
        .select("name, rf_posts!author_id(day, amount.sum())")
        .eq("id", 1);
      expect(inside.error).toBeNull();
      expect(inside.data).toEqual([{ name: "Ann", rf_posts: [{ day: "2026-01-01", sum: 30 }] }]);
      const counted = await sb.from("rf_posts").select("n:day::text.count(), amount.min()");
      expect(counted.data).toEqual([{ n: 3, min: 5 }]);

      const plan = await sb.from("rf_posts").select("id").eq("id", 1).explain({ format: "json" });
      expect(plan.status).toBe(200);
      expect(plan.data).toEqual([expect.objectContaining({ Plan: expect.any(Object) })]);
      const text = await http("rf_posts?select=id", {
        headers: {
          accept: 'application/vnd.pgrst.plan+text; for="application/json"; options=analyze',
        },
      });
      expect(text.status).toBe(200);
      expect(text.headers.get("content-type")).toBe(
        'application/vnd.pgrst.plan+text; for="application/json"; options=analyze; charset=utf-8',
      );
      expect(text.text).toMatch(/actual time=/);
      expect(text.text.endsWith("\n")).toBe(true);
      // A write is explained too; without options=analyze it does not run.
      const write = await http("rf_tags", {
        method: "POST",
        headers: { accept: "application/vnd.pgrst.plan+json", "content-type": "application/json" },
        body: JSON.stringify({ id: 99, post_id: 1, label: "z" }),
      });
      expect(write.status).toBe(200);
      expect(write.body).toEqual([expect.objectContaining({ Plan: expect.any(Object) })]);
      const { count } = await sb
        .from("rf_tags")
        .select("*", { count: "exact", head: true })
        .eq("id", 99);
      expect(count).toBe(0);
    } finally {
      await setSwitches(false);
    }
  });
});
