import csv
import io
from decimal import Decimal

from acme_billing.csv_export import HEADER, export_orders_csv
from acme_billing.models import LineItem

from .conftest import make_order


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_one_row_per_line_with_header():
    order = make_order(
        lines=(
            LineItem("JAM-120", "Fig & Thistle Jam", Decimal("3.49"), 2),
            LineItem("CFE-500", "Cafe de Olla Blend", Decimal("16.99"), 1),
        )
    )
    out = io.StringIO()
    assert export_orders_csv([order], out, "America/Chicago") == 2
    rows = read(out.getvalue())
    assert rows[0] == list(HEADER)
    assert rows[1][0] == "1001" and rows[1][12] == "JAM-120" and rows[2][12] == "CFE-500"
    assert rows[1][1] == "2024-05-14 10:30"


def test_quotes_in_titles_survive():
    order = make_order(lines=(LineItem("SKL-006", '6" Cast Iron Skillet', Decimal("24.00"), 1),))
    out = io.StringIO()
    export_orders_csv([order], out)
    assert read(out.getvalue())[1][13] == '6" Cast Iron Skillet'
