from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from acme_billing.models import Address, LineItem, Merchant, Order


@pytest.fixture
def merchant() -> Merchant:
    return Merchant(
        id="fig-and-thistle",
        name="Rosa",
        email="rosa@figandthistle.example",
        timezone="America/Chicago",
        legal_name="Fig & Thistle LLC",
        tax_id="84-1234567",
    )


def make_order(
    number: int = 1001,
    lines: tuple[LineItem, ...] = (LineItem("JAM-120", "Fig & Thistle Jam", Decimal("3.49"), 2),),
    discount: Decimal = Decimal("0.00"),
    shipping: Decimal = Decimal("5.99"),
    region: str = "CA",
    placed_at: datetime = datetime(2024, 5, 14, 15, 30, tzinfo=timezone.utc),
    customer_id: str = "c1",
    status: str = "paid",
    merchant_id: str = "fig-and-thistle",
    address_line2: str | None = None,
    tax: Decimal | None = None,
) -> Order:
    subtotal = sum((l.amount for l in lines), Decimal(0))
    tax = tax if tax is not None else Decimal("0.00")
    return Order(
        id=f"order-{number}",
        number=number,
        customer_id=customer_id,
        customer_name="Dana Whitfield",
        customer_email="dana@example.com",
        merchant_id=merchant_id,
        lines=lines,
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        tax=tax,
        total=subtotal - discount + shipping + tax,
        currency="USD",
        status=status,
        placed_at=placed_at,
        shipping_address=Address("Dana Whitfield", "12 Elm St", "Oakland", region, "94607", "US", address_line2),
    )
