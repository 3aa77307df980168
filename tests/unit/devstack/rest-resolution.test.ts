/**
 * PostgREST's resolution rules in the /rest/v1 gateway, without a database: the aggregate
 * grammar and its switch (PGRST123), plan media types behind db-plan-enabled, overload choice
 * and PGRST203 candidate order (`findProc`, `Ord Routine`), which bodies a single unnamed
 * parameter takes, and the 42712 a doubled embed name gives.
 */
import { describe, expect, it } from "vitest";
import { buildRelation } from "@/devstack/rest/build-select";
import { RestError } from "@/devstack/rest/errors";
import { parseSelect } from "@/devstack/rest/parse-select";
import { parseQuery } from "@/devstack/rest/query-params";
import { negotiate, planContentType } from "@/devstack/rest/request";
import { bodyKind, chooseFunction } from "@/devstack/rest/rpc";
import type { Column, DbFunction, SchemaCache, Table } from "@/devstack/rest/schema-cache";
import { compareOverloads } from "@/devstack/rest/schema-functions";
import { Sql } from "@/devstack/rest/sql";

const on = { aggregates: true };

function fn(
  params: Array<[string, string, boolean?]>,
  extra: Partial<DbFunction> = {},
): DbFunction {
  return {
    schema: "public",
    name: "f",
    params: params.map(([name, type, hasDefault]) => ({ name, type, hasDefault: !!hasDefault })),
    returnsSet: false,
    returnType: "text",
    returns: "scalar",
    volatility: "i",
    rows: 0,
    callable: true,
    ...extra,
  };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof RestError) return e.code;
    throw e;
  }
  return undefined;
}

describe("aggregates in select", () => {
  it("parses column aggregates, count(), casts on both sides and aliases", () => {
    expect(parseSelect("amount.sum(),count(),n:x::numeric.avg()::int,d", on)).toEqual([
      { kind: "field", name: "amount", json: [], aggregate: "sum" },
      { kind: "field", name: "*", json: [], aggregate: "count" },
      {
        kind: "field",
        name: "x",
        alias: "n",
        json: [],
        cast: "numeric",
        aggregate: "avg",
        aggregateCast: "int",
      },
      { kind: "field", name: "d", json: [] },
    ]);
  });

  it("is PGRST123 while the switch is off, PGRST100 for an unknown function", () => {
    for (const s of ["amount.sum()", "count()", "a:count()", "x,rel(y.max())"]) {
      expect(
        codeOf(() => parseSelect(s)),
        s,
      ).toBe("PGRST123");
    }
    expect(codeOf(() => parseSelect("amount.median()", on))).toBe("PGRST100");
    // `count` without parentheses is a column; `count(…)` is no embed (PostgREST reserves it).
    expect(parseSelect("count")).toEqual([{ kind: "field", name: "count", json: [] }]);
    expect(codeOf(() => parseSelect("count(id)", on))).toBe("PGRST100");
    expect(codeOf(() => parseSelect("count!inner(id)"))).toBe("PGRST100");
  });
});

describe("plan media types", () => {
  const accept = 'application/vnd.pgrst.plan+json; for="application/json"; options=verbose|analyze';

  it("are not available unless db-plan-enabled (PGRST107)", () => {
    expect(codeOf(() => negotiate(accept))).toBe("PGRST107");
    expect(() => negotiate(`${accept};`)).toThrow(
      'None of these media types are available: application/vnd.pgrst.plan+json; for="application/json"; options=analyze|verbose',
    );
    // Another acceptable type still wins.
    expect(negotiate(`${accept}, application/json`).plan).toBeUndefined();
  });

  it("carry format, options in PostgREST's order and the inner media type", () => {
    const m = negotiate(accept, true);
    expect(m.plan).toEqual({
      format: "json",
      options: ["analyze", "verbose"],
      forType: "application/json",
    });
    expect(planContentType(m.plan ?? { format: "text", options: [], forType: "" })).toBe(
      'application/vnd.pgrst.plan+json; for="application/json"; options=analyze|verbose; charset=utf-8',
    );
    expect(negotiate("application/vnd.pgrst.plan", true).plan?.format).toBe("text");
  });
});

describe("overloads", () => {
  const a = fn([["a", "integer"]]);
  const ab = fn([
    ["a", "integer"],
    ["b", "integer", true],
  ]);
  const x = fn([["x", "text"]]);
  const jsonBody = fn([["", "jsonb"]], { singleUnnamed: "jsonb" });
  const textBody = fn([["", "text"]], { singleUnnamed: "text" });

  it("are ordered fewest parameters first, then by parameter name and type", () => {
    expect([ab, x, a].sort(compareOverloads)).toEqual([a, x, ab]);
  });

  it("compare the description before the parameters, and an optional parameter first", () => {
    const ac = fn([
      ["a", "integer"],
      ["c", "integer"],
    ]);
    const abDescribed = fn(
      [
        ["a", "integer"],
        ["b", "integer"],
      ],
      { description: "about it" },
    );
    const abZ = fn(
      [
        ["a", "integer"],
        ["b", "integer"],
      ],
      { description: "zzz" },
    );
    expect([abZ, abDescribed, ac].sort(compareOverloads)).toEqual([ac, abDescribed, abZ]);
    const required = fn([
      ["a", "integer"],
      ["b", "integer"],
    ]);
    expect([required, ab].sort(compareOverloads)).toEqual([ab, required]);
  });

  it("resolve by named arguments, else PGRST203 listing the candidates in that order", () => {
    const all = [a, ab, x].sort(compareOverloads);
    expect(chooseFunction(all, "public", "f", ["a", "b"], true)).toBe(ab);
    expect(chooseFunction(all, "public", "f", ["x"], false)).toBe(x);
    try {
      chooseFunction(all, "public", "f", ["a"], true);
      expect.unreachable();
    } catch (e) {
      expect((e as RestError).status).toBe(300);
      expect((e as RestError).message).toBe(
        "Could not choose the best candidate function between: public.f(a => integer), public.f(a => integer, b => integer)",
      );
    }
    expect(codeOf(() => chooseFunction(all, "public", "f", ["a", "zz"], true))).toBe("PGRST202");
  });

  it("fall back to a single unnamed parameter of the body's type, on POST only", () => {
    const all = [a, jsonBody, textBody];
    expect(chooseFunction(all, "public", "f", ["q"], true, "json")).toBe(jsonBody);
    expect(chooseFunction(all, "public", "f", [], true, "text")).toBe(textBody);
    expect(codeOf(() => chooseFunction(all, "public", "f", ["q"], false, "json"))).toBe("PGRST202");
    expect(bodyKind("text/plain; charset=utf-8")).toBe("text");
    expect(bodyKind(undefined)).toBe("json");
    expect(bodyKind("application/octet-stream")).toBe("bytea");
  });
});

describe("embeds", () => {
  const col = (name: string): Column => ({
    name,
    type: "integer",
    typname: "int4",
    notNull: true,
    hasDefault: false,
  });
  const t = (oid: number, name: string, cols: string[]): Table => ({
    oid,
    schema: "public",
    name,
    kind: "r",
    columns: new Map(cols.map((c) => [c, col(c)])),
    columnOrder: cols,
    primaryKey: ["id"],
    uniques: [["id"]],
  });
  const posts = t(1, "posts", ["id"]);
  const tags = t(2, "tags", ["id", "post_id"]);
  const cache: SchemaCache = {
    schemas: ["public"],
    tables: new Map([
      ["public.posts", posts],
      ["public.tags", tags],
    ]),
    foreignKeys: [
      {
        name: "tags_post_id_fkey",
        table: tags,
        columns: ["post_id"],
        ref: posts,
        refColumns: ["id"],
      },
    ],
    functions: new Map(),
    roleTimeouts: new Map(),
    dbConfig: new Map(),
  };
  const build = (qs: string) => {
    const q = parseQuery(new URL(`http://x/tags?${qs}`));
    return buildRelation(
      { cache, sql: new Sql(), q },
      { table: tags, from: '"public"."tags"' },
      q.select,
      "",
      {
        paging: true,
      },
    );
  };

  it("refuse one name twice at a level with Postgres' 42712, as PostgREST's aliases do", () => {
    try {
      build("select=id,posts(id),posts(id)");
      expect.unreachable();
    } catch (e) {
      expect((e as RestError).code).toBe("42712");
      expect((e as RestError).message).toBe('table name "tags_posts_1" specified more than once');
    }
    expect(build("select=id,a:posts(id),b:posts(id)").outputNames).toEqual(["id", "a", "b"]);
    // A planning error later in the tree wins, as PostgREST plans before Postgres runs anything.
    expect(codeOf(() => build("select=id,posts(id),posts(id),nothing(id)"))).toBe("PGRST200");
  });

  it("leave an empty embed out of the output", () => {
    expect(build("select=id,posts!inner()").outputNames).toEqual(["id"]);
  });
});
