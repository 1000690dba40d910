"""Invoices: upload, extraction task, confirmation into activity records."""
