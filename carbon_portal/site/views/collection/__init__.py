"""The data-collection pages under /portal/ingestion/ (server-rendered, no external assets)."""
