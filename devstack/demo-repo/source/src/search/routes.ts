import type { Router } from "../http/router.js";
import { ValidationError } from "../http/errors.js";
import type { ProductSearch } from "./search.js";

export function searchRoutes(router: Router, search: () => ProductSearch): void {
  /** GET /search?q=lantern&limit=10: what the search box and the results page call. */
  router.on("GET", "/search", async ({ query }) => {
    const q = (query.get("q") ?? "").trim();
    if (q.length > 200) throw new ValidationError("Search text is too long");
    const limit = Math.min(Number(query.get("limit") ?? 20) || 20, 50);
    const hits = search().query(q, limit);
    return {
      query: q,
      results: hits.map((hit) => ({
        id: hit.product.id,
        title: hit.product.title,
        priceCents: hit.product.priceCents,
        category: hit.product.category,
        highlights: hit.highlights,
      })),
    };
  });
}
