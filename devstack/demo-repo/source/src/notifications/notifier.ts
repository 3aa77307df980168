import type { Store } from "../db/store.js";
import type { Order } from "../db/types.js";
import type { Mailer } from "./mailer.js";
import { backInStock, orderConfirmation, orderShipped } from "./templates.js";

/** The emails the storefront sends to shoppers, one method per moment that triggers one. */
export class Notifier {
  constructor(
    private readonly store: Store,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  async orderPlaced(order: Order): Promise<void> {
    const customer = await this.store.getCustomer(order.customerId);
    if (!customer) return;
    const message = orderConfirmation(order, customer.name);
    await this.mailer.send({ to: customer.email, tag: "order-confirmation", ...message });
  }

  async orderShipped(order: Order, trackingUrl: string): Promise<void> {
    const customer = await this.store.getCustomer(order.customerId);
    if (!customer) return;
    const message = orderShipped(order, customer.name, trackingUrl);
    await this.mailer.send({ to: customer.email, tag: "order-shipped", ...message });
  }

  /**
   * Tell everyone waiting for a SKU that it is available again, once: the subscriptions are
   * taken (removed) as they are read, so a second restock sends nothing.
   */
  async backInStock(sku: string): Promise<number> {
    const product = await this.store.getProductBySku(sku);
    if (!product || !product.active) return 0;
    const waiting = await this.store.takeStockSubscriptions(sku);
    const message = backInStock(product, `${this.publicUrl}/products/${product.id}`);
    const results = await Promise.allSettled(
      waiting.map((sub) => this.mailer.send({ to: sub.email, tag: "back-in-stock", ...message })),
    );
    return results.filter((r) => r.status === "fulfilled").length;
  }
}
