"""The merchants' daily sales summary email.

Sent every morning at 07:00 in each merchant's own time zone, covering the previous calendar
day in that time zone: orders, revenue, refunds, best sellers and products running low.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from .models import Merchant, Order
from .money import format_money

LOW_STOCK_THRESHOLD = 5


@dataclass(frozen=True)
class DigestSummary:
    merchant_id: str
    day: date
    order_count: int
    revenue: Decimal
    refunded: Decimal
    best_sellers: list[tuple[str, int]]
    low_stock: list[tuple[str, int]]


def digest_window(merchant_tz: str, now: datetime | None = None) -> tuple[date, datetime, datetime]:
    """The previous calendar day in the merchant's time zone, as a UTC [start, end) range."""
    tz = ZoneInfo(merchant_tz)
    now = now or datetime.now(timezone.utc)
    day = now.astimezone(tz).date() - timedelta(days=1)
    start = datetime.combine(day, time.min, tzinfo=timezone.utc)
    end = start + timedelta(days=1)
    return day, start, end


def summarize(
    merchant: Merchant,
    orders: list[Order],
    stock: dict[str, int],
    now: datetime | None = None,
) -> DigestSummary:
    """Summarise the orders placed in the merchant's previous day."""
    day, start, end = digest_window(merchant.timezone, now)
    in_window = [o for o in orders if start <= o.placed_at < end and o.merchant_id == merchant.id]
    paid = [o for o in in_window if o.status in ("paid", "shipped")]
    refunded = [o for o in in_window if o.status in ("refunded", "cancelled")]
    sold: Counter[str] = Counter()
    for order in paid:
        for line in order.lines:
            sold[line.title] += line.quantity
    low = sorted(
        ((sku, level) for sku, level in stock.items() if level < LOW_STOCK_THRESHOLD),
        key=lambda item: item[1],
    )
    return DigestSummary(
        merchant_id=merchant.id,
        day=day,
        order_count=len(paid),
        revenue=sum((o.total for o in paid), Decimal(0)),
        refunded=sum((o.total for o in refunded), Decimal(0)),
        best_sellers=sold.most_common(5),
        low_stock=low[:10],
    )


def render_digest(merchant: Merchant, summary: DigestSummary) -> tuple[str, str]:
    """Subject and plain-text body of the email."""
    subject = f"Your sales for {summary.day:%A, %B} {summary.day.day}: {summary.order_count} orders"
    lines = [
        f"Hi {merchant.name},",
        "",
        f"Orders: {summary.order_count}",
        f"Revenue: {format_money(summary.revenue)}",
    ]
    if summary.refunded:
        lines.append(f"Refunded or cancelled: {format_money(summary.refunded)}")
    if summary.best_sellers:
        lines += ["", "Best sellers:"] + [f"  {qty} × {title}" for title, qty in summary.best_sellers]
    if summary.low_stock:
        lines += ["", "Running low:"] + [f"  {sku}: {level} left" for sku, level in summary.low_stock]
    lines += ["", "See every order in your console: https://console.acme.example/orders"]
    return subject, "\n".join(lines) + "\n"


def due_merchants(merchants: list[Merchant], now: datetime, send_hour: int = 7) -> list[Merchant]:
    """Merchants whose local clock reads the send hour now (the job runs hourly)."""
    return [
        m
        for m in merchants
        if m.digest_enabled and now.astimezone(ZoneInfo(m.timezone)).hour == send_hour
    ]
