/**
 * /rest/v1/rpc through supabase-js: POST and GET (and HEAD) calls, named and defaulted arguments,
 * arrays, a single unnamed json parameter, scalar / setof / table / composite / void results,
 * filters and order on set results, read-only GET, and PostgREST's RPC errors.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";
import { untilSchemaShows } from "../../helpers/schema-cache";

const env = devstackEnv();
const db = new pg.Client({ connectionString: env.DB_URL });
let sb: SupabaseClient;

const DROP = `drop table if exists rp_tags, rp_items cascade;
  drop function if exists rp_add(int, int), rp_pairs(int), rp_echo(json), rp_sum(int[]), rp_fail(), rp_names(),
    rp_teapot(), rp_touch(int)`;

beforeAll(async () => {
  await db.connect();
  await db.query(`${DROP};
    create table rp_items (id int primary key, name text not null, qty int not null);
    insert into rp_items values (1, 'a', 1), (2, 'b', 2), (3, 'c', 3);
    create table rp_tags (item_id int not null references rp_items (id), tag text not null);
    insert into rp_tags values (3, 'x'), (3, 'y'), (2, 'z');
    create function rp_add(a int, b int) returns int language sql immutable as $$ select a + b $$;
    create function rp_items_over(min_qty int default 0) returns setof rp_items language sql stable
      as $$ select * from rp_items where qty > min_qty $$;
    create function rp_pairs(n int) returns table (k int, sq int) language sql immutable
      as $$ select i, i * i from generate_series(1, n) i $$;
    create function rp_one(item_id int) returns rp_items language sql stable
      as $$ select * from rp_items where id = item_id $$;
    create function rp_touch(item_id int) returns void language sql volatile
      as $$ update rp_items set qty = qty + 10 where id = item_id $$;
    create function rp_names() returns setof text language sql stable
      as $$ select name from rp_items order by id $$;
    create function rp_echo(json) returns json language sql immutable as $$ select $1 $$;
    create function rp_sum(xs int[]) returns int language sql immutable
      as $$ select sum(x)::int from unnest(xs) x $$;
    create function rp_fail() returns int language plpgsql
      as $$ begin raise exception 'it failed' using detail = 'd', hint = 'h'; end $$;
    create function rp_teapot() returns int language plpgsql
      as $$ begin raise sqlstate 'PT418' using message = 'teapot'; end $$;
    notify pgrst, 'reload schema';`);
  sb = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  // rp_teapot is the last function created: once it is in the cache, all of them are.
  await untilSchemaShows(
    "rp_teapot",
    async () => (await sb.rpc("rp_teapot", {}, { head: true })).error?.code !== "PGRST202",
  );
});

afterAll(async () => {
  await db.query(`${DROP}; notify pgrst, 'reload schema'`);
  await db.end();
});

describe("calls", () => {
  it("POSTs named arguments and returns a scalar", async () => {
    const { data, error, status } = await sb.rpc("rp_add", { a: 1, b: 2 });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toBe(3);
  });

  it("GETs with arguments in the query string", async () => {
    const { data, error } = await sb.rpc("rp_add", { a: 40, b: 2 }, { get: true });
    expect(error).toBeNull();
    expect(data).toBe(42);
  });

  it("passes arrays by POST and by GET", async () => {
    expect((await sb.rpc("rp_sum", { xs: [1, 2, 3] })).data).toBe(6);
    expect((await sb.rpc("rp_sum", { xs: [4, 5] }, { get: true })).data).toBe(9);
  });

  it("hands the whole body to a single unnamed json parameter", async () => {
    const { data, error } = await sb.rpc("rp_echo", { x: [1, { y: null }] });
    expect(error).toBeNull();
    expect(data).toEqual({ x: [1, { y: null }] });
  });

  it("treats a setof result like a table: select, filters, order, count", async () => {
    const { data, error, count } = await sb
      .rpc("rp_items_over", { min_qty: 1 }, { count: "exact" })
      .select("name")
      .neq("name", "zz")
      .order("name", { ascending: false });
    expect(error).toBeNull();
    expect(count).toBe(2);
    expect(data).toEqual([{ name: "c" }, { name: "b" }]);
  });

  it("returns a setof scalar as a JSON array", async () => {
    const { data, error } = await sb.rpc("rp_names");
    expect(error).toBeNull();
    expect(data).toEqual(["a", "b", "c"]);
  });

  it("embeds resources related to a function's result table", async () => {
    const { data, error } = await sb
      .rpc("rp_items_over", { min_qty: 1 })
      .select("id, rp_tags(tag)")
      .order("id")
      .order("tag", { referencedTable: "rp_tags" });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 2, rp_tags: [{ tag: "z" }] },
      { id: 3, rp_tags: [{ tag: "x" }, { tag: "y" }] },
    ]);
  });

  it("uses parameter defaults", async () => {
    const { data } = await sb.rpc("rp_items_over").select("id").order("id");
    expect(data).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it("returns table() results as rows and one composite as an object", async () => {
    expect((await sb.rpc("rp_pairs", { n: 3 })).data).toEqual([
      { k: 1, sq: 1 },
      { k: 2, sq: 4 },
      { k: 3, sq: 9 },
    ]);
    expect((await sb.rpc("rp_one", { item_id: 2 })).data).toEqual({ id: 2, name: "b", qty: 2 });
  });

  it("narrows a set result with .single()", async () => {
    const one = await sb.rpc("rp_items_over", { min_qty: 2 }).single();
    expect(one.data).toEqual({ id: 3, name: "c", qty: 3 });
    const many = await sb.rpc("rp_items_over").single();
    expect(many.status).toBe(406);
    expect(many.error?.code).toBe("PGRST116");
  });

  it("answers 204 for a void function and commits its writes", async () => {
    const { data, error, status } = await sb.rpc("rp_touch", { item_id: 1 });
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(data).toBeNull();
    expect((await db.query("select qty from rp_items where id = 1")).rows[0]).toEqual({ qty: 11 });
  });

  it("counts with HEAD", async () => {
    const { count, data, error } = await sb.rpc(
      "rp_items_over",
      {},
      { head: true, count: "exact" },
    );
    expect(error).toBeNull();
    expect(data).toBeNull();
    expect(count).toBe(3);
  });
});

describe("errors", () => {
  it("unknown function or arguments: 404 PGRST202", async () => {
    const missing = await sb.rpc("rp_nope", { a: 1 });
    expect(missing.status).toBe(404);
    expect(missing.error?.code).toBe("PGRST202");
    expect(missing.error?.message).toBe(
      "Could not find the function public.rp_nope(a) in the schema cache",
    );
    const badArg = await sb.rpc("rp_add", { a: 1, c: 2 });
    expect(badArg.status).toBe(404);
    expect(badArg.error?.code).toBe("PGRST202");
  });

  it("RAISE passes message, detail and hint with 400 P0001", async () => {
    const { error, status } = await sb.rpc("rp_fail");
    expect(status).toBe(400);
    expect(error).toEqual({ code: "P0001", message: "it failed", details: "d", hint: "h" });
  });

  it("SQLSTATE PTnnn sets the HTTP status", async () => {
    const { error, status } = await sb.rpc("rp_teapot");
    expect(status).toBe(418);
    expect(error?.message).toBe("teapot");
  });

  it("GET runs read-only: a volatile write answers 405 25006 and changes nothing", async () => {
    const { error, status } = await sb.rpc("rp_touch", { item_id: 2 }, { get: true });
    expect(status).toBe(405);
    expect(error?.code).toBe("25006");
    expect((await db.query("select qty from rp_items where id = 2")).rows[0]).toEqual({ qty: 2 });
  });
});
