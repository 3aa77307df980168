/**
 * The /rest/v1 SQL builders against an in-memory schema cache: values only ever travel as
 * parameters (a property over arbitrary values), identifiers are checked and quoted, and
 * relationship detection answers PostgREST's PGRST200/PGRST201.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMutation } from "@/devstack/rest/build-mutation";
import { buildRelation, wrapRead } from "@/devstack/rest/build-select";
import { RestError } from "@/devstack/rest/errors";
import { parsePrefer } from "@/devstack/rest/prefer";
import { parseQuery } from "@/devstack/rest/query-params";
import { findRelationship } from "@/devstack/rest/relationships";
import type { Column, SchemaCache, Table } from "@/devstack/rest/schema-cache";
import { Sql } from "@/devstack/rest/sql";

function table(name: string, cols: string[], pk: string[] = ["id"]): Table {
  const columns = new Map<string, Column>(
    cols.map((c) => [
      c,
      { name: c, type: "text", typname: "text", notNull: false, hasDefault: false },
    ]),
  );
  return {
    oid: 0,
    schema: "public",
    name,
    kind: "r",
    columns,
    columnOrder: cols,
    primaryKey: pk,
    uniques: [pk],
  };
}

const orgs = table("orgs", ["id", "name"]);
const users = table("users", ["id", "email", "org_id"]);
const tickets = table("tickets", ["id", "org_id", "author_id", "assignee_id", "title"]);
const labels = table("labels", ["id", "name"]);
const ticketLabels = table("ticket_labels", ["ticket_id", "label_id"], ["ticket_id", "label_id"]);
const cache: SchemaCache = {
  schemas: ["public"],
  tables: new Map([orgs, users, tickets, labels, ticketLabels].map((t) => [`public.${t.name}`, t])),
  foreignKeys: [
    { name: "users_org_id_fkey", table: users, columns: ["org_id"], ref: orgs, refColumns: ["id"] },
    {
      name: "tickets_org_id_fkey",
      table: tickets,
      columns: ["org_id"],
      ref: orgs,
      refColumns: ["id"],
    },
    {
      name: "tickets_author_id_fkey",
      table: tickets,
      columns: ["author_id"],
      ref: users,
      refColumns: ["id"],
    },
    {
      name: "tickets_assignee_id_fkey",
      table: tickets,
      columns: ["assignee_id"],
      ref: users,
      refColumns: ["id"],
    },
    {
      name: "tl_ticket_fkey",
      table: ticketLabels,
      columns: ["ticket_id"],
      ref: tickets,
      refColumns: ["id"],
    },
    {
      name: "tl_label_fkey",
      table: ticketLabels,
      columns: ["label_id"],
      ref: labels,
      refColumns: ["id"],
    },
  ],
  functions: new Map(),
  roleTimeouts: new Map(),
  dbConfig: new Map(),
};

function read(qs: string): { text: string; params: unknown[] } {
  const q = parseQuery(new URL(`http://x/tickets?${qs}`));
  const sql = new Sql();
  const root = buildRelation(
    { cache, sql, q },
    { table: tickets, from: '"public"."tickets"' },
    q.select,
    "",
    {
      paging: true,
    },
  );
  return { text: wrapRead(root, { count: true, shape: "array" }), params: sql.params };
}

describe("relationships", () => {
  it("finds many-to-one, one-to-many and many-to-many", () => {
    expect(findRelationship(cache, tickets, "orgs", undefined)).toMatchObject({
      cardinality: "many-to-one",
      pairs: [["org_id", "id"]],
    });
    expect(findRelationship(cache, orgs, "tickets", undefined)).toMatchObject({
      cardinality: "one-to-many",
      pairs: [["id", "org_id"]],
    });
    expect(findRelationship(cache, tickets, "labels", undefined)).toMatchObject({
      cardinality: "many-to-many",
      junction: { table: ticketLabels },
    });
  });

  it("disambiguates with a column or constraint hint, else answers PGRST201", () => {
    expect(findRelationship(cache, tickets, "users", "assignee_id").constraint).toBe(
      "tickets_assignee_id_fkey",
    );
    expect(findRelationship(cache, tickets, "users", "tickets_author_id_fkey").pairs).toEqual([
      ["author_id", "id"],
    ]);
    try {
      findRelationship(cache, tickets, "users", undefined);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RestError);
      expect((e as RestError).status).toBe(300);
      expect((e as RestError).code).toBe("PGRST201");
      expect((e as RestError).details).toEqual([
        {
          cardinality: "many-to-one",
          embedding: "tickets with users",
          relationship: "tickets_author_id_fkey using tickets(author_id) and users(id)",
        },
        {
          cardinality: "many-to-one",
          embedding: "tickets with users",
          relationship: "tickets_assignee_id_fkey using tickets(assignee_id) and users(id)",
        },
      ]);
    }
  });

  it("answers PGRST200 when nothing relates", () => {
    expect(() => findRelationship(cache, labels, "orgs", undefined)).toThrow(
      "Could not find a relationship between 'labels' and 'orgs' in the schema cache",
    );
  });
});

describe("read statements", () => {
  it("quote identifiers and pass every value as a parameter", () => {
    const { text, params } = read(
      "select=id,t:title,org:orgs!inner(name)&org.name=eq.acme&title=in.(a,b)&order=id.desc&limit=5",
    );
    expect(text).toContain('"t1"."title" as "t"');
    expect(text).toContain("inner join lateral");
    expect(text).not.toContain("acme");
    expect(text).toContain("limit 5");
    expect(params).toEqual(["acme", ["a", "b"]]);
  });

  it("reject unknown columns with 42703", () => {
    expect(() => read("select=nope")).toThrow("column tickets.nope does not exist");
    expect(() => read("nope=eq.1")).toThrow("column tickets.nope does not exist");
    expect(() => read("order=nope")).toThrow("column tickets.nope does not exist");
  });

  it("never put a filter value into the SQL text (property)", () => {
    const ops = ["eq", "neq", "like", "ilike", "gt", "cs", "fts", "wfts(english)", "match"];
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.string(), fc.string(), (op, a, b) => {
        const qa = read(`select=id&title=${op}.${encodeURIComponent(a)}`);
        const qb = read(`select=id&title=${op}.${encodeURIComponent(b)}`);
        expect(qa.text).toBe(qb.text);
      }),
      { numRuns: 500 },
    );
  });

  it("never put an in-list or logic-tree value into the SQL text (property)", () => {
    const safe = fc.stringMatching(/^[^",()\\]*$/);
    fc.assert(
      fc.property(safe, safe, (a, b) => {
        const enc = (v: string) => encodeURIComponent(`"${v}"`);
        const qa = read(`title=in.(${enc(a)})&or=(title.eq.${enc(a)},id.is.null)`);
        const qb = read(`title=in.(${enc(b)})&or=(title.eq.${enc(b)},id.is.null)`);
        expect(qa.text).toBe(qb.text);
      }),
      { numRuns: 300 },
    );
  });
});

describe("write statements", () => {
  const write = (method: "POST" | "PATCH" | "DELETE", body: unknown, qs = "", prefer = "") => {
    const sql = new Sql();
    const text = buildMutation({
      cache,
      sql,
      table: tickets,
      method,
      body,
      q: parseQuery(new URL(`http://x/tickets?${qs}`)),
      prefer: parsePrefer(prefer),
      representation: prefer.includes("return=representation"),
      shape: "array",
    });
    return { text, params: sql.params };
  };

  it("insert rows through json_populate_recordset with the body as one parameter", () => {
    const { text, params } = write(
      "POST",
      [{ id: "1", title: "x'; drop table t; --" }],
      'columns="id","title"',
    );
    expect(text).toContain('insert into "public"."tickets" as "pgrst_m" ("id", "title") select');
    expect(text).not.toContain("drop table");
    expect(params).toEqual([JSON.stringify([{ id: "1", title: "x'; drop table t; --" }])]);
  });

  it("upsert on the primary key or on_conflict", () => {
    expect(
      write("POST", { id: "1", title: "a" }, "", "resolution=merge-duplicates").text,
    ).toContain(
      'on conflict ("id") do update set "id" = excluded."id", "title" = excluded."title"',
    );
    expect(
      write("POST", { title: "a" }, "on_conflict=title", "resolution=ignore-duplicates").text,
    ).toContain('on conflict ("title") do nothing');
  });

  it("use DEFAULT for missing keys with missing=default", () => {
    const { text } = write(
      "POST",
      [{ id: "1", title: "a" }, { id: "2" }],
      'columns="id","title"',
      "missing=default",
    );
    expect(text).toContain("default)");
  });

  it("reject unknown body columns with PGRST204 and mismatched keys with PGRST102", () => {
    expect(() => write("PATCH", { nope: 1 })).toThrow(
      "Could not find the 'nope' column of 'tickets' in the schema cache",
    );
    expect(() => write("POST", [{ id: "1" }, { title: "x" }])).toThrow(
      "All object keys must match",
    );
    expect(() => write("POST", [1, 2])).toThrow("Empty or invalid json");
  });

  it("apply filters to update and delete and return the representation", () => {
    const { text, params } = write(
      "DELETE",
      undefined,
      "id=eq.7&select=id",
      "return=representation",
    );
    expect(text).toMatch(
      /^with pgrst_source as \(delete from "public"."tickets" as "pgrst_m" where "pgrst_m"."id" = \$1 returning "pgrst_m".\*\)/,
    );
    expect(params).toEqual(["7"]);
  });
});
