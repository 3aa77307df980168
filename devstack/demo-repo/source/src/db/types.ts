/** Shapes shared by the store and the modules that use it. Money is always integer cents. */

export interface Product {
  id: string;
  sku: string;
  merchantId: string;
  title: string;
  description: string;
  priceCents: number;
  category: string;
  tags: string[];
  weightGrams: number;
  active: boolean;
}

export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
  updatedAt: Date;
}

export interface CartLine {
  productId: string;
  sku: string;
  title: string;
  unitPriceCents: number;
  quantity: number;
}

export interface Cart {
  id: string;
  customerId?: string;
  /** Each shop has its own cart: set by the first product added. */
  merchantId?: string;
  lines: CartLine[];
  discountCode?: string;
  currency: "USD" | "EUR" | "GBP";
  updatedAt: Date;
}

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export type OrderStatus = "pending" | "paid" | "shipped" | "cancelled" | "refunded";

export interface Order {
  id: string;
  number: number;
  customerId: string;
  merchantId: string;
  lines: CartLine[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: Cart["currency"];
  discountCode?: string;
  shippingAddress: Address;
  paymentId?: string;
  status: OrderStatus;
  placedAt: Date;
}

export interface Customer {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  marketingOptIn: boolean;
  createdAt: Date;
}

export interface Session {
  id: string;
  customerId: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** Set when the shopper ticked "Keep me signed in". */
  rememberMe: boolean;
  userAgent?: string;
}

export type DiscountKind = "percent" | "fixed" | "free_shipping";

export interface DiscountCode {
  code: string;
  kind: DiscountKind;
  /** Percent off (1–100) for `percent`, cents off for `fixed`, unused for `free_shipping`. */
  value: number;
  minimumSubtotalCents: number;
  /** Restrict to these product categories; empty means the whole cart. */
  categories: string[];
  startsAt: Date;
  endsAt?: Date;
  usageLimit?: number;
  timesUsed: number;
}

export interface StockSubscription {
  sku: string;
  email: string;
  createdAt: Date;
}
