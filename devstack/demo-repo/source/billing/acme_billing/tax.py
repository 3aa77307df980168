"""US sales tax for invoices.

The same rates as the checkout estimate in the API (src/pricing/tax.ts). Tax is charged on the
merchandise after discounts, plus shipping in the states that tax shipping.
"""

from __future__ import annotations

from decimal import Decimal

from .money import quantize

# Basis points (1 bp = 0.01 %).
STATE_RATES_BP: dict[str, int] = {
    "CA": 725,
    "NY": 400,
    "TX": 625,
    "WA": 650,
    "IL": 625,
    "MA": 625,
    "NJ": 663,
    "PA": 600,
    "CO": 290,
    "OR": 0,
    "MT": 0,
    "NH": 0,
    "DE": 0,
}

TAXES_SHIPPING = frozenset({"NY", "TX", "WA", "NJ", "PA"})


def tax_rate(country: str, region: str) -> Decimal:
    """The sales tax rate as a fraction (0.0725 for California); 0 outside the US."""
    if country != "US":
        return Decimal(0)
    return Decimal(STATE_RATES_BP.get(region.upper(), 0)) / Decimal(10_000)


def compute_tax(taxable_merchandise: Decimal, shipping: Decimal, region: str, country: str) -> Decimal:
    """Tax on an order, rounded half up to the cent, the way the checkout estimate rounds."""
    rate = tax_rate(country, region)
    taxable = taxable_merchandise + (shipping if region.upper() in TAXES_SHIPPING else Decimal(0))
    return quantize(taxable * rate)
