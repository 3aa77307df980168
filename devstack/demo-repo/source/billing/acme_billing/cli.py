"""`acme-billing <job>`: the entry point cron and the admin console call."""

from __future__ import annotations

import argparse
import io
import logging
import sys
from datetime import datetime, timedelta, timezone

from . import db
from .csv_export import export_orders_csv
from .digest import due_merchants, render_digest, summarize
from .invoices import InvoiceMismatch, build_invoice, check_against_charge, render_text
from .mailer import send_email
from .recommend import run_job

log = logging.getLogger("acme_billing")


def cmd_invoices(args: argparse.Namespace) -> int:
    """Issue invoices for paid orders that have none yet."""
    issued = flagged = 0
    with db.connect() as conn:
        merchants = {m.id: m for m in db.merchants(conn)}
        for order in db.orders_without_invoice(conn, limit=args.limit):
            merchant = merchants[order.merchant_id]
            invoice = build_invoice(order, merchant, db.next_invoice_sequence(conn, merchant.id))
            try:
                check_against_charge(invoice, order)
            except InvoiceMismatch as error:
                log.warning("invoice held for review: %s", error)
                flagged += 1
            db.save_invoice(conn, invoice)
            send_email(order.customer_email, f"Invoice {invoice.number}", render_text(invoice, merchant), "invoice")
            issued += 1
    log.info("issued %d invoices, %d flagged", issued, flagged)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export a merchant's orders for a date range to CSV (stdout or --out)."""
    start = datetime.fromisoformat(args.start).replace(tzinfo=timezone.utc)
    end = datetime.fromisoformat(args.end).replace(tzinfo=timezone.utc) + timedelta(days=1)
    with db.connect() as conn:
        merchant = next(m for m in db.merchants(conn) if m.id == args.merchant)
        orders = db.orders_between(conn, merchant.id, start, end)
    buffer = io.StringIO(newline="")
    rows = export_orders_csv(orders, buffer, merchant.timezone)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    log.info("exported %d rows", rows)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    """Send the daily sales summary to merchants whose local time is the send hour."""
    now = datetime.now(timezone.utc)
    with db.connect() as conn:
        for merchant in due_merchants(db.merchants(conn), now):
            orders = db.orders_between(conn, merchant.id, now - timedelta(days=3), now)
            summary = summarize(merchant, orders, db.stock_levels(conn, merchant.id), now)
            subject, body = render_digest(merchant, summary)
            send_email(merchant.email, subject, body, "daily-digest")
    return 0


def cmd_recommend(args: argparse.Namespace) -> int:
    now = datetime.now(timezone.utc)
    with db.connect() as conn:
        orders = db.orders_between(conn, None, now - timedelta(days=180), now)
        in_stock = {sku for sku, level in db.stock_levels(conn).items() if level > 0}
        recommendations = run_job(orders, in_stock, now)
        conn.execute("delete from recommendations")
        with conn.cursor() as cur:
            cur.executemany(
                "insert into recommendations (customer_id, sku, score) values (%s, %s, %s)",
                [(r.customer_id, r.sku, r.score) for r in recommendations],
            )
    log.info("wrote %d recommendations", len(recommendations))
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    parser = argparse.ArgumentParser(prog="acme-billing")
    sub = parser.add_subparsers(dest="command", required=True)
    invoices = sub.add_parser("invoices", help="issue invoices for paid orders")
    invoices.add_argument("--limit", type=int, default=500)
    invoices.set_defaults(func=cmd_invoices)
    export = sub.add_parser("export", help="export a merchant's orders as CSV")
    export.add_argument("--merchant", required=True)
    export.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    export.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
    export.add_argument("--out")
    export.set_defaults(func=cmd_export)
    sub.add_parser("digest", help="send daily sales summaries").set_defaults(func=cmd_digest)
    sub.add_parser("recommend", help="rebuild recommendations").set_defaults(func=cmd_recommend)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
