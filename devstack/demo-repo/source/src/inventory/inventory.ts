import type { Store } from "../db/store.js";
import type { CartLine } from "../db/types.js";
import { NotFoundError, OutOfStockError, ValidationError } from "../http/errors.js";

export interface Reservation {
  sku: string;
  quantity: number;
}

/**
 * Take stock for an order's lines. All or nothing: if any line cannot be served, the lines
 * already taken are put back before the error is thrown.
 */
export async function reserveStock(store: Store, lines: CartLine[]): Promise<Reservation[]> {
  const taken: Reservation[] = [];
  try {
    for (const line of lines) {
      const level = await store.getStockLevel(line.sku);
      if (!level) throw new NotFoundError(`Stock for ${line.sku}`);
      if (level.available < line.quantity) {
        throw new OutOfStockError(line.sku, level.available);
      }
      await store.setStockLevel(line.sku, level.available - line.quantity);
      taken.push({ sku: line.sku, quantity: line.quantity });
    }
    return taken;
  } catch (error) {
    await releaseStock(store, taken);
    throw error;
  }
}

/** Put reserved stock back (a failed payment, a cancelled order). */
export async function releaseStock(store: Store, reservations: Reservation[]): Promise<void> {
  for (const r of reservations) {
    await store.adjustStock(r.sku, r.quantity);
  }
}

/**
 * A merchant's delivery arrived. Returns the new level and whether the product just came back
 * in stock (so back-in-stock emails go out once, not on every restock).
 */
export async function restock(
  store: Store,
  sku: string,
  quantity: number,
): Promise<{ available: number; backInStock: boolean }> {
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new ValidationError("Restock quantity must be a positive whole number");
  }
  const before = await store.getStockLevel(sku);
  const after = await store.adjustStock(sku, quantity);
  if (!after) throw new NotFoundError(`Stock for ${sku}`);
  return { available: after.available, backInStock: (before?.available ?? 0) === 0 };
}

/** What the product page shows: exact counts only when few are left. */
export function availabilityLabel(available: number): string {
  if (available <= 0) return "Out of stock";
  if (available < 5) return `Only ${available} left`;
  return "In stock";
}
