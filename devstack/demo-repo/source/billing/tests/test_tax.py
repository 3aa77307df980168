from decimal import Decimal

from acme_billing.tax import compute_tax, tax_rate


def test_rate_by_state():
    assert tax_rate("US", "ca") == Decimal("0.0725")
    assert tax_rate("US", "OR") == 0
    assert tax_rate("CA", "ON") == 0


def test_shipping_taxed_only_where_the_state_taxes_it():
    assert compute_tax(Decimal("100.00"), Decimal("10.00"), "CA", "US") == Decimal("7.25")
    assert compute_tax(Decimal("100.00"), Decimal("10.00"), "NY", "US") == Decimal("4.40")


def test_rounds_half_up():
    # 6.98 * 7.25 % = 0.50605 → 0.51
    assert compute_tax(Decimal("6.98"), Decimal("0"), "CA", "US") == Decimal("0.51")
