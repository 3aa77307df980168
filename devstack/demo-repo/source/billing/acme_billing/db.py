"""Reads and writes against the storefront's Postgres database.

The API owns the schema; this service only reads orders, merchants and stock, and writes
invoices and recommendations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

import psycopg
from psycopg.rows import dict_row

from .models import Address, Invoice, LineItem, Merchant, Order


@contextmanager
def connect(dsn: str | None = None) -> Iterator[psycopg.Connection]:
    conn = psycopg.connect(dsn or os.environ["DATABASE_URL"], row_factory=dict_row)
    try:
        yield conn
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        conn.close()


def _order(row: dict, lines: list[dict]) -> Order:
    cents = lambda value: (Decimal(value) / 100).quantize(Decimal("0.01"))  # noqa: E731
    return Order(
        id=row["id"],
        number=row["number"],
        customer_id=row["customer_id"],
        customer_name=row["customer_name"],
        customer_email=row["customer_email"],
        merchant_id=row["merchant_id"],
        lines=tuple(
            LineItem(l["sku"], l["title"], cents(l["unit_price_cents"]), l["quantity"]) for l in lines
        ),
        subtotal=cents(row["subtotal_cents"]),
        discount=cents(row["discount_cents"]),
        shipping=cents(row["shipping_cents"]),
        tax=cents(row["tax_cents"]),
        total=cents(row["total_cents"]),
        currency=row["currency"],
        status=row["status"],
        placed_at=row["placed_at"],
        discount_code=row["discount_code"],
        shipping_address=Address(**row["shipping_address"]),
    )


def orders_between(conn: psycopg.Connection, merchant_id: str | None, start: datetime, end: datetime) -> list[Order]:
    """Orders placed in [start, end), optionally for one merchant, with their lines."""
    rows = conn.execute(
        """
        select o.*, c.name as customer_name, c.email as customer_email
          from orders o join customers c on c.id = o.customer_id
         where o.placed_at >= %s and o.placed_at < %s
           and (%s::text is null or o.merchant_id = %s)
         order by o.placed_at
        """,
        (start, end, merchant_id, merchant_id),
    ).fetchall()
    if not rows:
        return []
    lines = conn.execute(
        "select * from order_lines where order_id = any(%s) order by order_id, position",
        ([r["id"] for r in rows],),
    ).fetchall()
    by_order: dict[str, list[dict]] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line)
    return [_order(r, by_order.get(r["id"], [])) for r in rows]


def orders_without_invoice(conn: psycopg.Connection, limit: int = 500) -> list[Order]:
    rows = conn.execute(
        """
        select o.*, c.name as customer_name, c.email as customer_email
          from orders o join customers c on c.id = o.customer_id
         where o.status in ('paid', 'shipped')
           and not exists (select 1 from invoices i where i.order_id = o.id)
         order by o.placed_at
         limit %s
        """,
        (limit,),
    ).fetchall()
    lines = conn.execute(
        "select * from order_lines where order_id = any(%s) order by order_id, position",
        ([r["id"] for r in rows],),
    ).fetchall()
    by_order: dict[str, list[dict]] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line)
    return [_order(r, by_order.get(r["id"], [])) for r in rows]


def merchants(conn: psycopg.Connection) -> list[Merchant]:
    rows = conn.execute(
        "select id, name, email, timezone, legal_name, tax_id, digest_enabled from merchants order by id"
    ).fetchall()
    return [Merchant(**r) for r in rows]


def stock_levels(conn: psycopg.Connection, merchant_id: str | None = None) -> dict[str, int]:
    rows = conn.execute(
        """
        select s.sku, s.available from stock_levels s join products p on p.sku = s.sku
         where p.active and (%s::text is null or p.merchant_id = %s)
        """,
        (merchant_id, merchant_id),
    ).fetchall()
    return {r["sku"]: r["available"] for r in rows}


def next_invoice_sequence(conn: psycopg.Connection, merchant_id: str) -> int:
    """Gap-free per-merchant numbering: the counter row is locked until the transaction ends."""
    row = conn.execute(
        """
        insert into invoice_counters (merchant_id, last_value) values (%s, 1)
        on conflict (merchant_id) do update set last_value = invoice_counters.last_value + 1
        returning last_value
        """,
        (merchant_id,),
    ).fetchone()
    return int(row["last_value"])


def save_invoice(conn: psycopg.Connection, invoice: Invoice) -> None:
    conn.execute(
        """
        insert into invoices (number, order_id, merchant_id, issued_at, subtotal_cents,
                              discount_cents, shipping_cents, tax_cents, total_cents, currency)
        values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        """,
        (
            invoice.number,
            invoice.order_id,
            invoice.merchant_id,
            invoice.issued_at,
            int(invoice.subtotal * 100),
            int(invoice.discount * 100),
            int(invoice.shipping * 100),
            int(invoice.tax * 100),
            int(invoice.total * 100),
            invoice.currency,
        ),
    )
