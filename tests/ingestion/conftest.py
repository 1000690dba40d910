import copy

import pytest

from carbon_portal.accounts.models import Enterprise, User


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English, whatever the portal's default language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def officer_a(demo):
    return User.objects.get(username="officer_a")


@pytest.fixture
def officer_b(demo):
    return User.objects.get(username="officer_b")


@pytest.fixture
def enterprise_a(demo):
    return Enterprise.objects.get(memberships__user__username="officer_a")


@pytest.fixture
def enterprise_b(demo):
    return Enterprise.objects.get(memberships__user__username="officer_b")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence files of a test go to its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class FakeExtraction:
    def __init__(self, data):
        self.data = data

    def as_dict(self):
        return copy.deepcopy(self.data)


@pytest.fixture
def extractor(monkeypatch):
    """The extractor reads whatever the test says the next file contains."""
    import ingestion.extraction as extraction
    import ingestion.invoices.services as invoice_services

    from .invoice_data import EXTRACTION

    state = {"result": EXTRACTION}

    def fake(data, *, filename=None, ocr_workers=None):
        result = state["result"]
        if isinstance(result, Exception):
            raise result
        return FakeExtraction(result)

    monkeypatch.setattr(extraction, "extract_invoice", fake)
    # The portal reads invoices in a child process (ingestion/sandbox.py): replace that reading.
    monkeypatch.setattr(invoice_services, "read_invoice", lambda data, filename: fake(data, filename=filename).as_dict())
    return state
