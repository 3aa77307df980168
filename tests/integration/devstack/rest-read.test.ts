/**
 * /rest/v1 reads, driven by the real supabase-js against the running devstack: select grammar,
 * embedding, every filter operator postgrest-js exposes, order, paging, counts, object responses
 * and PostgREST's errors. The tables are created here and dropped afterwards.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";
import { untilSchemaShows } from "../../helpers/schema-cache";

const env = devstackEnv();
const db = new pg.Client({ connectionString: env.DB_URL });
let sb: SupabaseClient;

const DROP =
  "drop table if exists rr_many, rr_ticket_labels, rr_labels, rr_comments, rr_tickets, rr_users, rr_orgs cascade";

const SCHEMA = `
${DROP};
create table rr_orgs (id int primary key, name text not null);
create table rr_users (id int primary key, email text not null, org_id int references rr_orgs (id),
  manager_id int references rr_users (id));
create table rr_tickets (
  id int primary key, org_id int not null references rr_orgs (id),
  author_id int references rr_users (id), assignee_id int references rr_users (id),
  title text not null, priority int, tags text[], data jsonb, score numeric, created_at date,
  span int4range, doc tsvector generated always as (to_tsvector('english', title)) stored);
create table rr_comments (id int primary key, ticket_id int not null references rr_tickets (id),
  body text not null, rank int not null);
create table rr_labels (id int primary key, name text not null);
create table rr_ticket_labels (ticket_id int references rr_tickets (id),
  label_id int references rr_labels (id), primary key (ticket_id, label_id));
insert into rr_orgs values (1, 'acme'), (2, 'globex');
insert into rr_users values (1, 'a@acme.test', 1, null), (2, 'b@acme.test', 1, 1), (3, 'c@globex.test', 2, null);
insert into rr_tickets (id, org_id, author_id, assignee_id, title, priority, tags, data, score, created_at, span) values
  (1, 1, 1, 2, 'Login fails on Safari', 1, '{auth,web}', '{"env": {"os": "mac"}, "n": 1}', 1.5, '2024-01-01', '[1,5)'),
  (2, 1, 2, null, 'Crash when saving drafts', 2, '{editor}', '{"env": {"os": "win"}, "n": 2}', null, '2024-01-02', '[5,10)'),
  (3, 2, 3, 3, 'Slow search results', null, '{search,web}', '{"env": {"os": "linux"}, "n": 3}', 3, '2024-01-03', '[10,20)'),
  (4, 1, 1, null, 'Typo in the footer, again', 3, '{}', null, 0.5, null, null);
insert into rr_comments values (1, 1, 'first', 2), (2, 1, 'second', 1), (3, 2, 'third', 1);
insert into rr_labels values (1, 'bug'), (2, 'ui');
insert into rr_ticket_labels values (1, 1), (1, 2), (2, 1);
create table rr_many (id int primary key);
insert into rr_many select generate_series(1, 1005);
analyze rr_many;
notify pgrst, 'reload schema';`;

/** Waits until the schema cache reload triggered by NOTIFY shows the table. */
const waitForTable = (name: string): Promise<void> =>
  untilSchemaShows(`table ${name}`, async () => !(await sb.from(name).select("*").limit(0)).error);

const ids = (data: unknown): number[] => (data as Array<{ id: number }>).map((r) => r.id);

beforeAll(async () => {
  await db.connect();
  await db.query(SCHEMA);
  sb = createClient(env.API_URL, env.SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  await waitForTable("rr_ticket_labels");
});

afterAll(async () => {
  await db.query(`${DROP}; notify pgrst, 'reload schema'`);
  await db.end();
});

describe("select grammar", () => {
  it("returns every column with JSON types as PostgREST does", async () => {
    const { data, error, status } = await sb.from("rr_tickets").select().eq("id", 1);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([
      {
        id: 1,
        org_id: 1,
        author_id: 1,
        assignee_id: 2,
        title: "Login fails on Safari",
        priority: 1,
        tags: ["auth", "web"],
        data: { env: { os: "mac" }, n: 1 },
        score: 1.5,
        created_at: "2024-01-01",
        span: "[1,5)",
        doc: "'fail':2 'login':1 'safari':4",
      },
    ]);
  });

  it("renames with aliases and casts with ::", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("ident:id, prio:priority::text, title")
      .eq("id", 2);
    expect(error).toBeNull();
    expect(data).toEqual([{ ident: 2, prio: "2", title: "Crash when saving drafts" }]);
  });

  it("reads JSON paths with -> and ->>", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, data->env->>os, n:data->n, env:data->env")
      .in("id", [1, 4])
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, os: "mac", n: 1, env: { os: "mac" } },
      { id: 4, os: null, n: null, env: null },
    ]);
  });
});

describe("embedding", () => {
  it("embeds to-one through a hinted foreign key (column or constraint name)", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select(
        "id, author:rr_users!author_id(email), assignee:rr_users!rr_tickets_assignee_id_fkey(email)",
      )
      .in("id", [1, 2])
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, author: { email: "a@acme.test" }, assignee: { email: "b@acme.test" } },
      { id: 2, author: { email: "b@acme.test" }, assignee: null },
    ]);
  });

  it("refuses an ambiguous embed with 300 PGRST201 and the candidates", async () => {
    const { error, status } = await sb.from("rr_tickets").select("id, rr_users(email)");
    expect(status).toBe(300);
    expect(error?.code).toBe("PGRST201");
    expect(error?.message).toBe(
      "Could not embed because more than one relationship was found for 'rr_tickets' and 'rr_users'",
    );
    expect(error?.details).toHaveLength(2);
    expect(error?.hint).toContain("'rr_users!rr_tickets_author_id_fkey'");
  });

  it("answers 400 PGRST200 when no relationship exists", async () => {
    const { error, status } = await sb.from("rr_labels").select("id, rr_orgs(name)");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST200");
    expect(error?.message).toBe(
      "Could not find a relationship between 'rr_labels' and 'rr_orgs' in the schema cache",
    );
  });

  it("embeds to-many with its own order and limit", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, rr_comments(body, rank)")
      .in("id", [1, 3])
      .order("id")
      .order("rank", { referencedTable: "rr_comments" })
      .limit(1, { referencedTable: "rr_comments" });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, rr_comments: [{ body: "second", rank: 1 }] },
      { id: 3, rr_comments: [] },
    ]);
  });

  it("nests embeds and embeds many-to-many through a junction table", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, org:rr_orgs(name, rr_users(email)), rr_labels(name)")
      .eq("id", 1)
      .order("email", { referencedTable: "org.rr_users" });
    expect(error).toBeNull();
    expect(data).toEqual([
      {
        id: 1,
        org: { name: "acme", rr_users: [{ email: "a@acme.test" }, { email: "b@acme.test" }] },
        rr_labels: [{ name: "bug" }, { name: "ui" }],
      },
    ]);
  });

  it("filters parents with !inner and an embedded filter", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, org:rr_orgs!inner(name)")
      .eq("org.name", "globex");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 3, org: { name: "globex" } }]);
  });

  it("filters only the embedded rows without !inner", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, rr_comments(body)")
      .eq("rr_comments.body", "third")
      .order("id");
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, rr_comments: [] },
      { id: 2, rr_comments: [{ body: "third" }] },
      { id: 3, rr_comments: [] },
      { id: 4, rr_comments: [] },
    ]);
  });

  it("filters on an embed being null or not", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, assignee:rr_users!assignee_id(email)")
      .not("assignee", "is", null)
      .order("id");
    expect(error).toBeNull();
    expect(ids(data)).toEqual([1, 3]);
  });

  it("applies or= on an embedded resource", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, rr_comments(id)")
      .eq("id", 1)
      .or("rank.eq.2,body.eq.nothing", { referencedTable: "rr_comments" });
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1, rr_comments: [{ id: 1 }] }]);
  });

  it("spreads a to-one embed into the parent", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, ...rr_orgs(org_name:name)")
      .eq("id", 3);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 3, org_name: "globex" }]);
  });

  it("orders parents by a column of a to-one embed", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, rr_orgs(name)")
      .order("rr_orgs(name)", { ascending: false })
      .order("id");
    expect(error).toBeNull();
    expect(ids(data)).toEqual([3, 1, 2, 4]);
  });
});

describe("filters", () => {
  // biome-ignore lint/suspicious/noExplicitAny: postgrest-js's builder generics are too deep for tsc to instantiate here
  type Builder = any;
  const cases: Array<[string, (q: Builder) => unknown, number[]]> = [
    ["eq", (q) => q.eq("priority", 2), [2]],
    ["neq", (q) => q.neq("priority", 2), [1, 4]],
    ["gt", (q) => q.gt("priority", 1), [2, 4]],
    ["gte", (q) => q.gte("priority", 2), [2, 4]],
    ["lt", (q) => q.lt("score", 1.5), [4]],
    ["lte", (q) => q.lte("score", 1.5), [1, 4]],
    ["like", (q) => q.like("title", "%in%"), [1, 2, 4]],
    ["like with *", (q) => q.like("title", "*search*"), [3]],
    ["ilike", (q) => q.ilike("title", "login%"), [1]],
    ["likeAnyOf", (q) => q.likeAnyOf("title", ["Slow%", "Typo%"]), [3, 4]],
    ["ilikeAllOf", (q) => q.ilikeAllOf("title", ["%s%", "%a%"]), [1, 2, 3]],
    ["match (regex)", (q) => q.filter("title", "match", "^C"), [2]],
    ["imatch", (q) => q.filter("title", "imatch", "^typo"), [4]],
    ["is null", (q) => q.is("priority", null), [3]],
    ["not is null", (q) => q.not("priority", "is", null), [1, 2, 4]],
    ["isDistinct", (q) => q.isDistinct("priority", 1), [2, 3, 4]],
    [
      "in (with a comma inside a value)",
      (q) => q.in("title", ["Typo in the footer, again", "Slow search results"]),
      [3, 4],
    ],
    ["not in", (q) => q.not("id", "in", "(1,2)"), [3, 4]],
    ["empty in", (q) => q.in("id", []), []],
    ["contains array", (q) => q.contains("tags", ["web"]), [1, 3]],
    ["contains jsonb", (q) => q.contains("data", { env: { os: "win" } }), [2]],
    ["containedBy", (q) => q.containedBy("tags", ["auth", "web", "editor"]), [1, 2, 4]],
    ["overlaps", (q) => q.overlaps("tags", ["editor", "search"]), [2, 3]],
    ["rangeLt (sl)", (q) => q.rangeLt("span", "[6,7)"), [1]],
    ["rangeGt (sr)", (q) => q.rangeGt("span", "[6,7)"), [3]],
    ["rangeGte (nxl)", (q) => q.rangeGte("span", "[5,6)"), [2, 3]],
    ["rangeLte (nxr)", (q) => q.rangeLte("span", "[1,10)"), [1, 2]],
    ["rangeAdjacent", (q) => q.rangeAdjacent("span", "[20,30)"), [3]],
    ["fts on tsvector", (q) => q.textSearch("doc", "crash & drafts"), [2]],
    [
      "plfts with config on text",
      (q) => q.textSearch("title", "fails login", { type: "plain", config: "english" }),
      [1],
    ],
    [
      "phfts",
      (q) => q.textSearch("title", "search results", { type: "phrase", config: "english" }),
      [3],
    ],
    [
      "wfts",
      (q) =>
        q.textSearch("title", '"slow search" or typo', { type: "websearch", config: "english" }),
      [3, 4],
    ],
    ["not fts", (q) => q.not("doc", "fts", "crash"), [1, 3, 4]],
    ["match object", (q) => q.match({ org_id: 1, priority: 3 }), [4]],
    ["filter in", (q) => q.filter("priority", "in", "(1,3)"), [1, 4]],
    ["json path filter", (q) => q.eq("data->env->>os", "linux"), [3]],
    ["or with nested and", (q) => q.or("priority.eq.1,and(org_id.eq.2,score.gt.2)"), [1, 3]],
    [
      "or with not and quoted value",
      (q) => q.or('title.eq."Typo in the footer, again",priority.not.lt.2'),
      [2, 4],
    ],
    ["date comparison", (q) => q.gte("created_at", "2024-01-02"), [2, 3]],
  ];
  for (const [name, apply, expected] of cases) {
    it(name, async () => {
      const q: Builder = sb.from("rr_tickets").select("id").order("id");
      const { data, error } = (await apply(q)) as { data: unknown; error: unknown };
      expect(error).toBeNull();
      expect(ids(data)).toEqual(expected);
    });
  }
});

describe("order, paging and counts", () => {
  it("orders with nulls first and last", async () => {
    const first = await sb.from("rr_tickets").select("id").order("priority", { nullsFirst: true });
    expect(ids(first.data)).toEqual([3, 1, 2, 4]);
    const last = await sb
      .from("rr_tickets")
      .select("id")
      .order("priority", { ascending: false, nullsFirst: false });
    expect(ids(last.data)).toEqual([4, 2, 1, 3]);
  });

  it("pages with range() and reports an exact count with 206", async () => {
    const { data, count, status, error } = await sb
      .from("rr_tickets")
      .select("id", { count: "exact" })
      .order("id")
      .range(1, 2);
    expect(error).toBeNull();
    expect(status).toBe(206);
    expect(count).toBe(4);
    expect(ids(data)).toEqual([2, 3]);
  });

  it("sends Content-Range like PostgREST (first-last/total, */0)", async () => {
    const headers = {
      apikey: env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
    };
    const page = await fetch(`${env.API_URL}/rest/v1/rr_tickets?select=id&order=id&limit=2`, {
      headers: { ...headers, prefer: "count=exact" },
    });
    expect(page.status).toBe(206);
    expect(page.headers.get("content-range")).toBe("0-1/4");
    const none = await fetch(`${env.API_URL}/rest/v1/rr_tickets?select=id&id=eq.99`, { headers });
    expect(none.status).toBe(200);
    expect(none.headers.get("content-range")).toBe("*/*");
    expect(await none.json()).toEqual([]);
    const ranged = await fetch(`${env.API_URL}/rest/v1/rr_tickets?select=id&order=id`, {
      headers: { ...headers, range: "2-3" },
    });
    expect(ranged.headers.get("content-range")).toBe("2-3/*");
    expect(ids(await ranged.json())).toEqual([3, 4]);
  });

  it("counts with HEAD and no body", async () => {
    const { data, count, status, error } = await sb
      .from("rr_tickets")
      .select("*", { count: "exact", head: true })
      .eq("org_id", 1);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(count).toBe(3);
    expect(data).toBeNull();
  });

  it("caps reads at max_rows (1000), as Supabase's PostgREST does", async () => {
    const { data, count, status, error } = await sb
      .from("rr_many")
      .select("id", { count: "exact" })
      .order("id");
    expect(error).toBeNull();
    expect(status).toBe(206);
    expect(count).toBe(1005);
    expect(data).toHaveLength(1000);
    const tail = await sb.from("rr_many").select("id").order("id").range(1000, 2000);
    expect(ids(tail.data)).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it("counts with the planner for count=planned, and beyond max_rows for count=estimated", async () => {
    const planned = await sb.from("rr_many").select("id", { count: "planned", head: true });
    expect(planned.error).toBeNull();
    expect(planned.count).toBe(1005);
    const narrow = await sb
      .from("rr_many")
      .select("id", { count: "planned", head: true })
      .eq("id", 7);
    expect(narrow.count).toBe(1);
    // Few rows: estimated is exact (rr_tickets was never analyzed, so the planner would guess).
    const small = await sb.from("rr_tickets").select("id", { count: "estimated", head: true });
    expect(small.count).toBe(4);
    const big = await sb.from("rr_many").select("id", { count: "estimated", head: true });
    expect(big.count).toBe(1005);
  });

  it("answers 416 PGRST103 for an offset past the counted rows", async () => {
    const { error, status } = await sb
      .from("rr_tickets")
      .select("id", { count: "exact" })
      .range(10, 12);
    expect(status).toBe(416);
    expect(error?.code).toBe("PGRST103");
  });
});

describe("response shapes", () => {
  it("returns one object for .single() and PGRST116 otherwise", async () => {
    const one = await sb.from("rr_tickets").select("id, title").eq("id", 3).single();
    expect(one.error).toBeNull();
    expect(one.data).toEqual({ id: 3, title: "Slow search results" });
    const none = await sb.from("rr_tickets").select("id").eq("id", 99).single();
    expect(none.status).toBe(406);
    expect(none.error).toEqual({
      code: "PGRST116",
      details: "The result contains 0 rows",
      hint: null,
      message: "Cannot coerce the result to a single JSON object",
    });
    const many = await sb.from("rr_tickets").select("id").single();
    expect(many.error?.details).toBe("The result contains 4 rows");
  });

  it("lets .maybeSingle() see zero rows as null", async () => {
    const { data, error } = await sb.from("rr_tickets").select("id").eq("id", 99).maybeSingle();
    expect(error).toBeNull();
    expect(data).toBeNull();
  });

  it("answers text/csv", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, title")
      .in("id", [3, 4])
      .order("id")
      .csv();
    expect(error).toBeNull();
    // PostgREST quotes as Postgres quotes record fields: spaces too.
    expect(data).toBe('id,title\n3,"Slow search results"\n4,"Typo in the footer, again"');
  });

  it("strips nulls when asked", async () => {
    const { data, error } = await sb
      .from("rr_tickets")
      .select("id, priority, score")
      .eq("id", 3)
      .stripNulls();
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 3, score: 3 }]);
  });
});

describe("errors", () => {
  it("unknown column: 400 42703", async () => {
    const { error, status } = await sb.from("rr_tickets").select("id, nope");
    expect(status).toBe(400);
    expect(error?.code).toBe("42703");
    expect(error?.message).toBe("column rr_tickets.nope does not exist");
  });

  it("unknown column in a filter: 400 42703", async () => {
    const { error, status } = await sb.from("rr_tickets").select("id").eq("nope", 1);
    expect(status).toBe(400);
    expect(error?.code).toBe("42703");
  });

  it("unknown table: 404 PGRST205", async () => {
    const { error, status } = await sb.from("rr_nope").select();
    expect(status).toBe(404);
    expect(error?.code).toBe("PGRST205");
    expect(error?.message).toBe("Could not find the table 'public.rr_nope' in the schema cache");
  });

  it("value of the wrong type: 400 22P02", async () => {
    const { error, status } = await sb.from("rr_tickets").select("id").eq("id", "abc");
    expect(status).toBe(400);
    expect(error?.code).toBe("22P02");
  });

  it("unparsable select, filter and order: 400 PGRST100", async () => {
    const headers = { apikey: env.ANON_KEY };
    for (const qs of ["select=id,(", "id=zz.1", "order=id.sideways", "or=(id.eq.1", "limit=x"]) {
      const res = await fetch(`${env.API_URL}/rest/v1/rr_tickets?${qs}`, { headers });
      expect(res.status, qs).toBe(400);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code, qs).toBe("PGRST100");
      expect(body.message, qs).toMatch(/^failed to parse/);
    }
  });

  it("filter on a resource that is not embedded: 400 PGRST108", async () => {
    const { error, status } = await sb.from("rr_tickets").select("id").eq("rr_comments.body", "x");
    expect(status).toBe(400);
    expect(error?.code).toBe("PGRST108");
    expect(error?.message).toBe("'rr_comments' is not an embedded resource in this request");
  });

  it("answers arbitrary query strings with a 2xx or a PostgREST 4xx, never a 5xx", async () => {
    const headers = {
      apikey: env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SERVICE_ROLE_KEY}`,
    };
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "id",
        "title",
        "rr_comments",
        "(",
        ")",
        ",",
        ".",
        "!inner",
        "::",
        "->",
        "eq.",
        "in.(",
        "or=(",
        '"',
      ),
    );
    const value = fc.array(piece, { maxLength: 6 }).map((xs) => xs.join(""));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("select", "order", "id", "title", "or", "rr_comments.body", "limit"),
        value,
        async (key, v) => {
          const qs = new URLSearchParams({ [key]: v }).toString();
          const res = await fetch(`${env.API_URL}/rest/v1/rr_tickets?${qs}`, { headers });
          const text = await res.text();
          expect(res.status, `${qs} -> ${text}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(Object.keys(JSON.parse(text) as object).sort()).toEqual([
              "code",
              "details",
              "hint",
              "message",
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("unexposed schema: 406 PGRST106", async () => {
    const { error, status } = await sb.schema("auth").from("users").select("id");
    expect(status).toBe(406);
    expect(error?.code).toBe("PGRST106");
    expect(error?.hint).toBe("Only the following schemas are exposed: public");
  });
});
