from datetime import datetime, timedelta, timezone
from decimal import Decimal

from acme_billing.models import LineItem
from acme_billing.recommend import run_job

from .conftest import make_order

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def item(sku: str) -> LineItem:
    return LineItem(sku, sku.title(), Decimal("10.00"), 1)


def test_recommends_what_similar_customers_bought():
    orders = [
        make_order(1, (item("mug"), item("coffee")), customer_id="a", placed_at=NOW - timedelta(days=3)),
        make_order(2, (item("mug"), item("coffee")), customer_id="b", placed_at=NOW - timedelta(days=2)),
        make_order(3, (item("mug"),), customer_id="c", placed_at=NOW - timedelta(days=1)),
    ]
    recs = run_job(orders, {"mug", "coffee"}, NOW)
    assert [(r.customer_id, r.sku) for r in recs] == [("c", "coffee")]


def test_skips_out_of_stock_products():
    orders = [
        make_order(1, (item("mug"), item("coffee")), customer_id="a", placed_at=NOW - timedelta(days=3)),
        make_order(2, (item("mug"), item("coffee")), customer_id="b", placed_at=NOW - timedelta(days=2)),
        make_order(3, (item("mug"),), customer_id="c", placed_at=NOW - timedelta(days=1)),
    ]
    assert run_job(orders, {"mug"}, NOW) == []
