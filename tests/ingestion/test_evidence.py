import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage

from ingestion.evidence.crypto import EvidenceIntegrityError
from ingestion.evidence.render import page_png
from ingestion.evidence.services import read_evidence, store_evidence
from ingestion.models import Evidence

from .files import jpeg, pdf, png


def store(enterprise, user, data, name="invoice.pdf", **kwargs):
    return store_evidence(enterprise=enterprise, uploaded_by=user, data=data, original_name=name, **kwargs)


def test_evidence_is_encrypted_at_rest_and_reads_back(enterprise_a, officer_a):
    data = pdf(2)
    evidence, created = store(enterprise_a, officer_a, data)
    assert created
    assert (evidence.sha256, evidence.size, evidence.pages) == (hashlib.sha256(data).hexdigest(), len(data), 2)
    assert (evidence.content_type, evidence.encryption) == ("application/pdf", "sm4-gcm")
    stored = default_storage.open(evidence.file.name).read()
    assert stored.startswith(b"CPE1") and b"%PDF" not in stored
    assert evidence.sha256 in evidence.file.name and "invoice" not in evidence.file.name
    assert read_evidence(evidence) == data


def test_the_same_file_is_stored_once_per_enterprise(enterprise_a, enterprise_b, officer_a, officer_b):
    data = png()
    first, created = store(enterprise_a, officer_a, data, "a.png")
    again, created_again = store(enterprise_a, officer_a, data, "copy of a.png")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    other, created_other = store(enterprise_b, officer_b, data)
    assert created_other and other.pk != first.pk
    assert Evidence.objects.count() == 2


def test_a_tampered_swapped_or_wrongly_keyed_file_is_detected(enterprise_a, officer_a, settings):
    first, _ = store(enterprise_a, officer_a, png())
    second, _ = store(enterprise_a, officer_a, jpeg())
    swapped = Evidence.objects.get(pk=second.pk)
    swapped.file.name = first.file.name  # another record's file, intact
    with pytest.raises(EvidenceIntegrityError):
        read_evidence(swapped)
    blob = bytearray(default_storage.open(first.file.name).read())
    blob[40] ^= 1
    with default_storage.open(first.file.name, "wb") as handle:
        handle.write(bytes(blob))
    with pytest.raises(EvidenceIntegrityError):
        read_evidence(first)
    settings.EVIDENCE_ENCRYPTION_KEY = "ffeeddccbbaa99887766554433221100"
    with pytest.raises(EvidenceIntegrityError):
        read_evidence(second)


def test_without_a_key_evidence_is_refused_outside_debug(enterprise_a, officer_a, settings):
    settings.EVIDENCE_ENCRYPTION_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="EVIDENCE_ENCRYPTION_KEY"):
        store(enterprise_a, officer_a, png())
    assert not Evidence.objects.exists()
    settings.DEBUG = True  # the embedded default derives a development key
    evidence, _ = store(enterprise_a, officer_a, png())
    assert read_evidence(evidence) == png()
    settings.EVIDENCE_ENCRYPTION_KEY = "not hex"
    with pytest.raises(ImproperlyConfigured, match="32 hexadecimal"):
        store(enterprise_a, officer_a, jpeg())


def test_the_type_is_judged_by_content_not_by_name(enterprise_a, officer_a):
    evidence, _ = store(enterprise_a, officer_a, png(), "invoice.pdf")
    assert evidence.content_type == "image/png"
    with pytest.raises(ValidationError, match="not a PDF, PNG, JPEG or TIFF"):
        store(enterprise_a, officer_a, b"just some text pretending", "invoice.pdf")
    with pytest.raises(ValidationError, match="not a PDF, PNG, JPEG or TIFF"):
        store(enterprise_a, officer_a, b"MZ\x90\x00 an executable", "scan.png")


@pytest.mark.parametrize(("data", "setting", "value", "message"), [
    (b"", None, None, "empty"),
    (png(), "EVIDENCE_MAX_BYTES", 100, "too large"),
    (pdf(3), "EVIDENCE_MAX_PAGES", 2, "3 pages"),
    (pdf(1, width=20000, height=20000), None, None, "too large"),
    (png(2000, 2000), "EVIDENCE_MAX_PIXELS", 1_000_000, "4 million pixels"),
    (b"%PDF-1.7\n this is not really a PDF", None, None, "damaged"),
    (png()[:60], None, None, "damaged"),
])
def test_limits_are_checked_on_the_content(enterprise_a, officer_a, settings, data, setting, value, message):
    if setting:
        setattr(settings, setting, value)
    with pytest.raises(ValidationError, match=message):
        store(enterprise_a, officer_a, data)
    assert not Evidence.objects.exists()


def test_page_images(enterprise_a, officer_a):
    two_pages = pdf(2)
    image = page_png(two_pages, "application/pdf", 2)
    assert image.startswith(b"\x89PNG")
    assert page_png(jpeg(), "image/jpeg", 1).startswith(b"\x89PNG")
