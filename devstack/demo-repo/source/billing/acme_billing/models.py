"""Plain data the billing jobs work on. Money is Decimal dollars, quantised to cents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class LineItem:
    sku: str
    title: str
    unit_price: Decimal
    quantity: int

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    region: str
    postal_code: str
    country: str
    line2: str | None = None

    def one_line(self) -> str:
        parts = [self.line1, self.line2, self.city, f"{self.region} {self.postal_code}", self.country]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Order:
    id: str
    number: int
    customer_id: str
    customer_name: str
    customer_email: str
    merchant_id: str
    lines: tuple[LineItem, ...]
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal
    currency: str
    status: str
    placed_at: datetime
    shipping_address: Address
    discount_code: str | None = None


@dataclass(frozen=True)
class Merchant:
    id: str
    name: str
    email: str
    timezone: str
    legal_name: str
    tax_id: str | None = None
    digest_enabled: bool = True


@dataclass
class Invoice:
    number: str
    order_id: str
    merchant_id: str
    issued_at: datetime
    bill_to: Address
    lines: list[LineItem] = field(default_factory=list)
    subtotal: Decimal = Decimal("0.00")
    discount: Decimal = Decimal("0.00")
    shipping: Decimal = Decimal("0.00")
    tax: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    currency: str = "USD"
