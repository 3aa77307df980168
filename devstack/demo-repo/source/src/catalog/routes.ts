import type { Store } from "../db/store.js";
import type { Router } from "../http/router.js";
import { availabilityLabel } from "../inventory/inventory.js";
import { getActiveProduct, listCategory } from "./products.js";

export function catalogRoutes(router: Router, store: Store): void {
  router.on("GET", "/products/:id", async ({ params }) => {
    const product = await getActiveProduct(store, params.id!);
    const level = await store.getStockLevel(product.sku);
    return { product, availability: availabilityLabel(level?.available ?? 0) };
  });

  router.on("GET", "/categories/:category", async ({ params }) => {
    return { products: await listCategory(store, params.category!) };
  });
}
