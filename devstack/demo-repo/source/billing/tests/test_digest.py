from datetime import datetime, timezone
from decimal import Decimal

from acme_billing.digest import due_merchants, render_digest, summarize

from .conftest import make_order


def test_summary_counts_paid_orders_of_the_previous_day(merchant):
    now = datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc)  # 07:00 in Chicago
    orders = [
        make_order(1001, placed_at=datetime(2024, 5, 14, 15, 0, tzinfo=timezone.utc)),
        make_order(1002, placed_at=datetime(2024, 5, 14, 16, 0, tzinfo=timezone.utc), status="refunded"),
        make_order(1003, placed_at=datetime(2024, 5, 13, 15, 0, tzinfo=timezone.utc)),
    ]
    summary = summarize(merchant, orders, {"JAM-120": 3, "CFE-500": 40}, now)
    assert summary.order_count == 1
    assert summary.revenue == Decimal("12.97")
    assert summary.low_stock == [("JAM-120", 3)]


def test_subject_names_the_day(merchant):
    now = datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc)
    summary = summarize(merchant, [], {}, now)
    subject, _ = render_digest(merchant, summary)
    assert subject == "Your sales for Tuesday, May 14: 0 orders"


def test_sent_at_seven_local(merchant):
    assert due_merchants([merchant], datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc)) == [merchant]
    assert due_merchants([merchant], datetime(2024, 5, 15, 7, 0, tzinfo=timezone.utc)) == []
