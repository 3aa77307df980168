import { randomUUID } from "node:crypto";
import type { Store } from "../db/store.js";
import type { Cart, Product } from "../db/types.js";
import { NotFoundError, ValidationError } from "../http/errors.js";

export const MAX_QUANTITY_PER_LINE = 99;

export function emptyCart(customerId?: string): Cart {
  return { id: randomUUID(), customerId, lines: [], currency: "USD", updatedAt: new Date() };
}

export async function loadCart(store: Store, id: string): Promise<Cart> {
  const cart = await store.getCart(id);
  if (!cart) throw new NotFoundError("Cart");
  return cart;
}

/**
 * Add a product, or more of it. The price is captured when the line is created; a later price
 * change shows up at checkout, which re-prices every line (see `repriceCart`).
 */
export function addToCart(cart: Cart, product: Product, quantity: number): Cart {
  checkQuantity(quantity);
  if (cart.merchantId && cart.merchantId !== product.merchantId) {
    throw new ValidationError("Your cart holds items from another shop; check those out first");
  }
  cart.merchantId ??= product.merchantId;
  const existing = cart.lines.find((l) => l.productId === product.id);
  if (existing) {
    checkQuantity(existing.quantity + quantity);
    existing.quantity += quantity;
  } else {
    cart.lines.push({
      productId: product.id,
      sku: product.sku,
      title: product.title,
      unitPriceCents: product.priceCents,
      quantity,
    });
  }
  cart.updatedAt = new Date();
  return cart;
}

/** Set a line's quantity; zero removes the line. */
export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  const index = cart.lines.findIndex((l) => l.productId === productId);
  if (index < 0) throw new NotFoundError("Cart line");
  if (quantity === 0) {
    cart.lines.splice(index, 1);
  } else {
    checkQuantity(quantity);
    cart.lines[index]!.quantity = quantity;
  }
  cart.updatedAt = new Date();
  return cart;
}

/**
 * Bring every line to the catalog's current price and drop retired products. Returns the titles
 * whose price changed or that were removed, so checkout can tell the shopper before charging.
 */
export async function repriceCart(store: Store, cart: Cart): Promise<{ changed: string[] }> {
  const changed: string[] = [];
  const kept = [];
  for (const line of cart.lines) {
    const product = await store.getProduct(line.productId);
    if (!product || !product.active) {
      changed.push(line.title);
      continue;
    }
    if (product.priceCents !== line.unitPriceCents) {
      changed.push(line.title);
      line.unitPriceCents = product.priceCents;
    }
    kept.push(line);
  }
  cart.lines = kept;
  return { changed };
}

/** A guest's cart joins the shopper's own cart when they sign in. */
export function mergeCarts(into: Cart, from: Cart): Cart {
  if (into.merchantId && from.merchantId && into.merchantId !== from.merchantId) return into;
  into.merchantId ??= from.merchantId;
  for (const line of from.lines) {
    const existing = into.lines.find((l) => l.productId === line.productId);
    if (existing) {
      existing.quantity = Math.min(existing.quantity + line.quantity, MAX_QUANTITY_PER_LINE);
    } else {
      into.lines.push({ ...line });
    }
  }
  into.discountCode ??= from.discountCode;
  into.updatedAt = new Date();
  return into;
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY_PER_LINE) {
    throw new ValidationError(`Quantity must be between 1 and ${MAX_QUANTITY_PER_LINE}`);
  }
}
