"""Order exports for merchants ("Download orders as CSV" in the merchant console).

The file opens in Excel, Numbers and Google Sheets: UTF-8 with a byte-order mark, CRLF line
endings, one row per order line so quantities and SKUs can be pivoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from .models import Order

HEADER = (
    "order_number",
    "placed_at",
    "status",
    "customer_name",
    "customer_email",
    "ship_name",
    "ship_line1",
    "ship_line2",
    "ship_city",
    "ship_region",
    "ship_postal_code",
    "ship_country",
    "sku",
    "product",
    "quantity",
    "unit_price",
    "line_total",
    "discount_code",
    "order_total",
    "currency",
)

BOM = "\ufeff"


def _field(value: object) -> str:
    """One CSV field. Quotes are doubled so a product called 6" Skillet survives."""
    text = "" if value is None else str(value)
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _row(values: Iterable[object]) -> str:
    return ",".join(_field(v) for v in values) + "\r\n"


def _local(ts: datetime, tz: ZoneInfo) -> str:
    return ts.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def order_rows(order: Order, tz: ZoneInfo) -> list[list[object]]:
    """The rows of one order: one per line item, the order's fields repeated on each."""
    address = order.shipping_address
    return [
        [
            order.number,
            _local(order.placed_at, tz),
            order.status,
            order.customer_name,
            order.customer_email,
            address.name,
            address.line1,
            address.line2 or "",
            address.city,
            address.region,
            address.postal_code,
            address.country,
            line.sku,
            line.title,
            line.quantity,
            f"{line.unit_price:.2f}",
            f"{line.amount:.2f}",
            order.discount_code or "",
            f"{order.total:.2f}",
            order.currency,
        ]
        for line in order.lines
    ]


def export_orders_csv(orders: Iterable[Order], out: TextIO, timezone_name: str = "UTC") -> int:
    """Write the merchant's orders as CSV to `out`; returns the number of rows written."""
    tz = ZoneInfo(timezone_name)
    out.write(BOM)
    out.write(_row(HEADER))
    count = 0
    for order in orders:
        for row in order_rows(order, tz):
            out.write(_row(row))
            count += 1
    return count
