import { describe, expect, it } from "vitest";
import { Router } from "@/devstack/sandboxes/router";

const h = () => ({ status: 200 });

describe("sandbox router", () => {
  const r = new Router()
    .add("GET", "/repos/:owner/:repo/contents/*", h)
    .add("GET", "/repos/:owner/:repo", h)
    .add("POST", "/x.json", h);

  it("matches segments, a trailing wildcard, and decodes params", () => {
    const m = r.match("GET", "/repos/acme/store%20front/contents/src/a%2Fb.ts");
    expect(m.handler).toBeDefined();
    expect("params" in m && m.params).toEqual(["acme", "store front", "src/a/b.ts"]);
  });

  it("tells a wrong method (405) from a missing path (404), and escapes dots", () => {
    expect(r.match("DELETE", "/repos/a/b")).toEqual({ pathExists: true });
    expect(r.match("GET", "/nope")).toEqual({ pathExists: false });
    expect(r.match("POST", "/xxjson")).toEqual({ pathExists: false });
    expect(r.match("HEAD", "/repos/a/b").handler).toBeDefined();
  });
});
