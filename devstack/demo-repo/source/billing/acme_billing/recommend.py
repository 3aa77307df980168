"""The nightly "customers also bought" job.

Builds item-to-item co-purchase scores from the last 180 days of orders, then picks up to four
products for each customer's "You might also like" email and the home page shelf. A customer is
never shown something they already bought, or something out of stock.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import Order

LOOKBACK = timedelta(days=180)
MAX_RECOMMENDATIONS = 4
MIN_CO_PURCHASES = 2


@dataclass(frozen=True)
class Recommendation:
    customer_id: str
    sku: str
    score: float


def co_purchase_scores(orders: Iterable[Order]) -> dict[str, Counter[str]]:
    """For each SKU, how often each other SKU was bought by the same customer."""
    baskets: dict[str, set[str]] = defaultdict(set)
    for order in orders:
        if order.status in ("cancelled", "refunded"):
            continue
        baskets[order.customer_id].update(line.sku for line in order.lines)
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for skus in baskets.values():
        for a in skus:
            for b in skus:
                if a != b:
                    together[a][b] += 1
    return together


def popularity(orders: Iterable[Order]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for order in orders:
        for line in order.lines:
            counts[line.sku] += 1
    return counts


def recommendations_for(
    customer_orders: list[Order],
    together: dict[str, Counter[str]],
    popular: Counter[str],
    in_stock: set[str],
) -> list[tuple[str, float]]:
    """Rank candidate SKUs for one customer by co-purchase lift over their past purchases."""
    if not customer_orders:
        return []
    latest = max(customer_orders, key=lambda o: o.placed_at)
    owned = {line.sku for line in latest.lines}
    scores: Counter[str] = Counter()
    for sku in owned:
        for other, count in together.get(sku, Counter()).items():
            if count < MIN_CO_PURCHASES:
                continue
            # Lift, damped so best sellers do not crowd everything else out.
            scores[other] += count / math.sqrt(1 + popular[other])
    ranked = [
        (sku, round(score, 4))
        for sku, score in scores.most_common()
        if sku not in owned and sku in in_stock
    ]
    return ranked[:MAX_RECOMMENDATIONS]


def run_job(orders: list[Order], in_stock: set[str], now: datetime) -> list[Recommendation]:
    """Recommendations for every customer with an order in the look-back window."""
    recent = [o for o in orders if o.placed_at >= now - LOOKBACK]
    together = co_purchase_scores(recent)
    popular = popularity(recent)
    by_customer: dict[str, list[Order]] = defaultdict(list)
    for order in recent:
        by_customer[order.customer_id].append(order)
    out: list[Recommendation] = []
    for customer_id in sorted(by_customer):
        for sku, score in recommendations_for(by_customer[customer_id], together, popular, in_stock):
            out.append(Recommendation(customer_id, sku, score))
    return out
