"""Spreadsheet imports (CSV, XLSX) of activity data and meter readings. See docs/imports.md."""
