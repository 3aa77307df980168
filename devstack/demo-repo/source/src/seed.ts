import { randomUUID } from "node:crypto";
import type { MemoryStore } from "./db/store.js";
import type { Product } from "./db/types.js";

const DEMO_PRODUCTS: Omit<Product, "id" | "active">[] = [
  { sku: "LNT-200", merchantId: "acme", title: "Brass Camping Lantern", description: "Rechargeable, 300 lumens, warm light.", priceCents: 4999, category: "outdoor", tags: ["camping", "light"], weightGrams: 850 },
  { sku: "MUG-011", merchantId: "acme", title: "Stoneware Mug", description: "Hand-glazed, 350 ml.", priceCents: 1800, category: "kitchen", tags: ["coffee", "tea"], weightGrams: 420 },
  { sku: "TRC-330", merchantId: "acme", title: "Crème Brûlée Torch", description: "Refillable kitchen torch for caramelising sugar.", priceCents: 2650, category: "kitchen", tags: ["dessert", "baking"], weightGrams: 300 },
  { sku: "JAM-120", merchantId: "fig-and-thistle", title: "Fig & Thistle Jam", description: "Small-batch fig jam, 250 g.", priceCents: 349, category: "pantry", tags: ["jam", "breakfast"], weightGrams: 320 },
  { sku: "CFE-500", merchantId: "fig-and-thistle", title: "Café de Olla Blend", description: "Whole-bean coffee with cinnamon and piloncillo.", priceCents: 1699, category: "pantry", tags: ["coffee"], weightGrams: 500 },
  { sku: "BLN-900", merchantId: "acme", title: "Glass Jar Blender", description: "900 W, six speeds, 1.5 l glass jar.", priceCents: 8900, category: "kitchen", tags: ["smoothie", "appliance"], weightGrams: 4200 },
  { sku: "TWL-044", merchantId: "northwind-linen", title: "Linen Tea Towel, Set of 2", description: "Stonewashed European linen.", priceCents: 2400, category: "home", tags: ["kitchen", "linen"], weightGrams: 200 },
  { sku: "SLP-210", merchantId: "northwind-linen", title: "Piñata Party Slippers", description: "Felted wool, non-slip soles.", priceCents: 3900, category: "apparel", tags: ["gift"], weightGrams: 350 },
];

/** The demo catalog, stock and codes the local server starts with. */
export async function seedDemoCatalog(store: MemoryStore): Promise<void> {
  for (const p of DEMO_PRODUCTS) {
    await store.saveProduct({ ...p, id: randomUUID(), active: true });
    await store.setStockLevel(p.sku, p.sku === "LNT-200" ? 1 : 25);
  }
  const start = new Date("2024-01-01T00:00:00Z");
  store.seedDiscount({ code: "SPRING20", kind: "percent", value: 20, minimumSubtotalCents: 0, categories: [], startsAt: start, timesUsed: 0 });
  store.seedDiscount({ code: "BULK15", kind: "percent", value: 15, minimumSubtotalCents: 5000, categories: ["pantry"], startsAt: start, timesUsed: 0 });
  store.seedDiscount({ code: "WELCOME10", kind: "fixed", value: 1000, minimumSubtotalCents: 4000, categories: [], startsAt: start, usageLimit: 1, timesUsed: 0 });
  store.seedDiscount({ code: "SHIPFREE", kind: "free_shipping", value: 0, minimumSubtotalCents: 0, categories: [], startsAt: start, timesUsed: 0 });
}
