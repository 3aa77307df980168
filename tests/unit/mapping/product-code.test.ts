import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { peripheralFiles } from "@/lib/pipeline/mapping/product-code";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";

/** Product code first: general rules on generated trees, and their effect on the ranking. */

const file = (path: string, text: string): SourceFile => {
  const bytes = new TextEncoder().encode(text);
  return { path, size: bytes.length, read: () => bytes };
};

describe("peripheralFiles", () => {
  const sources = [
    "src/app/cache.py",
    "src/app/_bundled/lrulib/core.py",
    "src/app/_bundled/other/core.py",
    "packages/ui/src/button.ts",
    "packages/core/src/store.ts",
    "scripts/release.ts",
    "tools/gen/main.go",
    "lib/tools/format.go",
    "setup.py",
    "build.rs",
    "vite.config.ts",
    "index.d.ts",
    "index.js",
    "types/only.d.ts",
    "internal/hack/run.go",
  ];
  const others = [
    "package.json",
    "LICENSE",
    "src/app/_bundled/lrulib/setup.py",
    "src/app/_bundled/other/LICENSE.txt",
    "packages/ui/package.json",
    "packages/ui/LICENSE",
    "packages/core/package.json",
  ];
  const roles = peripheralFiles(sources, others);

  it("finds a library bundled inside the product by its own manifest or licence", () => {
    expect(roles.get("src/app/_bundled/lrulib/core.py")).toMatchObject({
      role: "bundled",
      names: ["lrulib"],
    });
    expect(roles.get("src/app/_bundled/other/core.py")?.role).toBe("bundled");
    // A monorepo's packages have their own manifests and licences but are the product.
    expect(roles.has("packages/ui/src/button.ts")).toBe(false);
    expect(roles.has("packages/core/src/store.ts")).toBe(false);
    expect(roles.has("src/app/cache.py")).toBe(false);
  });

  it("finds tooling folders, build scripts and declarations beside their implementation", () => {
    expect(roles.get("scripts/release.ts")?.role).toBe("tooling");
    expect(roles.get("tools/gen/main.go")).toMatchObject({ role: "tooling", names: ["gen"] });
    expect(roles.get("internal/hack/run.go")?.role).toBe("tooling");
    // `tools` deeper than the root may be the product's own package.
    expect(roles.has("lib/tools/format.go")).toBe(false);
    for (const p of ["setup.py", "build.rs", "vite.config.ts"])
      expect(roles.get(p)?.role).toBe("build-script");
    expect(roles.get("index.d.ts")).toMatchObject({ role: "declarations", where: "index.js" });
    // Declarations without an implementation beside them are where typing bugs are fixed.
    expect(roles.has("types/only.d.ts")).toBe(false);
  });
});

describe("product code first in the ranking", () => {
  const parse = `def parse_duration(text):
    """Parse a duration such as 1h30m into seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    return sum(int(n) * units[u] for n, u in split_units(text))
`;

  async function search(): Promise<SearchIndex> {
    const index = await buildIndex(
      [
        file("timeparse/_vendor/timelib/duration.py", parse),
        file("timeparse/_vendor/timelib/LICENSE", "MIT License, Copyright (c) Someone Else"),
        file("timeparse/convert.py", parse.replace("parse_duration", "parse_duration_text")),
      ],
      { repo: "acme/timeparse" },
    );
    return new SearchIndex([index]);
  }

  it("ranks the product's own file above a bundled copy with the same words", async () => {
    const s = await search();
    const report = { title: "parse a duration such as 1h30m gives wrong seconds", description: "" };
    expect(mapBug(s, report).files[0]?.path).toBe("timeparse/convert.py");
    const off = mapBug(s, report, { rules: { productFirst: false } });
    expect(off.files[0]?.path).toBe("timeparse/_vendor/timelib/duration.py");
    const explained = mapBug(s, report).files.find((f) => f.path.includes("_vendor"));
    expect(explained?.explanation.map((e) => e.detail).join(" ")).toContain(
      "bundled in timeparse/_vendor/timelib/",
    );
  });

  it("lets the report point at the bundled file by its path", async () => {
    const s = await search();
    const report = {
      title: "parse a duration such as 1h30m gives wrong seconds",
      description: "It happens in `timeparse/_vendor/timelib/duration.py`.",
    };
    expect(mapBug(s, report).files[0]?.path).toBe("timeparse/_vendor/timelib/duration.py");
  });

  it("lets the report point at the bundled library by its name", async () => {
    const s = await search();
    const report = {
      title: "timelib: parse a duration such as 1h30m gives wrong seconds",
      description: "",
    };
    expect(mapBug(s, report).files[0]?.path).toBe("timeparse/_vendor/timelib/duration.py");
  });
});
