"""Storing evidence: once per enterprise and content (SHA-256), encrypted with SM4."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from carbon_portal.accounts.models import Enterprise

from ..models import Evidence
from . import content, crypto

MAX_NAME = 255


def _associated_data(enterprise_id: int, sha256: str) -> bytes:
    return f"carbon-portal evidence:{enterprise_id}:{sha256}".encode()


def store_evidence(
    *, enterprise: Enterprise, uploaded_by, data: bytes, original_name: str, kind: str = Evidence.Kind.INVOICE,
) -> tuple[Evidence, bool]:
    """The evidence for `data`: the stored one if the enterprise has uploaded the same content
    before (created False), else a new, encrypted one. ValidationError when the content is not
    acceptable (type, size, pages, pixels); nothing is stored then."""
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Evidence.objects.filter(enterprise=enterprise, sha256=sha256).first()
    if existing:
        return existing, False
    info = content.inspect_spreadsheet(data) if kind == Evidence.Kind.SPREADSHEET else content.inspect_invoice(data)
    key = crypto.encryption_key()
    blob = crypto.encrypt(data, associated_data=_associated_data(enterprise.pk, sha256), key=key)
    name = f"evidence/{enterprise.pk}/{sha256}.sm4"  # never the uploaded name: it is only displayed
    try:
        with transaction.atomic():
            if default_storage.exists(name):  # left by a transaction that rolled back
                default_storage.delete(name)
            stored_name = default_storage.save(name, ContentFile(blob))
            evidence = Evidence.objects.create(
                enterprise=enterprise, kind=kind, sha256=sha256, original_name=_display_name(original_name),
                content_type=info.content_type, size=len(data), pages=info.pages, file=stored_name,
                encryption=crypto.ALGORITHM, key_id=crypto.key_id(key), uploaded_by=uploaded_by,
            )
    except IntegrityError:  # the same file, uploaded at the same moment by someone else
        return Evidence.objects.get(enterprise=enterprise, sha256=sha256), False
    return evidence, True


def read_evidence(evidence: Evidence) -> bytes:
    """The file's plain content, checked against its record (EvidenceIntegrityError if not)."""
    with default_storage.open(evidence.file.name, "rb") as handle:
        blob = handle.read()
    data = crypto.decrypt(blob, associated_data=_associated_data(evidence.enterprise_id, evidence.sha256),
                          key=crypto.encryption_key())
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise crypto.EvidenceIntegrityError("the evidence file does not match its SHA-256")
    return data


def _display_name(name: str) -> str:
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip() or "upload"
    return "".join(ch for ch in name if ch.isprintable())[:MAX_NAME]
