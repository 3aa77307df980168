from datetime import datetime, timezone
from decimal import Decimal

import pytest

from acme_billing.invoices import InvoiceMismatch, build_invoice, check_against_charge, invoice_number, render_text

from .conftest import make_order


def test_invoice_numbers_are_per_merchant_and_year(merchant):
    assert invoice_number(merchant, 42, datetime(2024, 1, 2, tzinfo=timezone.utc)) == "FIGAND-2024-000042"


def test_invoice_adds_up_to_the_charge(merchant):
    order = make_order(tax=Decimal("0.51"))
    invoice = build_invoice(order, merchant, 1)
    assert invoice.subtotal == Decimal("6.98")
    assert invoice.tax == Decimal("0.51")
    assert invoice.total == Decimal("13.48")
    check_against_charge(invoice, order)


def test_mismatch_is_flagged(merchant):
    order = make_order(tax=Decimal("0.51"))
    invoice = build_invoice(order, merchant, 1)
    invoice.total += Decimal("0.01")
    with pytest.raises(InvoiceMismatch):
        check_against_charge(invoice, order)


def test_text_invoice_lists_lines_and_totals(merchant):
    invoice = build_invoice(make_order(tax=Decimal("0.51")), merchant, 7)
    text = render_text(invoice, merchant)
    assert "Fig & Thistle LLC — Tax ID 84-1234567" in text
    assert "2 × Fig & Thistle Jam" in text
    assert text.rstrip().endswith("$13.48")
