"""Invoices for paid orders.

An invoice is issued once per order, numbered per merchant without gaps (tax authorities in
several of our merchants' countries require consecutive numbers), and must agree to the cent
with what the customer was charged.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from .models import Invoice, Merchant, Order
from .money import format_money, quantize
from .tax import compute_tax


class InvoiceMismatch(Exception):
    """An invoice total that differs from the charged total: logged for finance to review."""


def invoice_number(merchant: Merchant, sequence: int, issued_at: datetime) -> str:
    """`ACME-2024-000123`: merchant prefix, year of issue, per-merchant sequence."""
    prefix = "".join(ch for ch in merchant.id.upper() if ch.isalnum())[:6] or "INV"
    return f"{prefix}-{issued_at.year}-{sequence:06d}"


def build_invoice(order: Order, merchant: Merchant, sequence: int, issued_at: datetime | None = None) -> Invoice:
    """Compute an invoice from an order's lines, discount, shipping and destination."""
    issued_at = issued_at or datetime.now(timezone.utc)
    subtotal = quantize(sum((line.amount for line in order.lines), Decimal(0)))
    discount = quantize(order.discount)
    shipping = quantize(order.shipping)
    address = order.shipping_address
    tax = compute_tax(subtotal, shipping, address.region, address.country)
    total = subtotal - discount + shipping + tax
    return Invoice(
        number=invoice_number(merchant, sequence, issued_at),
        order_id=order.id,
        merchant_id=merchant.id,
        issued_at=issued_at,
        bill_to=address,
        lines=list(order.lines),
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        tax=tax,
        total=total,
        currency=order.currency,
    )


def check_against_charge(invoice: Invoice, order: Order, tolerance: Decimal = Decimal("0.00")) -> None:
    """Raise if the invoice does not add up to what the payment provider charged."""
    if abs(invoice.total - order.total) > tolerance:
        raise InvoiceMismatch(
            f"invoice {invoice.number} totals {invoice.total} but order #{order.number} charged {order.total}"
        )


def render_text(invoice: Invoice, merchant: Merchant) -> str:
    """The plain-text invoice attached to the email (the PDF is rendered from the same data)."""
    money = lambda amount: format_money(amount, invoice.currency)  # noqa: E731
    rows = [
        f"{merchant.legal_name}" + (f" — Tax ID {merchant.tax_id}" if merchant.tax_id else ""),
        f"Invoice {invoice.number}   Issued {invoice.issued_at:%Y-%m-%d}",
        "",
        f"Bill to: {invoice.bill_to.name}",
        f"         {invoice.bill_to.one_line()}",
        "",
    ]
    for line in invoice.lines:
        rows.append(f"{line.quantity:>3} × {line.title:<40} {money(line.amount):>12}")
    rows += [
        "",
        f"{'Subtotal':<46} {money(invoice.subtotal):>12}",
    ]
    if invoice.discount:
        rows.append(f"{'Discount':<46} {money(-invoice.discount):>12}")
    rows += [
        f"{'Shipping':<46} {money(invoice.shipping):>12}",
        f"{'Sales tax':<46} {money(invoice.tax):>12}",
        f"{'Total':<46} {money(invoice.total):>12}",
    ]
    return "\n".join(rows) + "\n"
