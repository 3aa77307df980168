/**
 * /rest/v1 writes through supabase-js: insert (single, bulk, `columns`, `missing=default`),
 * upserts (merge/ignore, on_conflict), update and delete with filters, representations, counts,
 * `.single()` and `tx=rollback` (rolled back), and the error statuses. Nothing is half-written.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";
import { untilSchemaShows } from "../../helpers/schema-cache";

const env = devstackEnv();
const db = new pg.Client({ connectionString: env.DB_URL });
let sb: SupabaseClient;

const DROP = "drop table if exists rw_items, rw_owners cascade";

beforeAll(async () => {
  await db.connect();
  await db.query(`${DROP};
    create table rw_owners (id int primary key, name text not null);
    create table rw_items (
      id serial primary key,
      sku text not null unique,
      owner_id int references rw_owners (id),
      qty int not null default 1,
      note text default 'none',
      meta jsonb,
      labels text[]
    );
    notify pgrst, 'reload schema';`);
  sb = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  await untilSchemaShows(
    "rw_items",
    async () => !(await sb.from("rw_items").select("id").limit(0)).error,
  );
});

beforeEach(async () => {
  await db.query(
    "truncate rw_items, rw_owners restart identity cascade; insert into rw_owners values (1, 'ann'), (2, 'bob')",
  );
});

afterAll(async () => {
  await db.query(`${DROP}; notify pgrst, 'reload schema'`);
  await db.end();
});

const rows = async (): Promise<Array<Record<string, unknown>>> =>
  (await db.query("select id, sku, owner_id, qty, note from rw_items order by id")).rows;

describe("insert", () => {
  it("inserts one row with return=minimal: 201 and no body", async () => {
    const { data, error, status } = await sb.from("rw_items").insert({ sku: "a", owner_id: 1 });
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toBeNull();
    expect(await rows()).toEqual([{ id: 1, sku: "a", owner_id: 1, qty: 1, note: "none" }]);
  });

  it("returns the representation through select, with embeds", async () => {
    const { data, error, status } = await sb
      .from("rw_items")
      .insert({ sku: "b", owner_id: 2, meta: { k: [1, 2] }, labels: ["x", "y"] })
      .select("sku, meta, labels, owner:rw_owners(name)");
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([
      { sku: "b", meta: { k: [1, 2] }, labels: ["x", "y"], owner: { name: "bob" } },
    ]);
  });

  it("bulk-inserts with columns=: missing keys become NULL, or DEFAULT with missing=default", async () => {
    const nulls = await sb
      .from("rw_items")
      .insert([{ sku: "c1", note: "n" }, { sku: "c2" }])
      .select("sku, note");
    expect(nulls.error).toBeNull();
    expect(nulls.data).toEqual([
      { sku: "c1", note: "n" },
      { sku: "c2", note: null },
    ]);
    const defaults = await sb
      .from("rw_items")
      .insert([{ sku: "d1", note: "n" }, { sku: "d2" }], { defaultToNull: false })
      .select("sku, note");
    expect(defaults.error).toBeNull();
    expect(defaults.data).toEqual([
      { sku: "d1", note: "n" },
      { sku: "d2", note: "none" },
    ]);
  });

  it("counts inserted rows", async () => {
    const { count, error } = await sb
      .from("rw_items")
      .insert([{ sku: "e1" }, { sku: "e2" }, { sku: "e3" }], { count: "exact" });
    expect(error).toBeNull();
    expect(count).toBe(3);
  });

  it("writes nothing when one row of a bulk insert fails", async () => {
    const { error, status } = await sb.from("rw_items").insert([{ sku: "f1" }, { sku: "f1" }]);
    expect(status).toBe(409);
    expect(error?.code).toBe("23505");
    expect(await rows()).toEqual([]);
  });

  it("rolls back an insert whose .single() sees more than one row", async () => {
    const { error, status } = await sb
      .from("rw_items")
      .insert([{ sku: "g1" }, { sku: "g2" }])
      .select()
      .single();
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST116");
    expect(error?.details).toBe("The result contains 2 rows");
    expect(await rows()).toEqual([]);
  });

  it("honours Prefer tx=rollback: the representation comes back, nothing is kept", async () => {
    const { data, error } = await sb
      .from("rw_items")
      .insert({ sku: "h1" })
      .select("sku")
      .rollback();
    expect(error).toBeNull();
    expect(data).toEqual([{ sku: "h1" }]);
    expect(await rows()).toEqual([]);
  });
});

describe("upsert", () => {
  it("merges duplicates on the primary key", async () => {
    await sb.from("rw_items").insert({ sku: "u1", qty: 1 });
    const { data, error, status } = await sb
      .from("rw_items")
      .upsert([
        { id: 1, sku: "u1", qty: 5 },
        { id: 2, sku: "u2", qty: 7 },
      ])
      .select("id, sku, qty");
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([
      { id: 1, sku: "u1", qty: 5 },
      { id: 2, sku: "u2", qty: 7 },
    ]);
  });

  it("uses on_conflict and ignores duplicates when asked", async () => {
    await sb.from("rw_items").insert({ sku: "v1", qty: 1 });
    const merged = await sb
      .from("rw_items")
      .upsert({ sku: "v1", qty: 9 }, { onConflict: "sku" })
      .select("sku, qty");
    expect(merged.error).toBeNull();
    expect(merged.data).toEqual([{ sku: "v1", qty: 9 }]);
    const ignored = await sb
      .from("rw_items")
      .upsert({ sku: "v1", qty: 100 }, { onConflict: "sku", ignoreDuplicates: true })
      .select("sku, qty");
    expect(ignored.error).toBeNull();
    expect(ignored.data).toEqual([]);
    expect((await rows()).map((r) => r.qty)).toEqual([9]);
  });
});

describe("update and delete", () => {
  beforeEach(async () => {
    await db.query(
      "insert into rw_items (sku, owner_id, qty) values ('p1', 1, 1), ('p2', 1, 2), ('p3', 2, 3)",
    );
  });

  it("updates the filtered rows: 204 minimal, 200 with representation", async () => {
    const minimal = await sb.from("rw_items").update({ note: "x" }).eq("owner_id", 1);
    expect(minimal.error).toBeNull();
    expect(minimal.status).toBe(204);
    const rep = await sb
      .from("rw_items")
      .update({ qty: 10 }, { count: "exact" })
      .gte("qty", 2)
      .select("sku, qty, note")
      .order("sku");
    expect(rep.status).toBe(200);
    expect(rep.count).toBe(2);
    expect(rep.data).toEqual([
      { sku: "p2", qty: 10, note: "x" },
      { sku: "p3", qty: 10, note: "none" },
    ]);
  });

  it("updates with or= filters and returns nothing when nothing matches", async () => {
    const { data, error } = await sb
      .from("rw_items")
      .update({ qty: 0 })
      .or("sku.eq.p1,sku.eq.p3")
      .select("sku")
      .order("sku");
    expect(error).toBeNull();
    expect(data).toEqual([{ sku: "p1" }, { sku: "p3" }]);
    const none = await sb.from("rw_items").update({ qty: 0 }).eq("sku", "zz").select();
    expect(none.data).toEqual([]);
  });

  it("deletes the filtered rows and can return them", async () => {
    const { data, error, status } = await sb
      .from("rw_items")
      .delete()
      .in("sku", ["p1", "p2"])
      .select("sku")
      .order("sku");
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([{ sku: "p1" }, { sku: "p2" }]);
    expect((await rows()).map((r) => r.sku)).toEqual(["p3"]);
  });

  it("limits an update or delete to the first rows of the ordered filter", async () => {
    const upd = await sb
      .from("rw_items")
      .update({ note: "first" })
      .gt("qty", 1)
      .order("qty", { ascending: false })
      .limit(1)
      .select("sku");
    expect(upd.error).toBeNull();
    expect(upd.data).toEqual([{ sku: "p3" }]);
    const del = await sb.from("rw_items").delete().order("qty").limit(2).select("sku").order("sku");
    expect(del.error).toBeNull();
    expect(del.data).toEqual([{ sku: "p1" }, { sku: "p2" }]);
    expect((await rows()).map((r) => [r.sku, r.note])).toEqual([["p3", "first"]]);
  });

  it("sends PostgREST's Content-Range and Preference-Applied on writes", async () => {
    const headers = {
      apikey: env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
      "content-type": "application/json",
    };
    const upd = await fetch(`${env.API_URL}/rest/v1/rw_items?qty=gte.2`, {
      method: "PATCH",
      headers: { ...headers, prefer: "count=exact" },
      body: JSON.stringify({ note: "n" }),
    });
    expect(upd.status).toBe(204);
    expect(upd.headers.get("content-range")).toBe("0-1/2");
    expect(upd.headers.get("preference-applied")).toBe("count=exact");
    const del = await fetch(`${env.API_URL}/rest/v1/rw_items?qty=gte.2`, {
      method: "DELETE",
      headers: { ...headers, prefer: "return=representation, count=exact" },
    });
    expect(del.status).toBe(200);
    expect(del.headers.get("content-range")).toBe("*/2");
    expect(del.headers.get("preference-applied")).toBe("return=representation, count=exact");
    const ins = await fetch(`${env.API_URL}/rest/v1/rw_items`, {
      method: "POST",
      headers,
      body: JSON.stringify({ sku: "q1" }),
    });
    expect(ins.status).toBe(201);
    expect(ins.headers.get("content-range")).toBe("*/*");
    expect(await ins.text()).toBe("");
  });

  it("refuses and rolls back a delete beyond maxAffected", async () => {
    // maxAffected() is typed for PostgREST 13 clients only; the header it sends is the same.
    const del = sb.from("rw_items").delete().gt("qty", 0) as unknown as {
      maxAffected(n: number): PromiseLike<{ error: { code: string } | null; status: number }>;
    };
    const { error, status } = await del.maxAffected(2);
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST124");
    expect(await rows()).toHaveLength(3);
  });
});

describe("errors", () => {
  const raw = (method: string, body: string, extra: Record<string, string> = {}) =>
    fetch(`${env.API_URL}/rest/v1/rw_items`, {
      method,
      headers: {
        apikey: env.SERVICE_ROLE_KEY,
        authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
        "content-type": "application/json",
        ...extra,
      },
      body,
    });

  it("unknown column in the body: 400 PGRST204", async () => {
    const { error, status } = await sb.from("rw_items").insert({ sku: "z", nope: 1 });
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST204");
    expect(error?.message).toBe(
      "Could not find the 'nope' column of 'rw_items' in the schema cache",
    );
  });

  it("foreign key violation: 409 23503; not-null violation: 400 23502", async () => {
    const fk = await sb.from("rw_items").insert({ sku: "z", owner_id: 99 });
    expect(fk.status).toBe(409);
    expect(fk.error?.code).toBe("23503");
    const nn = await sb.from("rw_items").insert({ owner_id: 1 });
    expect(nn.status).toBe(400);
    expect(nn.error?.code).toBe("23502");
  });

  it("malformed JSON: 400 PGRST102", async () => {
    const res = await raw("POST", '{"sku": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: "PGRST102",
      message: "Empty or invalid json",
      details: null,
      hint: null,
    });
  });

  it("objects with different keys and no columns=: 400 PGRST102", async () => {
    const res = await raw("POST", JSON.stringify([{ sku: "a" }, { qty: 1 }]));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe("All object keys must match");
  });

  it("answers arbitrary JSON bodies with a 2xx or a PostgREST 4xx, never a 5xx", async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.array(
        fc.dictionary(
          fc.constantFrom("sku", "qty", "note", "meta", "labels", "owner_id", "x"),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        { maxLength: 3 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("POST", "PATCH"), body, async (method, b) => {
        const res = await raw(method, JSON.stringify(b), { prefer: "return=representation" });
        const text = await res.text();
        expect(res.status, `${method} ${JSON.stringify(b)} -> ${text}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(Object.keys(JSON.parse(text) as object).sort()).toEqual([
            "code",
            "details",
            "hint",
            "message",
          ]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("body over the size limit: 413", async () => {
    const big = JSON.stringify({ sku: "x".repeat(1_100_000) });
    const res = await raw("POST", big);
    expect(res.status).toBe(413);
    expect(await rows()).toEqual([]);
  });
});
