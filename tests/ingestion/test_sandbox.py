"""Untrusted files are parsed in a box (ingestion/sandbox.py): a child process with CPU, memory
and output limits. A decompression bomb is refused in seconds, not minutes of a web worker."""

import time
import zlib

import pytest
from django.core.exceptions import ValidationError

from ingestion import sandbox
from ingestion.evidence.services import store_evidence
from ingestion.extraction import ExtractionError
from ingestion.invoices.services import read_invoice
from ingestion.models import Evidence

from .files import pdf

SMALL = sandbox.Limits(cpu_seconds=2, memory_bytes=512 * 1024 * 1024, output_bytes=1024 * 1024, wall_seconds=20)


def bomb_pdf(inflated: int = 100 * 1024 * 1024, filler: bytes = b"0 0 m\n") -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of drawing operators
    (about 100 KB in the file for the default 100 MB)."""
    compressor, block = zlib.compressobj(9), filler * (1024 * 1024 // len(filler))
    stream = b"".join(compressor.compress(block) for _ in range(inflated // len(block))) + compressor.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TARGETS = "tests.ingestion.sandbox_targets"


def test_the_box_answers_and_passes_errors_back_with_their_code():
    assert sandbox.run(f"{TARGETS}:echo", 1, "two", three=3, limits=SMALL) == ((1, "two"), {"three": 3})
    with pytest.raises(ExtractionError, match="not an invoice") as caught:
        sandbox.run(f"{TARGETS}:refuse", limits=SMALL)
    assert caught.value.code == "not_an_invoice"


@pytest.mark.slow
@pytest.mark.parametrize(("target", "code"), [("burn", "cpu"), ("hog", "memory"), ("talk", "output")])
def test_the_box_stops_a_child_past_its_limits(target, code):
    started = time.monotonic()
    with pytest.raises(sandbox.ResourceLimit) as caught:
        sandbox.run(f"{TARGETS}:{target}", limits=SMALL)
    assert caught.value.code == code
    assert time.monotonic() - started < 10


def test_the_box_has_a_wall_clock_deadline():
    limits = sandbox.Limits(cpu_seconds=30, memory_bytes=512 * 1024 * 1024, output_bytes=1024, wall_seconds=1)
    started = time.monotonic()
    with pytest.raises(sandbox.ResourceLimit, match="more than 1 seconds") as caught:
        sandbox.run("time:sleep", 30, limits=limits)
    assert caught.value.code == "time" and time.monotonic() - started < 5


def test_a_decompression_bomb_is_refused_at_upload_in_seconds(enterprise_a, officer_a):
    bomb = bomb_pdf()
    assert len(bomb) < 200 * 1024
    started = time.monotonic()
    with pytest.raises(ValidationError, match="decompression bomb"):
        store_evidence(enterprise=enterprise_a, uploaded_by=officer_a, data=bomb, original_name="bomb.pdf",
                       kind=Evidence.Kind.INVOICE)
    assert time.monotonic() - started < 10
    assert not Evidence.objects.exists()
    evidence, _created = store_evidence(enterprise=enterprise_a, uploaded_by=officer_a, data=pdf(2),
                                        original_name="fine.pdf", kind=Evidence.Kind.INVOICE)
    assert evidence.pages == 2


def test_a_decompression_bomb_is_refused_by_the_extractor_in_seconds(settings):
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="decompression bomb") as caught:
        read_invoice(bomb_pdf(), "bomb.pdf")
    assert caught.value.code == "too_large"
    assert time.monotonic() - started < 10


@pytest.mark.slow
def test_a_bomb_under_the_inflation_limits_is_stopped_by_the_cpu_limit(settings):
    """15 MB of drawing operators pass the inflation check; the parser's time is then the box's."""
    settings.SANDBOX_CPU_SECONDS = 3
    started = time.monotonic()
    with pytest.raises(sandbox.ResourceLimit, match="3 seconds") as caught:
        read_invoice(bomb_pdf(15 * 1024 * 1024, filler=b"1 0 0 1 0 0 cm 0 0 m 1 1 l S\n"), "slow.pdf")
    assert caught.value.code == "cpu"
    assert time.monotonic() - started < 10
