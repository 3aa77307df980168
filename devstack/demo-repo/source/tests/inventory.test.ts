import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/db/store.js";
import { OutOfStockError } from "../src/http/errors.js";
import { reserveStock, restock } from "../src/inventory/inventory.js";

const line = (sku: string, quantity: number) => ({
  productId: sku,
  sku,
  title: sku,
  unitPriceCents: 100,
  quantity,
});

describe("reserveStock", () => {
  it("takes stock for every line", async () => {
    const store = new MemoryStore();
    await store.setStockLevel("A", 5);
    await store.setStockLevel("B", 2);
    await reserveStock(store, [line("A", 2), line("B", 2)]);
    expect((await store.getStockLevel("A"))?.available).toBe(3);
    expect((await store.getStockLevel("B"))?.available).toBe(0);
  });

  it("puts back what it took when a later line is short", async () => {
    const store = new MemoryStore();
    await store.setStockLevel("A", 5);
    await store.setStockLevel("B", 1);
    await expect(reserveStock(store, [line("A", 2), line("B", 2)])).rejects.toBeInstanceOf(
      OutOfStockError,
    );
    expect((await store.getStockLevel("A"))?.available).toBe(5);
  });
});

describe("restock", () => {
  it("reports coming back in stock only from zero", async () => {
    const store = new MemoryStore();
    await store.setStockLevel("A", 0);
    expect(await restock(store, "A", 3)).toEqual({ available: 3, backInStock: true });
    expect(await restock(store, "A", 3)).toEqual({ available: 6, backInStock: false });
  });
});
