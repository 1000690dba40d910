"""Rendering of documents: certificate PDF, inventory report DOCX, verification statement PDF."""
