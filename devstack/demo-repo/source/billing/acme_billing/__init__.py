"""Acme Storefront billing service.

Runs beside the API on the same database: invoices (with tax) for every paid order, order
exports for merchants, the merchants' daily sales summary email, and the nightly
"customers also bought" job.
"""

__version__ = "2.14.0"
