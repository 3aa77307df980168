import { describe, expect, it } from "vitest";
import { addToCart, emptyCart, mergeCarts, setQuantity } from "../src/cart/cart.js";
import type { Product } from "../src/db/types.js";
import { ValidationError } from "../src/http/errors.js";

const product = (id: string, merchantId = "acme", priceCents = 1000): Product => ({
  id,
  sku: id.toUpperCase(),
  merchantId,
  title: id,
  description: "",
  priceCents,
  category: "kitchen",
  tags: [],
  weightGrams: 100,
  active: true,
});

describe("cart", () => {
  it("adds to an existing line instead of duplicating it", () => {
    const cart = emptyCart();
    addToCart(cart, product("mug"), 1);
    addToCart(cart, product("mug"), 2);
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]?.quantity).toBe(3);
  });

  it("keeps one shop per cart", () => {
    const cart = emptyCart();
    addToCart(cart, product("mug", "acme"), 1);
    expect(() => addToCart(cart, product("jam", "fig-and-thistle"), 1)).toThrow(ValidationError);
  });

  it("removes a line when its quantity is set to zero", () => {
    const cart = addToCart(emptyCart(), product("mug"), 2);
    setQuantity(cart, "mug", 0);
    expect(cart.lines).toEqual([]);
  });

  it("rejects quantities outside 1–99", () => {
    expect(() => addToCart(emptyCart(), product("mug"), 100)).toThrow(ValidationError);
    expect(() => addToCart(emptyCart(), product("mug"), 0)).toThrow(ValidationError);
  });

  it("merges a guest cart into the shopper's cart, capping quantities", () => {
    const mine = addToCart(emptyCart("c1"), product("mug"), 98);
    const guest = addToCart(emptyCart(), product("mug"), 5);
    addToCart(guest, product("towel"), 1);
    mergeCarts(mine, guest);
    expect(mine.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ["mug", 99],
      ["towel", 1],
    ]);
  });
});
