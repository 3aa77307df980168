import { z } from "zod";
import type { Store } from "../db/store.js";
import { readBody } from "../http/body.js";
import { NotFoundError } from "../http/errors.js";
import type { Router } from "../http/router.js";
import type { Notifier } from "../notifications/notifier.js";
import { availabilityLabel, restock } from "./inventory.js";

const restockBody = z.object({ quantity: z.number().int().positive() });
const notifyBody = z.object({ email: z.string().email() });

export function inventoryRoutes(router: Router, store: Store, notifier: Notifier): void {
  router.on("GET", "/stock/:sku", async ({ params }) => {
    const level = await store.getStockLevel(params.sku!);
    if (!level) throw new NotFoundError("Stock");
    return { sku: level.sku, label: availabilityLabel(level.available) };
  });

  /** Merchant console: a delivery arrived. Sends back-in-stock emails when it was sold out. */
  router.on("POST", "/stock/:sku/restock", async ({ req, params }) => {
    const { quantity } = await readBody(req, restockBody);
    const result = await restock(store, params.sku!, quantity);
    const notified = result.backInStock ? await notifier.backInStock(params.sku!) : 0;
    return { ...result, notified };
  });

  /** Product page: "Email me when it's back". */
  router.on("POST", "/stock/:sku/notify-me", async ({ req, res, params }) => {
    const { email } = await readBody(req, notifyBody);
    if (!(await store.getProductBySku(params.sku!))) throw new NotFoundError("Product");
    await store.addStockSubscription({ sku: params.sku!, email: email.toLowerCase(), createdAt: new Date() });
    res.statusCode = 202;
    return { ok: true };
  });
}
