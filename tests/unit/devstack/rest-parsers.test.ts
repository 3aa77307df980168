/**
 * The /rest/v1 URL grammar parsers: examples taken from what postgrest-js emits, and properties
 * (fast-check) that round-trip generated select trees, filter lists, logic trees and orders, and
 * that arbitrary input only ever fails with PostgREST's errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RestError } from "@/devstack/rest/errors";
import { type FilterTree, parseFilterValue, parseLogic } from "@/devstack/rest/parse-filters";
import { parseOrder } from "@/devstack/rest/parse-order";
import { parseSelect, type SelectItem } from "@/devstack/rest/parse-select";
import { parsePrefer, preferenceApplied } from "@/devstack/rest/prefer";
import { parseQuery } from "@/devstack/rest/query-params";

describe("parseSelect", () => {
  it("parses columns, aliases, casts and JSON paths", () => {
    expect(parseSelect("id,name:title,n::text,data->a->>b,x:data->0")).toEqual([
      { kind: "field", name: "id", json: [] },
      { kind: "field", name: "title", alias: "name", json: [] },
      { kind: "field", name: "n", json: [], cast: "text" },
      {
        kind: "field",
        name: "data",
        json: [
          { op: "->", key: "a" },
          { op: "->>", key: "b" },
        ],
      },
      { kind: "field", name: "data", alias: "x", json: [{ op: "->", key: 0 }] },
    ]);
  });

  it("parses embeds with hints, !inner, spreads and nesting", () => {
    expect(
      parseSelect(
        "*,org:organizations!inner(name),author:profiles!tickets_author_id_fkey(email,team:teams(*)),...owner(id),c()",
      ),
    ).toEqual([
      { kind: "star" },
      {
        kind: "embed",
        name: "organizations",
        alias: "org",
        inner: true,
        spread: false,
        children: [{ kind: "field", name: "name", json: [] }],
      },
      {
        kind: "embed",
        name: "profiles",
        alias: "author",
        hint: "tickets_author_id_fkey",
        inner: false,
        spread: false,
        children: [
          { kind: "field", name: "email", json: [] },
          {
            kind: "embed",
            name: "teams",
            alias: "team",
            inner: false,
            spread: false,
            children: [{ kind: "star" }],
          },
        ],
      },
      {
        kind: "embed",
        name: "owner",
        inner: false,
        spread: true,
        children: [{ kind: "field", name: "id", json: [] }],
      },
      { kind: "embed", name: "c", inner: false, spread: false, children: [] },
    ]);
  });

  it("accepts quoted identifiers with spaces and punctuation", () => {
    expect(parseSelect('"my col","a,b":x')).toEqual([
      { kind: "field", name: "my col", json: [] },
      { kind: "field", name: "x", alias: "a,b", json: [] },
    ]);
  });

  it("answers PGRST100 for bad syntax and PGRST123 for aggregates", () => {
    for (const bad of ["id,", "a(", "a!(b)", "x::", "a:b:c", "a::te;xt"]) {
      expect(() => parseSelect(bad), bad).toThrow(RestError);
      try {
        parseSelect(bad);
      } catch (e) {
        expect((e as RestError).code).toBe("PGRST100");
        expect((e as RestError).message).toBe(`failed to parse select parameter (${bad})`);
      }
    }
    expect(() => parseSelect("count()")).toThrow("Use of aggregate functions is not allowed");
    expect(() => parseSelect("amount.sum()")).toThrow("Use of aggregate functions is not allowed");
  });
});

describe("parseFilterValue", () => {
  it("parses every operator form postgrest-js emits", () => {
    expect(parseFilterValue("eq.5")).toEqual({
      kind: "simple",
      negate: false,
      op: "eq",
      value: "5",
    });
    expect(parseFilterValue("not.ilike.*a.b*")).toEqual({
      kind: "simple",
      negate: true,
      op: "ilike",
      value: "*a.b*",
    });
    expect(parseFilterValue("is.NULL")).toEqual({
      kind: "is",
      negate: false,
      op: "is",
      value: "null",
    });
    expect(parseFilterValue('in.(1,"a,b",c)')).toEqual({
      kind: "in",
      negate: false,
      op: "in",
      value: ["1", "a,b", "c"],
    });
    expect(parseFilterValue("in.()")).toEqual({ kind: "in", negate: false, op: "in", value: [] });
    expect(parseFilterValue("like(any).{a*,*b}")).toEqual({
      kind: "quant",
      negate: false,
      op: "like",
      quant: "any",
      value: ["a*", "*b"],
    });
    expect(parseFilterValue("wfts(english).fat & cat")).toEqual({
      kind: "fts",
      negate: false,
      op: "wfts",
      config: "english",
      value: "fat & cat",
    });
    expect(parseFilterValue('cs.{"a":1}')).toEqual({
      kind: "simple",
      negate: false,
      op: "cs",
      value: '{"a":1}',
    });
  });

  it("answers PGRST100 for unknown operators and bad values", () => {
    for (const bad of ["zz.1", "eq", "is.maybe", "in.(1,2", "eq(some).{1}", "fts(x"]) {
      expect(() => parseFilterValue(bad), bad).toThrow(/failed to parse filter/);
    }
  });

  it("round-trips in-lists encoded the way postgrest-js encodes them", () => {
    const value = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", "(", ")", ".", "*", "1") });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (values) => {
        // `in.()` is the empty list, so a lone empty string cannot be written.
        fc.pre(!(values.length === 1 && values[0] === ""));
        const encoded = values.map((s) => (/[,()]/.test(s) ? `"${s}"` : s)).join(",");
        const parsed = parseFilterValue(`in.(${encoded})`);
        expect(parsed).toEqual({ kind: "in", negate: false, op: "in", value: values });
      }),
    );
  });
});

type Tree = { op: "and" | "or"; negate: boolean; children: Array<Tree | Leaf> };
type Leaf = { col: string; op: "eq" | "gt" | "is"; value: string; negate: boolean };

const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
const leaf: fc.Arbitrary<Leaf> = fc.record({
  col: ident,
  op: fc.constantFrom("eq" as const, "gt" as const, "is" as const),
  value: fc.stringMatching(/^[a-z0-9 ,.()*]{0,8}$/),
  negate: fc.boolean(),
});
const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.record({
    op: fc.constantFrom("and" as const, "or" as const),
    negate: fc.boolean(),
    children: fc.array(fc.oneof({ depthSize: "small" }, leaf, tie("t")), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
})).t;

function encodeLeaf(l: Leaf): string {
  const value = l.op === "is" ? "null" : `"${l.value}"`;
  return `${l.col}.${l.negate ? "not." : ""}${l.op}.${value}`;
}
function encodeChildren(t: Tree): string {
  return `(${t.children.map((c) => ("col" in c ? encodeLeaf(c) : `${c.negate ? "not." : ""}${c.op}${encodeChildren(c)}`)).join(",")})`;
}
function expected(t: Tree): FilterTree {
  return {
    kind: "logic",
    op: t.op,
    negate: t.negate,
    children: t.children.map((c) =>
      "col" in c
        ? {
            kind: "cond",
            field: { name: c.col, json: [] },
            expr:
              c.op === "is"
                ? { kind: "is", negate: c.negate, op: "is", value: "null" }
                : { kind: "simple", negate: c.negate, op: c.op, value: c.value },
          }
        : expected(c),
    ),
  };
}

describe("parseLogic", () => {
  it("parses nested and/or with not and quoted values", () => {
    expect(
      parseLogic("or", false, '(a.eq.1,and(b.gt.2,c.not.is.null),d.in.(1,2),e.eq."x,y")'),
    ).toEqual({
      kind: "logic",
      op: "or",
      negate: false,
      children: [
        {
          kind: "cond",
          field: { name: "a", json: [] },
          expr: { kind: "simple", negate: false, op: "eq", value: "1" },
        },
        {
          kind: "logic",
          op: "and",
          negate: false,
          children: [
            {
              kind: "cond",
              field: { name: "b", json: [] },
              expr: { kind: "simple", negate: false, op: "gt", value: "2" },
            },
            {
              kind: "cond",
              field: { name: "c", json: [] },
              expr: { kind: "is", negate: true, op: "is", value: "null" },
            },
          ],
        },
        {
          kind: "cond",
          field: { name: "d", json: [] },
          expr: { kind: "in", negate: false, op: "in", value: ["1", "2"] },
        },
        {
          kind: "cond",
          field: { name: "e", json: [] },
          expr: { kind: "simple", negate: false, op: "eq", value: "x,y" },
        },
      ],
    });
  });

  it("round-trips generated logic trees", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(parseLogic(t.op, t.negate, encodeChildren(t))).toEqual(expected(t));
      }),
    );
  });

  it("answers PGRST100 for unbalanced trees", () => {
    for (const bad of ["(a.eq.1", "a.eq.1", "(and(a.eq.1)", "(a.eq.1))", "()"]) {
      expect(() => parseLogic("or", false, bad), bad).toThrow(/failed to parse logic tree/);
    }
  });
});

describe("parseOrder", () => {
  it("parses directions, nulls and related orders", () => {
    expect(parseOrder("a.desc.nullsfirst,b,data->>k.asc,author(name).desc.nullslast")).toEqual([
      { field: { name: "a", json: [] }, direction: "desc", nulls: "first" },
      { field: { name: "b", json: [] } },
      { field: { name: "data", json: [{ op: "->>", key: "k" }] }, direction: "asc" },
      { field: { name: "name", json: [] }, relation: "author", direction: "desc", nulls: "last" },
    ]);
  });

  it("round-trips generated terms", () => {
    const term = fc.record({
      col: ident,
      dir: fc.constantFrom(undefined, "asc" as const, "desc" as const),
      nulls: fc.constantFrom(undefined, "first" as const, "last" as const),
    });
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 5 }), (terms) => {
        const raw = terms
          .map((t) => `${t.col}${t.dir ? `.${t.dir}` : ""}${t.nulls ? `.nulls${t.nulls}` : ""}`)
          .join(",");
        expect(parseOrder(raw)).toEqual(
          terms.map((t) => ({
            field: { name: t.col, json: [] },
            ...(t.dir ? { direction: t.dir } : {}),
            ...(t.nulls ? { nulls: t.nulls } : {}),
          })),
        );
      }),
    );
  });
});

describe("arbitrary input", () => {
  it("fails only with PostgREST errors", () => {
    const only400 = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(RestError);
        expect((e as RestError).status).toBe(400);
      }
    };
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        only400(() => parseSelect(s));
        only400(() => parseFilterValue(s));
        only400(() => parseOrder(s));
        only400(() => parseLogic("or", false, s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("select round trip", () => {
  const field = fc.record({ name: ident, alias: fc.option(ident, { nil: undefined }) });
  const items: fc.Arbitrary<SelectItem[]> = fc.letrec<{ items: SelectItem[] }>((tie) => ({
    items: fc.array(
      fc.oneof(
        { depthSize: "small" },
        field.map(
          (f): SelectItem => ({
            kind: "field",
            name: f.name,
            json: [],
            ...(f.alias ? { alias: f.alias } : {}),
          }),
        ),
        fc
          .record({
            name: ident,
            alias: fc.option(ident, { nil: undefined }),
            hint: fc.option(
              ident.filter((h) => h !== "inner" && h !== "left"),
              { nil: undefined },
            ),
            inner: fc.boolean(),
            children: tie("items"),
          })
          .map(
            (e): SelectItem => ({
              kind: "embed",
              name: e.name,
              inner: e.inner,
              spread: false,
              children: e.children,
              ...(e.alias ? { alias: e.alias } : {}),
              ...(e.hint ? { hint: e.hint } : {}),
            }),
          ),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  })).items;

  const encode = (list: SelectItem[]): string =>
    list
      .map((i) => {
        if (i.kind === "star") return "*";
        const prefix = i.alias ? `${i.alias}:` : "";
        if (i.kind === "field") return `${prefix}${i.name}`;
        return `${prefix}${i.name}${i.hint ? `!${i.hint}` : ""}${i.inner ? "!inner" : ""}(${encode(i.children)})`;
      })
      .join(",");

  it("parses what it serialises", () => {
    fc.assert(
      fc.property(items, (list) => {
        const s = encode(list);
        // `count()` is the aggregate form and `count` is never an embed (PostgREST reserves it);
        // generated names may collide with it.
        fc.pre(!/(^|[,(:])count[(!]/.test(s));
        expect(parseSelect(s)).toEqual(list);
      }),
    );
  });
});

describe("parsePrefer", () => {
  it("reads comma-joined and repeated values, ignoring unknown ones", () => {
    expect(
      parsePrefer(["count=exact, missing=default, return=representation", "tx=rollback, foo=bar"]),
    ).toEqual({
      count: "exact",
      missing: "default",
      return: "representation",
      tx: "rollback",
      applied: ["count=exact", "missing=default", "return=representation", "tx=rollback"],
    });
    expect(
      parsePrefer("handling=strict, max-affected=5, resolution=merge-duplicates"),
    ).toMatchObject({
      handling: "strict",
      maxAffected: 5,
      resolution: "merge-duplicates",
    });
    expect(parsePrefer(undefined)).toEqual({ applied: [] });
  });

  it("never throws", () => {
    fc.assert(fc.property(fc.string(), (s) => void parsePrefer(s)));
  });

  it("renders Preference-Applied per request kind, in PostgREST's order", () => {
    const p = parsePrefer(
      "return=representation, count=exact, missing=default, resolution=merge-duplicates, tx=rollback",
    );
    expect(preferenceApplied(p, "insert", true)).toBe(
      "resolution=merge-duplicates, missing=default, return=representation, count=exact, tx=rollback",
    );
    expect(preferenceApplied(p, "insert", false)).toBe(
      "missing=default, return=representation, count=exact, tx=rollback",
    );
    expect(preferenceApplied(p, "delete")).toBe("return=representation, count=exact, tx=rollback");
    expect(preferenceApplied(p, "read")).toBe("count=exact, tx=rollback");
    expect(preferenceApplied(parsePrefer("handling=strict, max-affected=3"), "update")).toBe(
      "handling=strict, max-affected=3",
    );
    expect(preferenceApplied(parsePrefer(undefined), "read")).toBeUndefined();
  });
});

describe("parseQuery", () => {
  it("sorts parameters by embedding path", () => {
    const url = new URL(
      "http://x/t?select=id,c(id)&c.order=id.desc&c.limit=2&c.offset=1&id=gt.1&c.or=(id.eq.1)&not.and=(id.eq.2)&columns=%22a%22,%22b%22&on_conflict=a&limit=5&offset=10",
    );
    const q = parseQuery(url);
    expect(q.columns).toEqual(["a", "b"]);
    expect(q.onConflict).toEqual(["a"]);
    expect(q.limit).toEqual(
      new Map([
        ["c", 2],
        ["", 5],
      ]),
    );
    expect(q.offset).toEqual(
      new Map([
        ["c", 1],
        ["", 10],
      ]),
    );
    expect(q.order.get("c")).toEqual([{ field: { name: "id", json: [] }, direction: "desc" }]);
    expect(q.filters.get("")?.map((f) => f.kind)).toEqual(["cond", "logic"]);
    expect(q.filters.get("")?.[1]).toMatchObject({ kind: "logic", op: "and", negate: true });
    expect(q.filters.get("c")?.[0]).toMatchObject({ kind: "logic", op: "or" });
  });

  it("keeps RPC arguments apart from filters", () => {
    const q = parseQuery(
      new URL("http://x/rpc/f?a=1&b={1,2}&c=eq.3"),
      (k) => k === "a" || k === "b",
    );
    expect([...q.rpcArgs]).toEqual([
      ["a", "1"],
      ["b", "{1,2}"],
    ]);
    expect(q.filters.get("")).toHaveLength(1);
  });

  it("rejects a non-numeric limit with PGRST100", () => {
    expect(() => parseQuery(new URL("http://x/t?limit=ten"))).toThrow(
      /failed to parse limit parameter/,
    );
  });
});
