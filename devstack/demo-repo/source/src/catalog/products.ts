import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Store } from "../db/store.js";
import type { Product } from "../db/types.js";
import { NotFoundError, ValidationError } from "../http/errors.js";

export const productInput = z.object({
  sku: z.string().regex(/^[A-Z0-9-]{3,32}$/, "SKUs are 3–32 upper-case letters, digits or dashes"),
  merchantId: z.string().min(1),
  title: z.string().min(1).max(200),
  description: z.string().max(5000).default(""),
  priceCents: z.number().int().positive(),
  category: z.string().min(1),
  tags: z.array(z.string()).default([]),
  weightGrams: z.number().int().nonnegative().default(0),
});
export type ProductInput = z.infer<typeof productInput>;

/** Create a product; SKUs are unique across the platform. */
export async function createProduct(store: Store, input: ProductInput): Promise<Product> {
  if (await store.getProductBySku(input.sku)) {
    throw new ValidationError(`SKU ${input.sku} is already in use`);
  }
  const product: Product = { id: randomUUID(), active: true, ...input };
  await store.saveProduct(product);
  return product;
}

export async function getActiveProduct(store: Store, id: string): Promise<Product> {
  const product = await store.getProduct(id);
  if (!product || !product.active) throw new NotFoundError("Product");
  return product;
}

/** Products of a category, cheapest first, for the category pages. */
export async function listCategory(store: Store, category: string): Promise<Product[]> {
  const products = await store.listProducts({ category });
  return products.filter((p) => p.active).sort((a, b) => a.priceCents - b.priceCents);
}

/** Merchants retire products rather than deleting them: past orders still point at them. */
export async function retireProduct(store: Store, id: string): Promise<void> {
  const product = await store.getProduct(id);
  if (!product) throw new NotFoundError("Product");
  await store.saveProduct({ ...product, active: false });
}
