import { describe, expect, it } from "vitest";
import type { Product } from "../src/db/types.js";
import { searchTerms } from "../src/search/normalize.js";
import { ProductSearch } from "../src/search/search.js";

const product = (id: string, title: string, extra: Partial<Product> = {}): Product => ({
  id,
  sku: id.toUpperCase(),
  merchantId: "acme",
  title,
  description: "",
  priceCents: 1000,
  category: "kitchen",
  tags: [],
  weightGrams: 100,
  active: true,
  ...extra,
});

describe("searchTerms", () => {
  it("lower-cases, splits and folds plurals", () => {
    expect(searchTerms("Stoneware MUGS, set of 4")).toEqual(["stoneware", "mug", "set", "4"]);
  });
});

describe("ProductSearch", () => {
  const search = new ProductSearch();
  search.add(product("p1", "Brass Camping Lantern", { tags: ["light"] }));
  search.add(product("p2", "Stoneware Mug"));
  search.add(product("p3", "Lantern Hook", { category: "outdoor", priceCents: 500 }));

  it("requires every word", () => {
    expect(search.query("brass lantern").map((h) => h.product.id)).toEqual(["p1"]);
  });

  it("matches prefixes while typing", () => {
    expect(search.query("lant").map((h) => h.product.id).sort()).toEqual(["p1", "p3"]);
  });

  it("ranks title matches above tag matches", () => {
    search.add(product("p4", "Desk Lamp", { tags: ["lantern"] }));
    expect(search.query("lantern")[0]?.product.id).not.toBe("p4");
  });
});
