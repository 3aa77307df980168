import type {
  Cart,
  Customer,
  DiscountCode,
  Order,
  Product,
  Session,
  StockLevel,
  StockSubscription,
} from "./types.js";

/**
 * Persistence boundary. The memory store backs development and tests; the Postgres store
 * implements the same interface in production. Every method is async because the real one is.
 */
export interface Store {
  getProduct(id: string): Promise<Product | undefined>;
  getProductBySku(sku: string): Promise<Product | undefined>;
  listProducts(filter?: { category?: string; merchantId?: string }): Promise<Product[]>;
  saveProduct(product: Product): Promise<void>;

  getStockLevel(sku: string): Promise<StockLevel | undefined>;
  setStockLevel(sku: string, available: number): Promise<void>;
  /** Atomically add `delta` (may be negative) unless the result would fall below zero. */
  adjustStock(sku: string, delta: number): Promise<StockLevel | undefined>;

  getCart(id: string): Promise<Cart | undefined>;
  saveCart(cart: Cart): Promise<void>;
  deleteCart(id: string): Promise<void>;

  getDiscountCode(code: string): Promise<DiscountCode | undefined>;
  incrementDiscountUsage(code: string): Promise<void>;

  nextOrderNumber(): Promise<number>;
  saveOrder(order: Order): Promise<void>;
  getOrder(id: string): Promise<Order | undefined>;
  listOrders(filter: { customerId?: string; merchantId?: string }): Promise<Order[]>;

  getCustomer(id: string): Promise<Customer | undefined>;
  getCustomerByEmail(email: string): Promise<Customer | undefined>;
  saveCustomer(customer: Customer): Promise<void>;

  getSession(id: string): Promise<Session | undefined>;
  saveSession(session: Session): Promise<void>;
  deleteSession(id: string): Promise<void>;

  addStockSubscription(sub: StockSubscription): Promise<void>;
  takeStockSubscriptions(sku: string): Promise<StockSubscription[]>;
}

/** Latency the memory store adds to every call in development, to behave like a network store. */
const DEV_LATENCY_MS = Number(process.env.STORE_LATENCY_MS ?? 0);

function tick<T>(value: T): Promise<T> {
  if (DEV_LATENCY_MS <= 0) return Promise.resolve(value);
  return new Promise((resolve) => setTimeout(() => resolve(value), DEV_LATENCY_MS));
}

/** In-memory implementation. Objects are copied in and out so callers cannot alias state. */
export class MemoryStore implements Store {
  private products = new Map<string, Product>();
  private stock = new Map<string, StockLevel>();
  private carts = new Map<string, Cart>();
  private discounts = new Map<string, DiscountCode>();
  private orders = new Map<string, Order>();
  private customers = new Map<string, Customer>();
  private sessions = new Map<string, Session>();
  private subscriptions: StockSubscription[] = [];
  private orderNumber = 1000;

  async getProduct(id: string) {
    return tick(copy(this.products.get(id)));
  }
  async getProductBySku(sku: string) {
    return tick(copy([...this.products.values()].find((p) => p.sku === sku)));
  }
  async listProducts(filter: { category?: string; merchantId?: string } = {}) {
    const all = [...this.products.values()].filter(
      (p) =>
        (!filter.category || p.category === filter.category) &&
        (!filter.merchantId || p.merchantId === filter.merchantId),
    );
    return tick(all.map((p) => ({ ...p })));
  }
  async saveProduct(product: Product) {
    this.products.set(product.id, { ...product });
    await tick(undefined);
  }

  async getStockLevel(sku: string) {
    return tick(copy(this.stock.get(sku)));
  }
  async setStockLevel(sku: string, available: number) {
    const current = this.stock.get(sku);
    this.stock.set(sku, { sku, available, reserved: current?.reserved ?? 0, updatedAt: new Date() });
    await tick(undefined);
  }
  async adjustStock(sku: string, delta: number) {
    const current = this.stock.get(sku) ?? { sku, available: 0, reserved: 0, updatedAt: new Date() };
    if (current.available + delta < 0) return tick(undefined);
    const next = { ...current, available: current.available + delta, updatedAt: new Date() };
    this.stock.set(sku, next);
    return tick({ ...next });
  }

  async getCart(id: string) {
    return tick(copy(this.carts.get(id)));
  }
  async saveCart(cart: Cart) {
    this.carts.set(cart.id, structuredClone(cart));
    await tick(undefined);
  }
  async deleteCart(id: string) {
    this.carts.delete(id);
    await tick(undefined);
  }

  async getDiscountCode(code: string) {
    return tick(copy(this.discounts.get(code.toUpperCase())));
  }
  async incrementDiscountUsage(code: string) {
    const d = this.discounts.get(code.toUpperCase());
    if (d) d.timesUsed += 1;
    await tick(undefined);
  }
  seedDiscount(code: DiscountCode) {
    this.discounts.set(code.code.toUpperCase(), { ...code });
  }

  async nextOrderNumber() {
    this.orderNumber += 1;
    return tick(this.orderNumber);
  }
  async saveOrder(order: Order) {
    this.orders.set(order.id, structuredClone(order));
    await tick(undefined);
  }
  async getOrder(id: string) {
    return tick(copy(this.orders.get(id)));
  }
  async listOrders(filter: { customerId?: string; merchantId?: string }) {
    const found = [...this.orders.values()].filter(
      (o) =>
        (!filter.customerId || o.customerId === filter.customerId) &&
        (!filter.merchantId || o.merchantId === filter.merchantId),
    );
    return tick(found.map((o) => structuredClone(o)));
  }

  async getCustomer(id: string) {
    return tick(copy(this.customers.get(id)));
  }
  async getCustomerByEmail(email: string) {
    const wanted = email.trim().toLowerCase();
    return tick(copy([...this.customers.values()].find((c) => c.email === wanted)));
  }
  async saveCustomer(customer: Customer) {
    this.customers.set(customer.id, { ...customer, email: customer.email.toLowerCase() });
    await tick(undefined);
  }

  async getSession(id: string) {
    return tick(copy(this.sessions.get(id)));
  }
  async saveSession(session: Session) {
    this.sessions.set(session.id, { ...session });
    await tick(undefined);
  }
  async deleteSession(id: string) {
    this.sessions.delete(id);
    await tick(undefined);
  }

  async addStockSubscription(sub: StockSubscription) {
    const exists = this.subscriptions.some((s) => s.sku === sub.sku && s.email === sub.email);
    if (!exists) this.subscriptions.push({ ...sub });
    await tick(undefined);
  }
  async takeStockSubscriptions(sku: string) {
    const taken = this.subscriptions.filter((s) => s.sku === sku);
    this.subscriptions = this.subscriptions.filter((s) => s.sku !== sku);
    return tick(taken);
  }
}

function copy<T extends object>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}
