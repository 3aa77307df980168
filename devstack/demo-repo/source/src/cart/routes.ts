import { z } from "zod";
import { getActiveProduct } from "../catalog/products.js";
import type { Store } from "../db/store.js";
import { readBody } from "../http/body.js";
import type { Router } from "../http/router.js";
import { redeemableDiscount } from "../pricing/discounts.js";
import { addToCart, emptyCart, loadCart, setQuantity } from "./cart.js";
import { priceCart } from "./cart-totals.js";

const addLine = z.object({ productId: z.string().min(1), quantity: z.number().int().default(1) });
const changeLine = z.object({ quantity: z.number().int().min(0) });
const discountBody = z.object({ code: z.string().min(1).max(40) });

export function cartRoutes(router: Router, store: Store): void {
  router.on("POST", "/carts", async ({ res, customerId }) => {
    const cart = emptyCart(customerId);
    await store.saveCart(cart);
    res.statusCode = 201;
    return { cart, totals: await priceCart(store, cart) };
  });

  router.on("GET", "/carts/:id", async ({ params }) => {
    const cart = await loadCart(store, params.id!);
    return { cart, totals: await priceCart(store, cart) };
  });

  router.on("POST", "/carts/:id/lines", async ({ req, params }) => {
    const body = await readBody(req, addLine);
    const cart = await loadCart(store, params.id!);
    const product = await getActiveProduct(store, body.productId);
    addToCart(cart, product, body.quantity);
    await store.saveCart(cart);
    return { cart, totals: await priceCart(store, cart) };
  });

  router.on("PATCH", "/carts/:id/lines/:productId", async ({ req, params }) => {
    const body = await readBody(req, changeLine);
    const cart = await loadCart(store, params.id!);
    setQuantity(cart, params.productId!, body.quantity);
    await store.saveCart(cart);
    return { cart, totals: await priceCart(store, cart) };
  });

  /** Apply a discount code; a code that cannot be used answers 422 with the reason. */
  router.on("POST", "/carts/:id/discount", async ({ req, params }) => {
    const { code } = await readBody(req, discountBody);
    const cart = await loadCart(store, params.id!);
    const subtotal = cart.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
    const discount = await redeemableDiscount(store, code, subtotal);
    cart.discountCode = discount.code;
    await store.saveCart(cart);
    return { cart, totals: await priceCart(store, cart) };
  });

  router.on("DELETE", "/carts/:id/discount", async ({ params }) => {
    const cart = await loadCart(store, params.id!);
    cart.discountCode = undefined;
    await store.saveCart(cart);
    return { cart, totals: await priceCart(store, cart) };
  });
}
