import type { Order, Product } from "../db/types.js";
import { formatMoney } from "../pricing/money.js";

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function layout(title: string, body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:560px">
<h1 style="font-size:20px">${escapeHtml(title)}</h1>${body}
<p style="color:#666;font-size:12px">Acme Storefront · You get this email because of an order or alert you set up.</p>
</body></html>`;
}

export function orderConfirmation(order: Order, customerName: string) {
  const money = (cents: number) => formatMoney(cents, order.currency);
  const rows = order.lines
    .map((l) => `${l.quantity} × ${l.title} — ${money(l.unitPriceCents * l.quantity)}`)
    .join("\n");
  const totals = [
    `Subtotal: ${money(order.subtotalCents)}`,
    ...(order.discountCents > 0 ? [`Discount (${order.discountCode}): −${money(order.discountCents)}`] : []),
    `Shipping: ${order.shippingCents === 0 ? "Free" : money(order.shippingCents)}`,
    `Tax: ${money(order.taxCents)}`,
    `Total: ${money(order.totalCents)}`,
  ].join("\n");
  const subject = `Your Acme order #${order.number}`;
  const text = `Hi ${customerName},\n\nThanks for your order! Here is what you bought:\n\n${rows}\n\n${totals}\n\nWe'll email you again when it ships.`;
  const html = layout(
    `Thanks for your order, ${customerName}`,
    `<pre style="font:inherit">${escapeHtml(rows)}</pre><pre style="font:inherit">${escapeHtml(totals)}</pre><p>We'll email you again when it ships.</p>`,
  );
  return { subject, text, html };
}

export function orderShipped(order: Order, customerName: string, trackingUrl: string) {
  const subject = `Order #${order.number} is on its way`;
  const text = `Hi ${customerName},\n\nYour order #${order.number} has shipped. Track it here: ${trackingUrl}`;
  const html = layout(
    subject,
    `<p>Your order has shipped.</p><p><a href="${escapeHtml(trackingUrl)}">Track your parcel</a></p>`,
  );
  return { subject, text, html };
}

export function backInStock(product: Product, productUrl: string) {
  const subject = `${product.title} is back in stock`;
  const text = `Good news: ${product.title} is available again. ${productUrl}\n\nWe only send this once; sign up again on the product page for the next time.`;
  const html = layout(
    subject,
    `<p>Good news: <a href="${escapeHtml(productUrl)}">${escapeHtml(product.title)}</a> is available again.</p>`,
  );
  return { subject, text, html };
}
