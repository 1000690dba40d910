"""A document render that fails is shown as failed on the certification page, with its error, and
retried: by the outbox with back-off, or at once by an administrator. A retry renders only what
is missing and never issues or supersedes a label."""

import pytest
from django.test import Client
from django.urls import reverse

from carbon_portal.core import outbox
from carbon_portal.core.models import OutboxMessage
from certificates.models import Document, Label, LabelEvent
from certificates.selectors import document_rendering
from certificates.services import documents
from tests.certificates import conftest as certificates_fixtures
from tests.login import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The certification tests' fixtures (tests/certificates/conftest.py), the autouse isolation included.
_isolated = certificates_fixtures._isolated
users, verifier_body = certificates_fixtures.users, certificates_fixtures.verifier_body
inventory_a, issue = certificates_fixtures.inventory_a, certificates_fixtures.issue


@pytest.fixture
def flaky_renderer(monkeypatch):
    """The certificate renderer fails on its first call (fonts missing, say), then works. The
    other documents are stood in for by small files: the test is about the retry, not WeasyPrint."""
    calls = {"certificate": 0}

    def certificate(*, label):
        calls["certificate"] += 1
        if calls["certificate"] == 1:
            raise OSError("no font for 碳 (fonts-noto-cjk missing)")
        return documents.store_document(inventory=label.inventory, kind=Document.Kind.CERTIFICATE, content=b"%PDF-1.7 c",
                                        filename=f"certificate_{label.pk}.pdf", label=label)

    def stand_in(kind):
        def render(*, inventory):
            return documents.store_document(inventory=inventory, kind=kind, content=kind.encode(),
                                            filename=f"{kind}_{inventory.pk}")
        return render

    monkeypatch.setattr(documents, "render_label_certificate", certificate)
    monkeypatch.setattr(documents, "render_inventory_report", stand_in(Document.Kind.INVENTORY_REPORT))
    monkeypatch.setattr(documents, "render_verification_statement", stand_in(Document.Kind.VERIFICATION_STATEMENT))
    return calls


def _page(client, inventory):
    response = client.get(reverse("certificates_portal:inventory", args=[inventory.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_failed_render_is_shown_and_retried_without_superseding(demo, issue, inventory_a, flaky_renderer,
                                                                  django_capture_on_commit_callbacks):
    labels = issue(inventory_a, render=True)  # issue, commit, the outbox delivers the render: it fails
    message = OutboxMessage.objects.get(topic=documents.RENDER_DOCUMENTS_TOPIC, payload__inventory_id=inventory_a.pk)
    assert message.delivered_at is None and message.attempts == 1 and "fonts-noto-cjk" in message.last_error
    assert not Document.objects.filter(inventory=inventory_a).exists()  # the failed attempt left nothing
    state = document_rendering(inventory_a)
    assert state.state == "failed" and state.attempts == 1 and "fonts-noto-cjk" in state.error

    admin = Client()
    log_in(admin, demo, "admin")
    page = _page(admin, inventory_a)
    assert 'data-state="failed" data-attempts="1"' in page and "fonts-noto-cjk missing" in page
    retry = reverse("certificates_portal:retry_documents", args=[inventory_a.pk])
    assert f'action="{retry}"' in page  # the administrator's button
    officer = Client()
    log_in(officer, demo, "officer_a")
    assert 'data-state="failed"' in _page(officer, inventory_a)  # the enterprise sees it too, without the button
    assert f'action="{retry}"' not in _page(officer, inventory_a)
    assert officer.post(retry).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):  # due now; queued after the commit (eager: run now)
        assert admin.post(retry).status_code == 302
    message.refresh_from_db()
    assert message.delivered_at is not None and message.attempts == 2 and message.last_error == ""
    assert document_rendering(inventory_a) is None
    page = _page(admin, inventory_a)
    assert "document-rendering" not in page and "certificate_" in page

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        admin.post(retry)  # a second click: nothing is waiting, nothing happens
    assert callbacks == []
    outbox.deliver_message(message.pk)  # nor does a redelivery of the delivered message
    current = list(Label.objects.filter(inventory=inventory_a, is_current=True).order_by("id"))
    assert [label.pk for label in current] == sorted(label.pk for label in labels)
    assert not Label.objects.filter(inventory=inventory_a, superseded_by__isnull=False).exists()
    assert not LabelEvent.objects.filter(label__inventory=inventory_a, action=LabelEvent.Action.SUPERSEDED).exists()
    assert Document.objects.filter(inventory=inventory_a, kind="certificate").count() == len(labels)
    assert Document.objects.filter(inventory=inventory_a).exclude(kind="certificate").count() == 2
    assert flaky_renderer["certificate"] == 1 + len(labels)


def test_the_outbox_retries_a_failed_render_by_itself(demo, issue, inventory_a, flaky_renderer):
    issue(inventory_a, render=True)
    message = OutboxMessage.objects.get(topic=documents.RENDER_DOCUMENTS_TOPIC, payload__inventory_id=inventory_a.pk)
    assert message.attempts == 1 and message.delivered_at is None
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.available_at - outbox.backoff(1))
    assert outbox.deliver_due() == 1  # the periodic sweep, once the back-off has passed
    assert document_rendering(inventory_a) is None
    assert Label.objects.filter(inventory=inventory_a).count() == Label.objects.filter(
        inventory=inventory_a, is_current=True).count()
