"""Functions the sandbox tests run in the box (a module without Django: the child has no set-up)."""

from ingestion.extraction.errors import ExtractionError


def burn():
    while True:
        pass


def hog():
    return bytearray(2 * 1024 * 1024 * 1024)


def talk():
    return b"x" * (8 * 1024 * 1024)


def refuse():
    raise ExtractionError("not an invoice at all", "not_an_invoice")


def echo(*args, **kwargs):
    return args, kwargs
